// The run record: one training run of a spec as the designer shows it, and the events that
// change it. The worker emits progress in the shape the chart draws (RunProgress); the host
// keeps every spec's runs in one place (RunHistory, src/host/training/runHistory.ts) and relays
// each event to the designer unchanged; the webview holds a view of the followed spec's runs,
// changed by the same `applyRunEvent`. No vscode, DOM or node imports.

import type { ErrorInfo } from './errors';
import type { Activation } from './spec';
import type { ClassificationMetrics } from './results';

/** [iteration, cost]: the cost before that iteration's update. */
export type CostPoint = [number, number];

/** full: from the palette; interactive: the designer's play/step; preview: live mode; loaded: a saved model shown; sweep: one run of a sweep */
export type RunMode = 'full' | 'preview' | 'interactive' | 'loaded' | 'sweep';

/** Runs kept per spec, for comparison on the chart (the oldest go first). */
export const MAX_RUNS = 5;
/** Points kept per cost curve: beyond, every other point is dropped (the first and the last stay). */
export const MAX_COST_POINTS = 2000;
/** About how many costs a run records for its curve (see recordEvery). */
export const CHART_POINTS = 400;

/**
 * How often a run of `total` iterations records its cost: every `print_every` iterations, or
 * often enough for about CHART_POINTS points when that is rarer (the first and the last
 * iteration are always recorded).
 */
export function recordEvery(total: number, printEvery: number): number {
  return Math.max(1, Math.min(printEvery, Math.ceil(total / CHART_POINTS)));
}

/**
 * The least time between two progress messages of a run, by mode: each one repaints the
 * progress notification, the status bar and the designer, work that the editor's two cores
 * otherwise give to the run. A run from the palette reports five times a second; the designer's
 * play and the live preview's short runs, whose curves are watched as they grow, more often.
 */
export const PROGRESS_EVERY_MS: Record<Exclude<RunMode, 'loaded'>, number> = { full: 200, interactive: 100, preview: 50, sweep: 200 };

/** A 2-feature data set as the points the designer draws. */
export interface PointSet {
  x1: number[];
  x2: number[];
  y: number[];
}

/**
 * A grid of values over the 2-D input plane, row-major, `size` x `size`, laid out as a picture:
 * row 0 is the top (the highest x2), column 0 the left (the lowest x1); values sit at cell centres.
 */
export interface Grid2D {
  size: number;
  /** x1 range (columns) and x2 range (rows) */
  x1: [number, number];
  x2: [number, number];
  values: number[];
}

export interface BoundarySnapshot {
  iteration: number;
  /** network output A[L] at each grid point */
  output: Grid2D;
  /** per hidden layer, per unit: that unit's activation over the grid */
  hidden: Grid2D[][];
}

/** What is known once the data has loaded (from the worker, or a saved model's data). */
export interface RunStart {
  /** examples in the training set, features, test examples (0 when none) */
  m: number;
  features: number;
  testM: number;
  /** the 2-D points to draw under a decision boundary (only for 2-feature data) */
  points?: { train: PointSet; test?: PointSet };
}

/** Progress of a run, as the worker sends it and the chart draws it. */
export interface RunProgress {
  /** iterations done */
  iteration: number;
  /** the last cost computed, [iteration, cost]; absent before the first */
  last?: CostPoint;
  /** the costs recorded since the previous progress */
  costs: CostPoint[];
  paused: boolean;
  elapsedMs: number;
  snapshot?: BoundarySnapshot;
}

/** How a run ended (a stopped run has no accuracies). */
export interface RunEnd {
  cancelled: boolean;
  iterations: number;
  /** every recorded cost of the run */
  costs: CostPoint[];
  /** the last cost computed (after a stop: at the iteration it stopped at, not the last recorded) */
  last?: CostPoint;
  /** NaN when cancelled */
  trainAccuracy: number;
  /** null without a test set; NaN when cancelled */
  testAccuracy: number | null;
  /**
   * The confusion matrix and precision / recall / F1 behind the accuracies (null when the labels
   * are not all 0/1, or without a test set); absent when cancelled, or from a model saved before
   * models had them.
   */
  trainMetrics?: ClassificationMetrics | null;
  testMetrics?: ClassificationMetrics | null;
  seconds: number;
  snapshot?: BoundarySnapshot;
}

/** One run of a spec, as the designer shows it. */
export interface RunRecord {
  /** unique in the extension host's session */
  id: number;
  /** the spec (document URI) the run belongs to */
  uri: string;
  mode: RunMode;
  /** "Run 3", "Preview", "Saved model 1" */
  label: string;
  startedAt: number;
  /** iterations the run means to do */
  total: number;
  /** n[0..L] and the activations of the run's network (for the heatmaps) */
  sizes: number[];
  activations: Activation[];
  start?: RunStart;
  iteration: number;
  last?: CostPoint;
  /** recorded costs, ascending by iteration, thinned by appendCosts */
  costs: CostPoint[];
  paused: boolean;
  snapshot?: BoundarySnapshot;
  finished: boolean;
  cancelled?: boolean;
  trainAccuracy?: number;
  testAccuracy?: number | null;
  trainMetrics?: ClassificationMetrics | null;
  testMetrics?: ClassificationMetrics | null;
  seconds?: number;
  error?: ErrorInfo;
}

/** The data has loaded and the run starts (from the worker: `kernels` says how its products run, `notice` why not faster). */
export type StartedEvent = { kind: 'started'; id: number; start: RunStart; kernels?: string; notice?: string };
/** Progress, in the shape the chart draws (from the worker). */
export type ProgressEvent = { kind: 'progress'; id: number; progress: RunProgress };

/**
 * A change to a spec's runs: the one stream from the training worker (started, progress) through
 * the host's run history (which adds created, paused, ended, removed) to the designer, each event
 * applied as it is by `applyRunEvent` on both sides. `elsewhere` is the designer's own: a run of
 * another spec is under way, or no longer.
 */
export type RunEvent =
  | { kind: 'created'; record: RunRecord }
  | StartedEvent
  | ProgressEvent
  | { kind: 'paused'; id: number; paused: boolean }
  | { kind: 'ended'; id: number; end?: RunEnd; error?: ErrorInfo }
  | { kind: 'removed'; ids: number[] }
  | { kind: 'elsewhere'; running: boolean };

/** A spec's runs, oldest first, and the one the counters, the boundary and the heatmaps show. */
export interface RunList {
  records: RunRecord[];
  currentId?: number;
  /** a run of another spec is under way (the designer's list only) */
  elsewhere?: boolean;
}

/** Whether a spec's run is under way, as the training buttons show it. */
export interface TrainingStatus {
  /** a run of the spec is under way */
  running: boolean;
  paused: boolean;
  /** the run under way (its record's id) */
  runId?: number;
  mode?: RunMode;
  /** a run of another spec is under way */
  busyElsewhere?: boolean;
}

/** The training status of a spec, from its runs: its current run, unless it has ended or is a saved model's. */
export function trainingStatus(list: RunList): TrainingStatus {
  const run = currentRun(list);
  if (run && !run.finished && run.mode !== 'loaded') return { running: true, paused: run.paused, runId: run.id, mode: run.mode };
  return { running: false, paused: false, ...(list.elsewhere ? { busyElsewhere: true } : {}) };
}

export const EMPTY_RUNS: RunList = { records: [] };

/** Appends points (ascending iterations, a repeated iteration replaced) and thins the series beyond MAX_COST_POINTS. */
export function appendCosts(series: readonly CostPoint[], more: readonly CostPoint[]): CostPoint[] {
  let out = series.slice();
  for (const [it, cost] of more) {
    if (!Number.isFinite(it)) continue;
    while (out.length && out[out.length - 1][0] >= it) out.pop();
    out.push([it, cost]);
  }
  if (out.length > MAX_COST_POINTS) {
    // keep the first and the last point, every other one in between
    const last = out[out.length - 1];
    out = out.filter((_, i) => i % 2 === 0);
    if (out[out.length - 1] !== last) out.push(last);
  }
  return out;
}

/** Of two costs, the one of the later iteration. */
function newest(a: CostPoint | undefined, b: CostPoint | undefined): CostPoint | undefined {
  if (!a || !b) return a ?? b;
  return b[0] >= a[0] ? b : a;
}

function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}

function update(list: RunList, id: number, change: (r: RunRecord) => RunRecord): RunList {
  if (!list.records.some((r) => r.id === id)) return list;
  return { ...list, records: list.records.map((r) => (r.id === id ? change(r) : r)) };
}

/** The runs after an event: the one rule the host's history and the webview's view both follow. */
export function applyRunEvent(list: RunList, event: RunEvent): RunList {
  switch (event.kind) {
    case 'created': {
      const { record } = event;
      // a new preview replaces the previous preview: they come with every edit
      let records = list.records.filter((r) => r.id !== record.id && !(record.mode === 'preview' && r.mode === 'preview'));
      records = [...records, record];
      if (records.length > MAX_RUNS) records = records.slice(records.length - MAX_RUNS);
      return { ...list, records, currentId: record.id };
    }
    case 'started':
      return update(list, event.id, (r) => ({ ...r, start: event.start }));
    case 'paused':
      return update(list, event.id, (r) => (r.finished ? r : { ...r, paused: event.paused }));
    case 'elsewhere':
      return !!list.elsewhere === event.running ? list : { ...list, elsewhere: event.running };
    case 'progress': {
      const p = event.progress;
      return update(list, event.id, (r) => ({
        ...r,
        iteration: p.iteration,
        last: p.last ?? r.last,
        costs: appendCosts(r.costs, p.costs),
        paused: p.paused,
        snapshot: p.snapshot ?? r.snapshot,
      }));
    }
    case 'ended':
      return update(list, event.id, (r) => {
        const end = event.end;
        if (!end) return { ...r, finished: true, paused: false, error: event.error };
        const costs = end.costs.length ? appendCosts([], end.costs) : r.costs;
        return {
          ...r,
          finished: true,
          paused: false,
          cancelled: end.cancelled,
          iteration: end.iterations,
          costs,
          last: end.last ?? newest(r.last, costs[costs.length - 1]),
          trainAccuracy: finite(end.trainAccuracy),
          testAccuracy: end.testAccuracy === null ? null : finite(end.testAccuracy),
          trainMetrics: end.trainMetrics,
          testMetrics: end.testMetrics,
          seconds: end.seconds,
          snapshot: end.snapshot ?? r.snapshot,
          error: event.error,
        };
      });
    case 'removed': {
      const records = list.records.filter((r) => !event.ids.includes(r.id));
      return { ...list, records, currentId: list.currentId !== undefined && event.ids.includes(list.currentId) ? undefined : list.currentId };
    }
  }
}

/** The run the counters, the boundary and the heatmaps show (none after a reset or a clear). */
export function currentRun(list: RunList): RunRecord | undefined {
  return list.records.find((r) => r.id === list.currentId);
}
