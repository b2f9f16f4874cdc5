// The shape table: W[l] (n[l], n[l-1]), b[l] (n[l], 1), Z[l] and A[l] (n[l], m).
// `ShapeTable` is the JSON contract of `nnspec shapes --json`: extend it, never rename.

import { estimateTrainingMemory, formatBytes, trainingBytesPerExample, type MemoryEstimate } from '../shared/model/memory';
import type { Activation, LayerSpec, NetworkSpec } from '../shared/model/spec';
import type { LayerNode, ParsedSpec } from './parser';
import { formatCount } from './text';

export interface LayerShape {
  /** l, as numbered in the spec (the l-th `dense` line) */
  layer: number;
  units: number;
  /** null when the layer's activation word is unknown (its shapes are still known) */
  activation: Activation | null;
  W: [number, number];
  b: [number, 1];
  /** Z[l] and A[l]: (n[l], m), with "m" when the number of examples is unknown */
  Z: [number, number | 'm'];
  params: number;
}

export interface ShapeTable {
  m: number | null;
  /** n_x */
  input: number | null;
  /** the layers whose shapes are known, with their numbers from the spec */
  layers: LayerShape[];
  /** the sum of the parameters of the layers listed */
  total_params: number;
}

/** One layer and what is known of its shapes. */
export interface LayerNodeShape<N = LayerNode> {
  /** the `dense` line (of a parsed spec), or the layer (of a NetworkSpec) */
  node: N;
  /** l, as in the file */
  layer: number;
  /** n[l], when the units parsed */
  units?: number;
  /** n[l-1], when known (n_x for layer 1) */
  previous?: number;
  activation?: Activation;
  /** the layer's shapes, when W[l] is known (n[l] and n[l-1] both known) */
  shape?: LayerShape;
}

export interface SpecShapes<N = LayerNode> {
  m?: number;
  input?: number;
  layers: LayerNodeShape<N>[];
  /** n_x and every layer (units and activation) are known */
  complete: boolean;
  /** the parameters of the whole network, when n_x and every layer's shape are known */
  totalParams?: number;
}

/**
 * The shapes of every layer, numbered as in the file: W[l] (n[l], n[l-1]), b[l] (n[l], 1),
 * Z[l] and A[l] (n[l], m), and n[l]·n[l-1] + n[l] parameters. The one computation of shapes
 * and parameter counts: the hover, the inlay hints, the checks, the designer, `nnspec shapes`
 * and the training report read them from here. In a parsed spec a malformed layer does not
 * renumber the others: its own shape is unknown (and so is W of the layer after it, whose
 * n[l-1] it is), every other layer's shape is known. A NetworkSpec (a trained model's) is whole.
 */
export function specShapes(source: ParsedSpec, m?: number): SpecShapes<LayerNode>;
export function specShapes(source: NetworkSpec, m?: number): SpecShapes<LayerSpec>;
export function specShapes(source: ParsedSpec | NetworkSpec, m?: number): SpecShapes<LayerNode | LayerSpec> {
  const nodes: readonly (LayerNode | LayerSpec)[] = source.layers;
  const input = 'statements' in source ? source.spec.inputSize : source.inputSize;
  let previous = input;
  let total: number | undefined = input === undefined || nodes.length === 0 ? undefined : 0;
  const layers = nodes.map((node, i): LayerNodeShape<LayerNode | LayerSpec> => {
    const layer = 'index' in node ? node.index : i + 1;
    const { units, activation } = node;
    const shape: LayerShape | undefined =
      units !== undefined && previous !== undefined
        ? { layer, units, activation: activation ?? null, W: [units, previous], b: [units, 1], Z: [units, m ?? 'm'], params: units * previous + units }
        : undefined;
    total = shape && total !== undefined ? total + shape.params : undefined;
    const out = { node, layer, units, previous, activation, shape };
    previous = units;
    return out;
  });
  const complete = input !== undefined && layers.every((l) => l.shape !== undefined && l.activation !== undefined);
  return { m, input, layers, complete, totalParams: total };
}

/** The JSON shape table (`nnspec shapes --json`): layers whose shape is unknown are left out. */
export function shapeTableOf(shapes: SpecShapes<unknown>): ShapeTable {
  const layers = shapes.layers.flatMap((l) => (l.shape ? [l.shape] : []));
  return {
    m: shapes.m ?? null,
    input: shapes.input ?? null,
    layers,
    total_params: layers.reduce((sum, l) => sum + l.params, 0),
  };
}

/** An inlay hint after a `dense` line: W's shape and the parameter count. */
export interface LayerHint {
  line: number;
  /** the end of the statement (before any comment) */
  character: number;
  label: string;
  tooltip: string;
}

/** One hint for every `dense` line whose W shape is known, even when another layer is malformed. */
export function layerHints(parsed: ParsedSpec, m?: number): LayerHint[] {
  return specShapes(parsed, m).layers.flatMap(({ node, shape }) => {
    if (!shape) return [];
    const l = shape.layer;
    return [
      {
        line: node.statement.line,
        character: node.statement.range.end.character,
        label: `W${formatShape(shape.W)} · ${formatCount(shape.params)} params`,
        tooltip: `W[${l}] is (n[${l}], n[${l - 1}]); b[${l}] is ${formatShape(shape.b)}`,
      },
    ];
  });
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `(${shape.join(', ')})`;
}

function alignRows(rows: string[][]): string[] {
  const widths = rows[0].map(() => 0);
  for (const r of rows) r.forEach((cell, c) => (widths[c] = Math.max(widths[c], cell.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

const HEADER = ['layer', 'units', 'activation', 'W', 'b', 'Z, A', 'params'];

/** The shape table as aligned text, for the CLI and the output channel. */
export function formatShapeTable(table: ShapeTable): string {
  const mText = table.m === null ? 'm' : String(table.m);
  const rows: string[][] = [HEADER];
  rows.push(['0 (X)', String(table.input ?? '?'), '', '', '', formatShape([table.input ?? '?', mText]), '']);
  for (const l of table.layers) {
    rows.push([
      String(l.layer),
      String(l.units),
      l.activation ?? '?',
      formatShape(l.W),
      formatShape(l.b),
      formatShape(l.Z),
      formatCount(l.params),
    ]);
  }
  const lines = alignRows(rows);
  lines.push(`total parameters: ${formatCount(table.total_params)}` + (table.m === null ? '' : `, m = ${table.m}`));
  return lines.join('\n');
}

/**
 * The shapes of a parsed spec as aligned text: every `dense` line with its number from the
 * file; what is unknown (a malformed value, W of a layer after it, n_x without `input`) is `?`.
 */
export function formatSpecShapes(shapes: SpecShapes<unknown>): string {
  const mText = shapes.m === undefined ? 'm' : String(shapes.m);
  const q = (n: number | undefined): number | string => n ?? '?';
  const rows: string[][] = [HEADER];
  rows.push(['0 (X)', String(q(shapes.input)), '', '', '', formatShape([q(shapes.input), mText]), '']);
  for (const l of shapes.layers) {
    rows.push([
      String(l.layer),
      String(q(l.units)),
      l.activation ?? '?',
      formatShape([q(l.units), q(l.previous)]),
      formatShape([q(l.units), 1]),
      formatShape([q(l.units), mText]),
      l.shape ? formatCount(l.shape.params) : '?',
    ]);
  }
  const lines = alignRows(rows);
  const known = shapes.layers.every((l) => l.shape);
  const total = shapes.layers.reduce((sum, l) => sum + (l.shape?.params ?? 0), 0);
  lines.push(`total parameters: ${known ? formatCount(total) : '?'}` + (shapes.m === undefined ? '' : `, m = ${shapes.m}`));
  return lines.join('\n');
}

/** The memory a training run of a parsed spec needs (see estimateTrainingMemory). */
export interface SpecMemory {
  /** [n_x, n[1], ..., n[L]] */
  dims: number[];
  /** training examples, when known */
  m?: number;
  /** test examples counted (0 without a test set, or when its size is not known) */
  mTest: number;
  /** a test set is given but its size is not known yet (it is not counted) */
  testUnknown: boolean;
  /** with m when known; otherwise with m = 0: the parameters and gradients, a lower bound */
  estimate: MemoryEstimate;
  /** bytes each training example adds (caches and data) */
  perExample: number;
}

/**
 * The memory estimate of a parsed spec, or undefined while n_x or a layer's units are unknown.
 * `mTest` defaults to the size of a generated test set.
 */
export function specMemory(parsed: ParsedSpec, m?: number, mTest?: number): SpecMemory | undefined {
  const shapes = specShapes(parsed);
  if (shapes.input === undefined || shapes.layers.length === 0 || shapes.layers.some((l) => l.units === undefined)) return undefined;
  const dims = [shapes.input, ...shapes.layers.map((l) => l.units!)];
  const test = parsed.spec.test;
  const testM = mTest ?? (test?.kind === 'generated' ? test.m : undefined);
  const counted = m === undefined ? 0 : testM ?? 0;
  return {
    dims,
    m,
    mTest: counted,
    testUnknown: test !== undefined && testM === undefined,
    estimate: estimateTrainingMemory(dims, m ?? 0, counted),
    perExample: trainingBytesPerExample(dims),
  };
}

/** One line about a SpecMemory, for `nnspec shapes` and messages. */
export function formatSpecMemory(memory: SpecMemory): string {
  const e = memory.estimate;
  if (memory.m === undefined) {
    return `memory to train: ${formatBytes(e.total)} (parameters ${formatBytes(e.parameters)}, gradients ${formatBytes(e.gradients)}) plus ${formatBytes(memory.perExample)} per training example (m unknown)`;
  }
  const test = memory.mTest ? `, test set of ${memory.mTest} included` : memory.testUnknown ? ', test set not counted (size unknown)' : '';
  return `memory to train: ${formatBytes(e.total)} (parameters ${formatBytes(e.parameters)}, gradients ${formatBytes(e.gradients)}, caches ${formatBytes(e.caches)}, data ${formatBytes(e.data)}; m = ${memory.m}${test})`;
}
