// Hover: matrix shapes on `dense` and `input` lines, formulas on activations and losses,
// documentation on the other words. Returns Markdown and the range it describes.

import { ACTIVATIONS, LOSSES, type Activation, type Loss } from '../shared/spec';
import type { ParsedSpec } from './parser';
import { parseNumber } from './scanner';
import { formatShape } from './shapes';
import { rangeOf, type Position, type Range, type Statement, type Token } from './types';
import { ACTIVATION_DOCS, DATA_KEYS, GENERATOR_DOCS, INIT_DOCS, LOSS_DOCS, STATEMENTS } from './vocabulary';

export interface HoverResult {
  markdown: string;
  range: Range;
}

function tokenAt(statement: Statement, character: number): Token | undefined {
  return [statement.keyword, ...statement.args].find((t) => character >= t.start && character <= t.end);
}

/** m: the number of training examples when known. */
export function hoverAt(parsed: ParsedSpec, position: Position, m?: number): HoverResult | undefined {
  const statement = parsed.statements.find((s) => s.line === position.line);
  if (!statement) return undefined;
  const token = tokenAt(statement, position.character);
  if (!token) return undefined;
  const range = rangeOf(token);
  const keyword = statement.keyword.text;

  if (token !== statement.keyword) {
    if (keyword === 'dense' && (ACTIVATIONS as readonly string[]).includes(token.text)) {
      return { markdown: activationMarkdown(token.text as Activation), range };
    }
    if (keyword === 'loss' && (LOSSES as readonly string[]).includes(token.text)) {
      return { markdown: lossMarkdown(token.text as Loss), range };
    }
    if (keyword === 'init' && token === statement.args[0] && token.text in INIT_DOCS) {
      return { markdown: `**init ${token.text}**\n\n${INIT_DOCS[token.text as keyof typeof INIT_DOCS]}`, range };
    }
    if (keyword === 'data' && token.kind === 'word' && token.text in GENERATOR_DOCS) {
      return { markdown: `**${token.text}** (generated, 2 features)\n\n${GENERATOR_DOCS[token.text as keyof typeof GENERATOR_DOCS]}`, range };
    }
    if (keyword === 'data' && token.kind === 'pair') {
      const doc = DATA_KEYS.find((k) => k.name === token.key);
      if (doc) return { markdown: `**${doc.syntax}**\n\n${doc.doc}`, range };
    }
  }

  if (keyword === 'dense') {
    const layer = parsed.layers.find((l) => l.statement === statement);
    if (layer) {
      const md = layerMarkdown(parsed, layer.index, m);
      if (md) return { markdown: md, range: statement.range };
    }
  }
  if (keyword === 'input' && parsed.spec.inputSize !== undefined && parsed.single.input === statement) {
    const n = parsed.spec.inputSize;
    const dims = parsed.spec.inputDims ? ` (${parsed.spec.inputDims.join('×')} flattened)` : '';
    const mText = m === undefined ? 'm' : String(m);
    return {
      markdown: [
        `**Input layer**: n[0] = n_x = ${n}${dims}`,
        '',
        `X = A[0] is ${formatShape([n, mText])}: one example per column.`,
        m === undefined ? '' : `\nm = ${m} training examples.`,
      ].join('\n'),
      range: statement.range,
    };
  }
  // the formula of this line's own loss and learning rate; a line whose value does not parse
  // (`loss msee`) gets the statement's documentation, never the default's formula
  const value = statement.args[0];
  if (keyword === 'loss' && value && (LOSSES as readonly string[]).includes(value.text)) {
    return { markdown: lossMarkdown(value.text as Loss), range: statement.range };
  }
  const alpha = value?.kind === 'number' ? parseNumber(value.text) : NaN;
  if (keyword === 'learning_rate' && Number.isFinite(alpha) && alpha > 0) {
    return {
      markdown: `**learning_rate** α = ${alpha}\n\nEach iteration: W[l] := W[l] − α·dW[l], b[l] := b[l] − α·db[l].`,
      range: statement.range,
    };
  }
  const doc = STATEMENTS.find((s) => s.name === keyword);
  if (doc) return { markdown: `**${doc.syntax}**\n\n${doc.doc}`, range: rangeOf(statement.keyword) };
  return undefined;
}

export function layerMarkdown(parsed: ParsedSpec, index: number, m?: number): string | undefined {
  const layer = parsed.layers[index - 1];
  if (!layer || layer.units === undefined) return undefined;
  const n = layer.units;
  const previousLayer = parsed.layers[index - 2];
  const previous = index === 1 ? parsed.spec.inputSize : previousLayer?.units;
  const prevText = previous === undefined ? `n[${index - 1}]` : String(previous);
  const mText = m === undefined ? 'm' : String(m);
  const L = parsed.layers.length;
  const role = index === L ? 'output layer' : 'hidden layer';
  const g = layer.activation ?? 'g';
  const params = previous === undefined ? undefined : n * previous + n;
  const l = index;
  const lines = [
    `**Layer ${l}** of ${L} (${role}): ${n} unit${n === 1 ? '' : 's'}, ${g}`,
    '',
    '| matrix | shape |',
    '|---|---|',
    `| W[${l}] | ${formatShape([n, prevText])} |`,
    `| b[${l}] | ${formatShape([n, 1])} |`,
    `| Z[${l}], A[${l}] | ${formatShape([n, mText])} |`,
    `| dW[${l}] | ${formatShape([n, prevText])} |`,
    `| db[${l}] | ${formatShape([n, 1])} |`,
    `| dZ[${l}], dA[${l}] | ${formatShape([n, mText])} |`,
    '',
    params === undefined ? '' : `Parameters: ${n}·${previous} + ${n} = **${params.toLocaleString('en-US')}**`,
    '',
    '```',
    `Z[${l}] = W[${l}] A[${l - 1}] + b[${l}]`,
    `A[${l}] = ${g}(Z[${l}])`,
    '```',
  ];
  if (m === undefined) lines.push('', '_m is the number of training examples (unknown until the data can be read)._');
  return lines.join('\n');
}

export function activationMarkdown(name: Activation): string {
  const d = ACTIVATION_DOCS[name];
  return [`**${name}**`, '', '```', d.formula, d.derivative, '```', '', d.note].join('\n');
}

export function lossMarkdown(name: Loss): string {
  const d = LOSS_DOCS[name];
  return [`**loss ${name}**`, '', '```', d.formula, d.dA, '```', '', d.note].join('\n');
}
