// The shape table: W[l] (n[l], n[l-1]), b[l] (n[l], 1), Z[l] and A[l] (n[l], m).
// `ShapeTable` is the JSON contract of `nnspec shapes --json`: extend it, never rename.

import { memoryOf, type SpecMemory } from '../shared/model/facts';
import { formatBytes } from '../shared/model/memory';
import { layerShapes, type ShapeTable, type SpecShapes } from '../shared/model/shapes';
import type { LayerSpec, NetworkSpec } from '../shared/model/spec';
import type { LayerNode, ParsedSpec } from './parser';
import { formatCount } from './text';

export type { SpecMemory } from '../shared/model/facts';
export type { LayerNodeShape, LayerShape, ShapeTable, SpecShapes } from '../shared/model/shapes';
export { shapeTableOf } from '../shared/model/shapes';

/**
 * The shapes of every layer of a parsed spec (with its `dense` lines) or of a NetworkSpec (a
 * trained model's, whole): see layerShapes.
 */
export function specShapes(source: ParsedSpec, m?: number): SpecShapes<LayerNode>;
export function specShapes(source: NetworkSpec, m?: number): SpecShapes<LayerSpec>;
export function specShapes(source: ParsedSpec | NetworkSpec, m?: number): SpecShapes<LayerNode | LayerSpec> {
  if ('statements' in source) return layerShapes<LayerNode>(source.spec.inputSize, source.layers, m);
  return layerShapes<LayerSpec>(source.inputSize, source.layers, m);
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
export function layerHints(parsed: ParsedSpec, m?: number, shapes: SpecShapes<LayerNode> = specShapes(parsed, m)): LayerHint[] {
  return shapes.layers.flatMap(({ node, shape }) => {
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

/**
 * The memory estimate of a parsed spec, or undefined while n_x or a layer's units are unknown
 * (see memoryOf). `mTest` defaults to the size of a generated test set.
 */
export function specMemory(parsed: ParsedSpec, m?: number, mTest?: number, shapes: SpecShapes<LayerNode> = specShapes(parsed)): SpecMemory | undefined {
  const test = parsed.spec.test;
  const testM = mTest ?? (test?.kind === 'generated' ? test.m : undefined);
  return memoryOf(shapes, m, testM, test !== undefined && testM === undefined);
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
