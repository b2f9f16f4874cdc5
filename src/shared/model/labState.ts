// The course's lab in the designer: its state for one spec (a sweep and the answers to the
// questions asked: the step inspector, the gradient check, the graph, the pictures), kept by the
// extension host and sent whole to a view that loads or follows another spec, and the events
// that change it, applied on both sides by the same `applyLabEvent` (as the runs: runs.ts).
// No vscode, DOM or node imports.

import { applyRunEvent, type RunEvent, type RunRecord } from './runs';
import { layerSizes, type NetworkSpec } from './spec';
import type { GradientCheckResult, ImageLayout, ImagePrediction, LogisticGraph, MislabelledExample, StepDetail, SweepAxis, SweepRunResult, SweepSettings } from './results';

/** One run of a sweep as the designer shows it. */
export interface SweepRunView {
  index: number;
  settings: SweepSettings;
  /**
   * The run as every run is (the training panel's RunRecord, its id the index): its iterations,
   * its costs (thinned by appendCosts), its end; changed by the same run events.
   */
  run: RunRecord;
  /** when it ended: its numbers (its costs are the record's) */
  result?: Omit<SweepRunResult, 'costs'>;
}

/** A sweep run as its row says it: waiting for a worker, training, done, or failed. */
export function sweepRunStatus(r: SweepRunView): 'queued' | 'running' | 'done' | 'failed' {
  if (r.run.error || r.result?.error) return 'failed';
  if (r.run.finished) return 'done';
  return r.run.start ? 'running' : 'queued';
}

/** The record a sweep run starts with, before its worker takes it (a run refused by the checks has no spec). */
export function sweepRunRecord(uri: string, index: number, settings: SweepSettings, spec: Pick<NetworkSpec, 'layers' | 'iterations' | 'inputSize'> | undefined, startedAt: number): RunRecord {
  return {
    id: index,
    uri,
    mode: 'sweep',
    label: Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join(', '),
    startedAt,
    total: spec?.iterations ?? 0,
    sizes: spec ? layerSizes(spec as NetworkSpec) : [],
    activations: spec ? spec.layers.map((l) => l.activation) : [],
    iteration: 0,
    costs: [],
    paused: false,
    finished: false,
  };
}

/** The `ended` run event of a sweep run's result: its end (a trained run), or its error. */
export function sweepRunEnded(result: SweepRunResult): RunEvent {
  if (result.error) return { kind: 'ended', id: result.index, error: { message: result.error.message, kind: result.error.kind }, end: { cancelled: false, iterations: result.iterations, costs: result.costs, trainAccuracy: NaN, testAccuracy: null, seconds: result.seconds } };
  return {
    kind: 'ended',
    id: result.index,
    end: {
      cancelled: false,
      iterations: result.iterations,
      costs: result.costs,
      trainAccuracy: result.trainAccuracy ?? NaN,
      testAccuracy: result.testAccuracy,
      trainMetrics: result.trainMetrics,
      testMetrics: result.testMetrics,
      seconds: result.seconds,
    },
  };
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
  /** a run event of one of the sweep's runs (its id is the run's index), with its numbers when it ended */
  | { kind: 'sweepRun'; sweepId: number; event: RunEvent; result?: Omit<SweepRunResult, 'costs'> }
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
    case 'sweepRun': {
      const e = event.event;
      const index = 'id' in e ? e.id : undefined;
      if (index === undefined) return state;
      return updateRun(state, event.sweepId, index, (r) => {
        const run = applyRunEvent({ records: [r.run], currentId: r.run.id }, e).records[0] ?? r.run;
        return { ...r, run, ...(event.result ? { result: event.result } : {}) };
      });
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
