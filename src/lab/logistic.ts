// Logistic regression as a computation graph (the course's week 2): for one example, the
// forward values x, w, b → z = wᵀx + b → a = σ(z) → L(a, y) and the backward derivatives
// da, dz = a − y, dw = x dz, db = dz. Only for a single sigmoid unit with binary cross-entropy
// (`input n` / `dense 1 sigmoid`), which is what the graph shows.

import { isLogistic } from '../shared/model/facts';
import type { NetworkSpec } from '../shared/model/spec';
import type { LogisticGraph } from '../shared/model/results';
import type { Matrix } from '../trainer/kernels';
import type { LayerParams } from '../trainer/model';

/** Why the spec is not logistic regression, or undefined when it is. */
export function notLogistic(spec: Pick<NetworkSpec, 'layers' | 'loss'>): string | undefined {
  if (!isLogistic(spec)) {
    const has = `${spec.layers.length} layer${spec.layers.length === 1 ? '' : 's'} (${spec.layers.map((l) => `${l.units} ${l.activation}`).join(', ')}), loss ${spec.loss}`;
    return `The computation graph is logistic regression's: one \`dense 1 sigmoid\` layer and \`loss binary_cross_entropy\`; this spec has ${has}.`;
  }
  return undefined;
}

export const LOGISTIC_FORMULAS: LogisticGraph['formulas'] = {
  z: 'z = wᵀx + b',
  a: 'a = σ(z) = 1 / (1 + e^(−z))',
  loss: 'L(a, y) = −(y log a + (1 − y) log(1 − a))',
  da: 'da = dL/da = −y/a + (1 − y)/(1 − a)',
  dz: 'dz = dL/dz = a − y',
  dw: 'dw = dL/dw = x dz',
  db: 'db = dL/db = dz',
};

/**
 * The graph for example `example` (0-based column of X) at `params` (W[1] is (1, n), so w = W[1]ᵀ).
 * z is Σ wᵢxᵢ + b summed in order, as the forward pass's product does for one unit.
 */
export function logisticGraph(params: LayerParams[], X: Matrix, Y: Matrix, example: number, iteration = 0): LogisticGraph {
  if (params.length !== 1 || params[0].W.rows !== 1) throw new Error('logisticGraph: one layer of one unit expected');
  if (!Number.isInteger(example) || example < 0 || example >= X.cols) {
    throw new RangeError(`There is no example ${example}: the training set has examples 0 to ${X.cols - 1}.`);
  }
  const { W, b } = params[0];
  const n = X.rows;
  const x = Array.from({ length: n }, (_, i) => X.data[i * X.cols + example]);
  const w = Array.from(W.data);
  const y = Y.data[example];
  let z = 0;
  for (let i = 0; i < n; i++) z += w[i] * x[i];
  z += b.data[0];
  const a = 1 / (1 + Math.exp(-z));
  const loss = -(y * Math.log(a) + (1 - y) * Math.log(1 - a));
  const dz = a - y;
  return {
    example,
    iteration,
    x,
    y,
    w,
    b: b.data[0],
    z,
    a,
    loss,
    da: -y / a + (1 - y) / (1 - a),
    dz,
    dw: x.map((xi) => xi * dz),
    db: dz,
    formulas: LOGISTIC_FORMULAS,
  };
}

function show(v: number): string {
  return String(v);
}

function vector(v: number[], max = 6): string {
  const head = v.slice(0, max).map((x) => (x === 0 ? '0' : Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toPrecision(6)));
  return `[${head.join(', ')}${v.length > max ? `, … (${v.length} values)` : ''}]`;
}

/** The text `nnspec step --graph` prints: the graph left to right, then right to left. */
export function formatLogisticGraph(g: LogisticGraph): string {
  return [
    `Logistic regression, example ${g.example} at iteration ${g.iteration}:  x, w, b → z → a → L(a, y)`,
    '',
    'Forward',
    `  x = ${vector(g.x)}   y = ${show(g.y)}`,
    `  w = ${vector(g.w)}   b = ${show(g.b)}`,
    `  ${g.formulas.z} = ${show(g.z)}`,
    `  ${g.formulas.a} = ${show(g.a)}`,
    `  ${g.formulas.loss} = ${show(g.loss)}`,
    'Backward',
    `  ${g.formulas.da} = ${show(g.da)}`,
    `  ${g.formulas.dz} = ${show(g.dz)}`,
    `  ${g.formulas.dw} = ${vector(g.dw)}`,
    `  ${g.formulas.db} = ${show(g.db)}`,
  ].join('\n') + '\n';
}
