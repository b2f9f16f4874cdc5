// The shapes of a network as the course writes them: W[l] (n[l], n[l-1]), b[l] (n[l], 1), Z[l]
// and A[l] (n[l], m), and n[l]·n[l-1] + n[l] parameters per layer. `ShapeTable` is the JSON
// contract of `nnspec shapes --json`: extend it, never rename. No vscode, DOM or node imports.

import type { Activation } from './spec';

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

/**
 * What the shapes need of a layer: its units and activation when they are known, and its number
 * in the file when it has one (a parsed `dense` line; a NetworkSpec's layer is numbered by its place).
 */
export interface LayerOutline {
  index?: number;
  units?: number;
  activation?: Activation;
}

/** One layer and what is known of its shapes. */
export interface LayerNodeShape<N = LayerOutline> {
  /** the layer as given (a parsed `dense` line, or a NetworkSpec's layer) */
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

export interface SpecShapes<N = LayerOutline> {
  m?: number;
  input?: number;
  layers: LayerNodeShape<N>[];
  /** n_x and every layer (units and activation) are known */
  complete: boolean;
  /** the parameters of the whole network, when n_x and every layer's shape are known */
  totalParams?: number;
}

/**
 * The shapes of every layer, numbered as in the file. The one computation of shapes and
 * parameter counts: the checks, the hover, the inlay hints, the designer, `nnspec shapes` and the
 * training report read them from here (an analysis computes them once: deriveSpecFacts). A
 * malformed layer does not renumber the others: its own shape is unknown (and so is W of the
 * layer after it, whose n[l-1] it is), every other layer's shape is known.
 */
export function layerShapes<N extends LayerOutline>(input: number | undefined, nodes: readonly N[], m?: number): SpecShapes<N> {
  let previous = input;
  let total: number | undefined = input === undefined || nodes.length === 0 ? undefined : 0;
  const layers = nodes.map((node, i): LayerNodeShape<N> => {
    const layer = node.index ?? i + 1;
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
