// Hover: matrix shapes on `dense` and `input` lines, formulas on activations and losses,
// documentation on the other words. Returns Markdown and the range it describes.

import { formatBytes } from '../shared/model/memory';
import { ACTIVATIONS, GENERATORS, INIT_SCHEMES, LOSSES, type Activation, type GeneratorName, type InitKind, type Loss } from '../shared/model/spec';
import type { ParsedSpec } from './parser';
import { parseNumber } from '../shared/model/numbers';
import { formatShape, specMemory, specShapes } from './shapes';
import { rangeOf, type Position, type Range, type Statement, type Token } from './types';
import { ACTIVATION_DOCS, DATA_KEYS, GENERATOR_DOCS, INIT_DOCS, LOSS_DOCS, STATEMENTS } from './vocabulary';
import { formatCount } from './text';

export interface HoverResult {
  markdown: string;
  range: Range;
}

function tokenAt(statement: Statement, character: number): Token | undefined {
  const { keyword, args } = statement;
  if (character >= keyword.start && character <= keyword.end) return keyword;
  return args.find((t) => character >= t.start && character <= t.end);
}

/** A word from the file is one of `words` (never a property of Object.prototype). */
function isOneOf<T extends string>(word: string, words: readonly T[]): word is T {
  return (words as readonly string[]).includes(word);
}

/**
 * m: the number of training examples when known; mTest: the number of test examples when known
 * (default: a generated test set's m=), for the memory estimate on the output layer.
 */
export function hoverAt(parsed: ParsedSpec, position: Position, m?: number, mTest?: number): HoverResult | undefined {
  const statement = parsed.statements.find((s) => s.line === position.line);
  if (!statement) return undefined;
  const token = tokenAt(statement, position.character);
  if (!token) return undefined;
  const range = rangeOf(token);
  const keyword = statement.keyword.text;

  if (token !== statement.keyword) {
    const word = token.text;
    if (keyword === 'dense' && isOneOf<Activation>(word, ACTIVATIONS)) {
      return { markdown: activationMarkdown(word), range };
    }
    if (keyword === 'loss' && isOneOf<Loss>(word, LOSSES)) {
      return { markdown: lossMarkdown(word), range };
    }
    if (keyword === 'init' && token === statement.args[0] && isOneOf<InitKind>(word, INIT_SCHEMES)) {
      return { markdown: `**init ${word}**\n\n${INIT_DOCS[word]}`, range };
    }
    if (keyword === 'data' && token.kind === 'word' && isOneOf<GeneratorName>(word, GENERATORS)) {
      return { markdown: `**${word}** (generated, 2 features)\n\n${GENERATOR_DOCS[word]}`, range };
    }
    if (keyword === 'data' && token.kind === 'pair') {
      const doc = DATA_KEYS.find((k) => k.name === token.key);
      if (doc) return { markdown: `**${doc.syntax}**\n\n${doc.doc}`, range };
    }
  }

  if (keyword === 'dense') {
    const layer = parsed.layers.find((l) => l.statement === statement);
    if (layer) {
      const md = layerMarkdown(parsed, layer.index, m, mTest);
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
  if (keyword === 'loss' && value && isOneOf<Loss>(value.text, LOSSES)) {
    return { markdown: lossMarkdown(value.text), range: statement.range };
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

export function layerMarkdown(parsed: ParsedSpec, index: number, m?: number, mTest?: number): string | undefined {
  const layer = specShapes(parsed).layers[index - 1];
  if (!layer || layer.units === undefined) return undefined;
  const n = layer.units;
  const { previous } = layer;
  const prevText = previous === undefined ? `n[${index - 1}]` : String(previous);
  const mText = m === undefined ? 'm' : String(m);
  const L = parsed.layers.length;
  const role = index === L ? 'output layer' : 'hidden layer';
  const g = layer.activation ?? 'g';
  const params = layer.shape?.params;
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
    params === undefined ? '' : `Parameters: ${n}·${previous} + ${n} = **${formatCount(params)}**`,
    '',
    '```',
    `Z[${l}] = W[${l}] A[${l - 1}] + b[${l}]`,
    `A[${l}] = ${g}(Z[${l}])`,
    '```',
  ];
  if (index === L) for (const line of memoryMarkdown(parsed, m, mTest)) lines.push(line);
  if (m === undefined) lines.push('', '_m is the number of training examples (unknown until the data can be read)._');
  return lines.join('\n');
}

/** The output layer's hover: the memory a training run needs (see estimateTrainingMemory). */
function memoryMarkdown(parsed: ParsedSpec, m?: number, mTest?: number): string[] {
  const memory = specMemory(parsed, m, mTest);
  if (!memory) return [];
  const e = memory.estimate;
  const lines = ['', '**Memory to train**', '', '| what | bytes |', '|---|---|'];
  lines.push(`| parameters W, b | ${formatBytes(e.parameters)} |`, `| gradients dW, db | ${formatBytes(e.gradients)} |`);
  if (memory.m === undefined) {
    lines.push(`| **total** (without the examples) | **${formatBytes(e.total)}** |`, '');
    lines.push(`Caches (Z, A, dZ, dA) and the data scale with m: ${formatBytes(memory.perExample)} per training example.`);
  } else {
    lines.push(`| caches Z, A, dZ, dA, dZᵀ packed | ${formatBytes(e.caches)} |`, `| data X, Y | ${formatBytes(e.data)} |`, `| **total** | **${formatBytes(e.total)}** |`, '');
    const test = memory.mTest ? ` and ${formatCount(memory.mTest)} test examples` : memory.testUnknown ? ' (the test set is not counted: its size is not known yet)' : '';
    lines.push(`For m = ${formatCount(memory.m)} training examples${test}.`);
  }
  return lines;
}

export function activationMarkdown(name: Activation): string {
  const d = ACTIVATION_DOCS[name];
  return [`**${name}**`, '', '```', d.formula, d.derivative, '```', '', d.note].join('\n');
}

export function lossMarkdown(name: Loss): string {
  const d = LOSS_DOCS[name];
  return [`**loss ${name}**`, '', '```', d.formula, d.dA, '```', '', d.note].join('\n');
}
