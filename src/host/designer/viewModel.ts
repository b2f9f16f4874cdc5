// The analysis of a document as the designer's view model (pure: no vscode import).

import type { Diagnostic, ParsedSpec } from '../../language';
import type { LayerNode } from '../../language/parser';
import type { DataFacts } from '../../shared/model/data';
import type { SpecFacts } from '../../shared/model/facts';
import type { SpecShapes } from '../../shared/model/shapes';
import type { DataView, DiagnosticView, Dim, DocumentState, LayerView } from '../../shared/wire/designer';
import type { DataSource } from '../../shared/model/spec';

export interface ViewModelInput {
  uri: string;
  fileName: string;
  version: number;
  parsed: ParsedSpec;
  diagnostics: Diagnostic[];
  dataFacts: DataFacts;
  /** the analysis's shapes and facts (computed once per analysis) */
  shapes: SpecShapes<LayerNode>;
  facts: SpecFacts;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function dataView(source: DataSource | undefined, split: 'train' | 'test', facts: DataFacts): DataView | undefined {
  if (!source) return undefined;
  const fact = facts[split];
  const view: DataView =
    source.kind === 'generated'
      ? { split, label: `${source.generator}, m=${source.m}`, generated: true, features: 2, m: source.m }
      : { split, label: baseName(source.path), path: source.path, generated: false };
  if (fact && 'error' in fact) view.error = fact.error;
  else if (fact) {
    view.features = fact.features;
    view.m = fact.m;
  }
  return view;
}

/** Which layer a line belongs to: 0 for the input line, l for layer l's `dense` line. */
export function layerAtLine(parsed: ParsedSpec, line: number): number | undefined {
  return layersByLine(parsed).get(line);
}

/** The layer index (0 for the input) of every layer line, built once per parse: a lookup per diagnostic stays linear. */
const byLine = new WeakMap<ParsedSpec, Map<number, number>>();
function layersByLine(parsed: ParsedSpec): Map<number, number> {
  let map = byLine.get(parsed);
  if (!map) {
    map = new Map();
    for (const l of parsed.layers) if (!map.has(l.statement.line)) map.set(l.statement.line, l.index);
    if (parsed.single.input) map.set(parsed.single.input.line, 0);
    byLine.set(parsed, map);
  }
  return map;
}

export function toDocumentState(input: ViewModelInput): DocumentState {
  const { parsed, shapes, facts } = input;
  const { spec } = parsed;
  const mDim: Dim = facts.m ?? 'm';
  const q = (n: number | undefined): Dim => n ?? '?';
  const layers: LayerView[] = shapes.layers.map(({ node, units, previous, shape }, i) => ({
    index: node.index,
    line: node.statement.line,
    units,
    activation: node.activation,
    unitsText: node.unitsToken?.text ?? '',
    activationText: node.activationToken?.text ?? '',
    W: [q(units), q(previous)],
    b: [q(units), 1],
    A: [q(units), mDim],
    params: shape?.params,
    isOutput: i === parsed.layers.length - 1,
  }));
  const diagnostics: DiagnosticView[] = input.diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    code: d.code,
    line: d.range.start.line,
    character: d.range.start.character,
    layer: layerAtLine(parsed, d.range.start.line),
  }));
  const { single } = parsed;
  return {
    uri: input.uri,
    fileName: input.fileName,
    version: input.version,
    name: spec.name,
    input: {
      line: single.input?.line,
      size: spec.inputSize,
      dims: spec.inputDims,
      text: single.input?.args[0]?.text ?? '',
    },
    layers,
    diagnostics,
    facts,
    settings: {
      learningRate: spec.learningRate,
      iterations: spec.iterations,
      init: spec.init,
      seed: spec.seed,
      loss: spec.loss,
      written: {
        learningRate: !!single.learning_rate,
        iterations: !!single.iterations,
        init: !!single.init,
        seed: !!single.seed,
        loss: !!single.loss,
      },
    },
    data: { train: dataView(spec.train, 'train', input.dataFacts), test: dataView(spec.test, 'test', input.dataFacts) },
    spec,
  };
}
