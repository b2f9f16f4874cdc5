// Designer edits: what a designer action asks of the text, as plain data (the language core's
// editToTextEdits turns one into minimal text edits; wire/edits.ts checks one that comes from
// the webview). No vscode, DOM or node imports.

import type { Activation, InitScheme, Loss } from './spec';

/** One designer action. Layers are numbered 1..L as in the course (the `dense` lines in order). */
export type NetworkEdit =
  /** insert a dense layer so that it becomes layer `at` (1..L+1) */
  | { op: 'addLayer'; at: number; units: number; activation: Activation }
  | { op: 'removeLayer'; layer: number }
  /** move layer `from` so that it becomes layer `to` */
  | { op: 'moveLayer'; from: number; to: number }
  | { op: 'setUnits'; layer: number; units: number }
  | { op: 'setActivation'; layer: number; activation: Activation }
  /** n_x; with `dims` the input is written as HxWxC (their product should equal size) */
  | { op: 'setInput'; size: number; dims?: number[] }
  | { op: 'setLearningRate'; learningRate: number }
  | { op: 'setIterations'; iterations: number }
  | { op: 'setInit'; init: InitScheme }
  | { op: 'setSeed'; seed: number }
  | { op: 'setLoss'; loss: Loss };
