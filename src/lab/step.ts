// The step inspector: one forward and backward pass of the course, with every cache, at the
// parameters after N updates (before update N + 1). `nnspec step` prints its statistics; the
// designer draws the matrices as heatmaps (`stepDetail`). Nothing here changes the parameters:
// the pass is the one the next update would use, without the update. The pass itself and its
// detail are in src/trainer/inspect.ts (the training worker answers them for a paused run).

import type { Activation, NetworkSpec } from '../shared/model/spec';
import { STEP_QUANTITIES, type MatrixStats, type ParamQuantity, type StepQuantity } from '../shared/model/results';
import type { Dataset } from '../trainer/datasets';
import { statText as num } from '../shared/model/numbers';
import { costFormula, matrixStats, passMatrix, stepFormulas, type PassState } from '../trainer/inspect';
import { TrainingRun, type KernelChoice } from '../trainer/run';

export { costFormula, heatmap, HEATMAP_SIDE, matrixStats, passAt, passMatrix, stepDetail, stepFormulas, type PassState } from '../trainer/inspect';

/**
 * A run trained for `iteration` updates (0: the initial parameters), on the fastest kernels
 * unless told otherwise (they give the same numbers). Throws DivergedError when the cost becomes
 * NaN on the way. The caller disposes the run.
 */
export async function runTo(
  spec: NetworkSpec,
  train: Dataset,
  iteration: number,
  options: { kernels?: KernelChoice; threads?: 1 | 2; cancel?: () => void; onStep?: (done: number, total: number) => void } = {},
): Promise<TrainingRun> {
  const { run } = await TrainingRun.start(spec, train, undefined, {
    maxIterations: iteration,
    // costs are not what the inspector is after: record as few as the run allows
    recordEvery: Number.MAX_SAFE_INTEGER,
    kernels: options.kernels,
    threads: options.threads,
    cancel: options.cancel,
  });
  try {
    while (!run.done) {
      run.step();
      options.onStep?.(run.iteration, run.total);
    }
  } catch (err) {
    run.dispose();
    throw err;
  }
  return run;
}

/** What `nnspec step --json` prints for one layer: the six quantities, and W and b as extras. */
export interface StepLayerJson extends Record<StepQuantity | ParamQuantity, MatrixStats> {
  layer: number;
  activation: Activation;
}

export interface StepJson {
  iteration: number;
  cost: number;
  m: number;
  layers: StepLayerJson[];
}

export function stepSummary(state: PassState): StepJson {
  return {
    iteration: state.iteration,
    cost: state.cost,
    m: state.m,
    layers: state.activations.map((activation, i) => {
      const l = i + 1;
      const layer = { layer: l, activation } as StepLayerJson;
      for (const q of [...STEP_QUANTITIES, 'W', 'b'] as const) layer[q] = matrixStats(passMatrix(state, l, q));
      return layer;
    }),
  };
}

/** A number in a table: 6 significant digits, exponent form for the very large and small (the designer shows the same). */
export { statText as num } from '../shared/model/numbers';

/** The text `nnspec step` prints: forward layer by layer, then backward, with the formulas. */
export function formatStep(state: PassState): string {
  const summary = stepSummary(state);
  const L = state.activations.length;
  const header = ['', 'shape', 'min', 'mean', 'max', 'norm', 'formula'];
  const rows: string[][] = [];
  const section = (title: string): void => {
    rows.push([title]);
  };
  const add = (l: number, q: StepQuantity | ParamQuantity): void => {
    const s = summary.layers[l - 1][q];
    const formula = stepFormulas(l, L, state.activations[l - 1], state.loss)[q];
    rows.push([`${q}[${l}]`, `(${s.shape[0]}, ${s.shape[1]})`, num(s.min), num(s.mean), num(s.max), num(s.norm), formula]);
  };
  section('Forward propagation');
  for (let l = 1; l <= L; l++) for (const q of ['Z', 'A'] as const) add(l, q);
  section('Backward propagation');
  for (let l = L; l >= 1; l--) for (const q of ['dA', 'dZ', 'dW', 'db'] as const) add(l, q);
  section('Parameters');
  for (let l = 1; l <= L; l++) for (const q of ['W', 'b'] as const) add(l, q);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => r[k].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, k) => (k === cells.length - 1 ? c : k >= 2 && k <= 5 ? c.padStart(widths[k]) : c.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [
    `Iteration ${state.iteration} (${state.iteration === 0 ? 'the initial parameters' : `after ${state.iteration} update${state.iteration === 1 ? '' : 's'}`}, before update ${state.iteration + 1}), m = ${state.m}`,
    `Cost ${costFormula(state.loss)} = ${state.cost}`,
    '',
    '  ' + line(header),
  ];
  for (const r of rows) out.push(r.length === 1 ? `${r[0]}:` : '  ' + line(r));
  return out.join('\n') + '\n';
}
