// The course's lab in the designer: its state for one spec (a sweep and the answers to the
// questions asked: the step inspector, the gradient check, the graph, the pictures), kept by the
// extension host and sent whole to a view that loads or follows another spec, and the events
// that change it, applied on both sides by the same `applyLabEvent` (as the runs: runs.ts).
// No vscode, DOM or node imports.

import { appendCosts, type CostPoint } from './runs';
import type { GradientCheckResult, ImageLayout, ImagePrediction, LogisticGraph, MislabelledExample, StepDetail, SweepAxis, SweepRunResult, SweepSettings } from './results';

/** One run of a sweep as the designer shows it. */
export interface SweepRunView {
  index: number;
  settings: SweepSettings;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** iterations done, and to do */
  iteration: number;
  total: number;
  /** recorded costs, thinned by appendCosts */
  costs: CostPoint[];
  /** when it ended: its numbers (its costs are in `costs`) */
  result?: Omit<SweepRunResult, 'costs'>;
}

export interface SweepRecord {
  id: number;
  /** the spec (document URI) and its version when the sweep started */
  uri: string;
  version: number;
  axes: SweepAxis[];
  /** workers training at once */
  workers: number;
  startedAt: number;
  runs: SweepRunView[];
  finished: boolean;
  /** cancelled: the runs that had not ended have no result */
  stopped: boolean;
  /** from the start to the end of the whole sweep, once finished */
  seconds?: number;
}

/** The parameters a result is about, in words: "the initial parameters", "Run 2 at iteration 120 (paused)". */
export type LabSource = string;

/** A question's answer in the designer: asked, answered, or failed. */
export interface LabSlot<T> {
  status: 'pending' | 'done' | 'failed';
  value?: T;
  error?: string;
  source?: LabSource;
}

/** A picture the network was asked about (Predict an Image): as the network sees it, and the answer. */
export interface PicturePrediction extends ImagePrediction {
  name: string;
  width: number;
  height: number;
  channels: number;
  /** H·W·C values 0..255, the picture resized to the input (before the spec's scale) */
  pixels: number[];
}

export interface MislabelledSet {
  layout: ImageLayout;
  examples: MislabelledExample[];
  /** test examples wrong in all (the list may stop at a limit), and in the test set */
  total: number;
  testM?: number;
}

/** What each question answers. */
export interface LabValues {
  step: StepDetail;
  gradcheck: GradientCheckResult;
  graph: LogisticGraph;
  mislabelled: MislabelledSet;
  prediction: PicturePrediction;
}
export type LabTopic = keyof LabValues;
export const LAB_TOPICS: readonly LabTopic[] = ['step', 'gradcheck', 'graph', 'mislabelled', 'prediction'];

export type LabState = { sweep?: SweepRecord } & { [K in LabTopic]?: LabSlot<LabValues[K]> };

export const EMPTY_LAB: LabState = {};

/** A change to a spec's lab state. */
export type LabEvent =
  | { [K in LabTopic]: { kind: 'slot'; topic: K; slot: LabSlot<LabValues[K]> } }[LabTopic]
  | { kind: 'sweepStarted'; sweep: SweepRecord }
  | { kind: 'sweepRunStarted'; sweepId: number; index: number }
  | { kind: 'sweepRunProgress'; sweepId: number; index: number; iteration: number; costs: CostPoint[] }
  | { kind: 'sweepRunDone'; sweepId: number; result: SweepRunResult }
  | { kind: 'sweepFinished'; sweepId: number; stopped: boolean; seconds: number };

function updateRun(state: LabState, sweepId: number, index: number, change: (r: SweepRunView) => SweepRunView): LabState {
  const sweep = state.sweep;
  if (!sweep || sweep.id !== sweepId || !sweep.runs.some((r) => r.index === index)) return state;
  return { ...state, sweep: { ...sweep, runs: sweep.runs.map((r) => (r.index === index ? change(r) : r)) } };
}

/** The lab state after an event: the one rule the host and the webview both follow. */
export function applyLabEvent(state: LabState, event: LabEvent): LabState {
  switch (event.kind) {
    case 'slot':
      return { ...state, [event.topic]: event.slot };
    case 'sweepStarted':
      return { ...state, sweep: event.sweep };
    case 'sweepRunStarted':
      return updateRun(state, event.sweepId, event.index, (r) => ({ ...r, status: 'running' }));
    case 'sweepRunProgress':
      return updateRun(state, event.sweepId, event.index, (r) => ({ ...r, status: 'running', iteration: event.iteration, costs: appendCosts(r.costs, event.costs) }));
    case 'sweepRunDone': {
      const { costs, ...result } = event.result;
      return updateRun(state, event.sweepId, result.index, (r) => ({
        ...r,
        status: result.error ? 'failed' : 'done',
        iteration: result.iterations,
        costs: costs.length ? appendCosts([], costs) : r.costs,
        result,
      }));
    }
    case 'sweepFinished': {
      const sweep = state.sweep;
      if (!sweep || sweep.id !== event.sweepId) return state;
      return { ...state, sweep: { ...sweep, finished: true, stopped: event.stopped, seconds: event.seconds } };
    }
  }
}

/** The most runs a sweep may have (the CLI and the designer alike). */
export const MAX_SWEEP_RUNS = 1000;
