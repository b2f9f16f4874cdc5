// Document symbols: the outline lists the network, its input, every layer, the loss and the data.

import type { ParsedSpec } from './parser';
import { formatShape } from './shapes';
import { rangeOf, type Range } from './types';
import { quoted } from './text';

export type SymbolKind = 'network' | 'input' | 'layer' | 'loss' | 'data' | 'setting';

export interface SpecSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
}

export function documentSymbols(parsed: ParsedSpec): SpecSymbol[] {
  const symbols: SpecSymbol[] = [];
  const { single, spec } = parsed;
  if (single.network) {
    symbols.push({
      name: quoted(spec.name ?? 'network', 80),
      detail: 'network',
      kind: 'network',
      range: single.network.range,
      selectionRange: rangeOf(single.network.args[0] ?? single.network.keyword),
    });
  }
  if (single.input) {
    symbols.push({
      name: `input ${spec.inputSize ?? '?'}`,
      detail: `X ${formatShape([spec.inputSize ?? '?', 'm'])}`,
      kind: 'input',
      range: single.input.range,
      selectionRange: rangeOf(single.input.keyword),
    });
  }
  const L = parsed.layers.length;
  let previous: number | undefined = spec.inputSize;
  for (const layer of parsed.layers) {
    const units = layer.units ?? '?';
    const role = layer.index === L ? 'output' : 'hidden';
    symbols.push({
      name: `Layer ${layer.index}: dense ${units} ${layer.activation ?? '?'}`,
      detail: `${role}, W ${formatShape([units, previous ?? '?'])}`,
      kind: 'layer',
      range: layer.statement.range,
      selectionRange: rangeOf(layer.statement.keyword),
    });
    previous = layer.units;
  }
  if (single.loss) {
    symbols.push({ name: `loss ${spec.loss}`, detail: 'cost', kind: 'loss', range: single.loss.range, selectionRange: rangeOf(single.loss.keyword) });
  }
  for (const split of ['train', 'test'] as const) {
    const node = parsed.data[split];
    if (!node) continue;
    const what = quoted(node.sourceToken?.value ?? node.sourceToken?.text ?? '?', 80);
    symbols.push({ name: `data ${split}`, detail: what, kind: 'data', range: node.statement.range, selectionRange: rangeOf(node.statement.keyword) });
  }
  for (const key of ['init', 'seed', 'learning_rate', 'iterations', 'print_every'] as const) {
    const s = single[key];
    if (!s) continue;
    symbols.push({
      name: key,
      detail: quoted(s.args.slice(0, 8).map((a) => a.text).join(' ')),
      kind: 'setting',
      range: s.range,
      selectionRange: rangeOf(s.keyword),
    });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line);
}
