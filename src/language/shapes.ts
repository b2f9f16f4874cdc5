// The shape table: W[l] (n[l], n[l-1]), b[l] (n[l], 1), Z[l] and A[l] (n[l], m).
// `ShapeTable` is the JSON contract of `nnspec shapes --json`: extend it, never rename.

import type { Activation, NetworkSpec } from '../shared/spec';

export interface LayerShape {
  layer: number;
  units: number;
  activation: Activation;
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
  layers: LayerShape[];
  total_params: number;
}

export function layerShapes(spec: NetworkSpec, m?: number): ShapeTable {
  const layers: LayerShape[] = [];
  let previous = spec.inputSize ?? 0;
  let total = 0;
  spec.layers.forEach((layer, i) => {
    const params = layer.units * previous + layer.units;
    total += params;
    layers.push({
      layer: i + 1,
      units: layer.units,
      activation: layer.activation,
      W: [layer.units, previous],
      b: [layer.units, 1],
      Z: [layer.units, m ?? 'm'],
      params,
    });
    previous = layer.units;
  });
  return { m: m ?? null, input: spec.inputSize ?? null, layers, total_params: total };
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `(${shape.join(', ')})`;
}

/** The shape table as aligned text, for the CLI and the output channel. */
export function formatShapeTable(table: ShapeTable): string {
  const mText = table.m === null ? 'm' : String(table.m);
  const rows: string[][] = [['layer', 'units', 'activation', 'W', 'b', 'Z, A', 'params']];
  rows.push(['0 (X)', String(table.input ?? '?'), '', '', '', formatShape([table.input ?? '?', mText]), '']);
  for (const l of table.layers) {
    rows.push([
      String(l.layer),
      String(l.units),
      l.activation,
      formatShape(l.W),
      formatShape(l.b),
      formatShape(l.Z),
      l.params.toLocaleString('en-US'),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  lines.push(`total parameters: ${table.total_params.toLocaleString('en-US')}` + (table.m === null ? '' : `, m = ${table.m}`));
  return lines.join('\n');
}
