// The designer's view state as a pure reducer over host messages and local actions. No DOM:
// unit-tested in Node. The persisted part (selection, runs, log scale, last boundary) goes into
// `vscode.setState` so the view comes back as it was after being hidden.

import type {
  BoundarySnapshot,
  DocumentState,
  FileEntry,
  PointSet,
  RunMode,
  ToWebview,
  TrainingStatus,
} from '../src/shared/protocol';

/** Runs kept for comparison on the cost chart. */
export const MAX_RUNS = 5;
/** Points kept per cost curve; older points are thinned beyond this. */
export const MAX_POINTS_PER_RUN = 2000;

export interface RunView {
  runId: number;
  mode: RunMode;
  /** "Run 3", "Preview" */
  label: string;
  startedAt: number;
  /** [iteration, cost], ascending by iteration */
  costs: [number, number][];
  iteration: number;
  cost?: number;
  finished: boolean;
  cancelled?: boolean;
  trainAccuracy?: number;
  testAccuracy?: number | null;
  seconds?: number;
  error?: string;
  /** n[0..L] and activations of the run's network (for the heatmaps) */
  sizes: number[];
  activations: string[];
}

export interface ViewState {
  document: DocumentState | null;
  files: FileEntry[];
  live: boolean;
  training: TrainingStatus;
  /** 0 = input layer, 1..L = dense layers, null = nothing selected */
  selected: number | null;
  runs: RunView[];
  /** the run the counters, boundary and heatmaps show */
  currentRunId?: number;
  /** runs that were reset: their late messages are ignored (ids, not a threshold: the host's
   * run counter starts again after a reload) */
  dismissed: number[];
  logScale: boolean;
  points?: { train: PointSet; test?: PointSet };
  snapshot?: BoundarySnapshot;
  notice?: { severity: 'info' | 'error'; message: string };
  /** how many runs have been numbered, for the labels */
  runCounter: number;
  /** the document the runs belong to: another document starts a clean chart */
  runsUri?: string;
}

export type LocalAction =
  | { type: 'local.select'; layer: number | null }
  | { type: 'local.toggleLogScale' }
  | { type: 'local.clearRuns' }
  | { type: 'local.reset' }
  | { type: 'local.dismissNotice' };

export type Action = ToWebview | LocalAction;

export function initialState(): ViewState {
  return {
    document: null,
    files: [],
    live: false,
    training: { running: false, paused: false },
    selected: null,
    runs: [],
    dismissed: [],
    logScale: false,
    runCounter: 0,
  };
}

/** What goes into vscode.setState. */
export type PersistedState = Pick<ViewState, 'selected' | 'runs' | 'currentRunId' | 'logScale' | 'points' | 'snapshot' | 'runCounter' | 'dismissed' | 'runsUri'>;

export function persisted(state: ViewState): PersistedState {
  const { selected, runs, currentRunId, logScale, points, snapshot, runCounter, dismissed, runsUri } = state;
  return { selected, runs, currentRunId, logScale, points, snapshot, runCounter, dismissed, runsUri };
}

/** The state after the webview was re-created, from what it had saved (tolerates junk). */
export function restore(saved: unknown): ViewState {
  const state = initialState();
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Partial<PersistedState>;
  if (typeof s.selected === 'number' || s.selected === null) state.selected = s.selected;
  if (Array.isArray(s.runs)) state.runs = s.runs.slice(-MAX_RUNS);
  if (typeof s.currentRunId === 'number') state.currentRunId = s.currentRunId;
  if (typeof s.logScale === 'boolean') state.logScale = s.logScale;
  if (typeof s.runCounter === 'number') state.runCounter = s.runCounter;
  if (Array.isArray(s.dismissed)) state.dismissed = s.dismissed.filter((x) => typeof x === 'number');
  if (typeof s.runsUri === 'string') state.runsUri = s.runsUri;
  state.points = s.points;
  state.snapshot = s.snapshot;
  return state;
}

/** Appends points (ascending iterations, duplicates replaced) and thins the series to the cap. */
export function appendCosts(series: [number, number][], more: readonly [number, number][]): [number, number][] {
  let out = series.slice();
  for (const [it, cost] of more) {
    if (!Number.isFinite(it)) continue;
    while (out.length && out[out.length - 1][0] >= it) out.pop();
    out.push([it, cost]);
  }
  if (out.length > MAX_POINTS_PER_RUN) {
    // keep the first and the last point, every other one in between
    const last = out[out.length - 1];
    out = out.filter((_, i) => i % 2 === 0);
    if (out[out.length - 1] !== last) out.push(last);
  }
  return out;
}

function updateRun(state: ViewState, runId: number, change: (run: RunView) => RunView): RunView[] {
  return state.runs.map((r) => (r.runId === runId ? change(r) : r));
}

function clampSelection(selected: number | null, document: DocumentState | null): number | null {
  if (selected === null || !document) return selected;
  const last = document.layers.length;
  return Math.max(0, Math.min(selected, last));
}

function newRun(state: ViewState, runId: number, mode: RunMode, startedAt: number, sizes: number[], activations: string[]): { runs: RunView[]; runCounter: number } {
  const runCounter = mode === 'preview' ? state.runCounter : state.runCounter + 1;
  const run: RunView = {
    runId,
    mode,
    label: mode === 'preview' ? 'Preview' : mode === 'loaded' ? `Saved model ${runCounter}` : `Run ${runCounter}`,
    startedAt,
    costs: [],
    iteration: 0,
    finished: false,
    sizes,
    activations,
  };
  // a new preview replaces the previous preview: they come with every edit
  let runs = state.runs.filter((r) => r.runId !== runId && !(mode === 'preview' && r.mode === 'preview'));
  runs = [...runs, run];
  if (runs.length > MAX_RUNS) runs = runs.slice(runs.length - MAX_RUNS);
  return { runs, runCounter };
}

export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'state': {
      const otherDocument = !!action.document && state.runsUri !== undefined && action.document.uri !== state.runsUri;
      const cleared: Partial<ViewState> = otherDocument
        ? { runs: [], currentRunId: undefined, points: undefined, snapshot: undefined, runsUri: undefined, selected: null }
        : {};
      state = { ...state, ...cleared };
      return {
        ...state,
        document: action.document,
        files: action.files,
        live: action.live,
        training: action.training,
        selected: clampSelection(state.selected, action.document),
      };
    }
    case 'selectLayer':
      return { ...state, selected: clampSelection(action.layer, state.document) };
    case 'trainingState':
      return { ...state, training: action.training, live: action.live };
    case 'trainingStarted': {
      // a start is always new (after a host reload run ids begin again), so it is never dismissed
      const known = state.runs.find((r) => r.runId === action.runId && r.startedAt === action.startedAt);
      if (known) {
        // the host replays the run after the view was re-created: keep what we have
        return { ...state, currentRunId: action.runId, points: action.points ?? state.points, runsUri: action.uri ?? state.document?.uri ?? state.runsUri };
      }
      // a run of another document than the chart's starts a clean chart
      const base = action.uri && state.runsUri && action.uri !== state.runsUri ? { ...state, runs: [] } : state;
      const { runs, runCounter } = newRun(base, action.runId, action.mode, action.startedAt, action.sizes, action.activations);
      return {
        ...state,
        runs,
        runCounter,
        dismissed: state.dismissed.filter((id) => id !== action.runId),
        // (the run's own document: its start can arrive before the state of that document)
        runsUri: action.uri ?? state.document?.uri ?? state.runsUri,
        currentRunId: action.runId,
        points: action.points,
        snapshot: undefined,
        notice: undefined,
      };
    }
    case 'trainingProgress': {
      if (state.dismissed.includes(action.runId)) return state;
      let next = state;
      if (!state.runs.some((r) => r.runId === action.runId)) {
        // the view was re-created during a run: pick it up from here
        const sizes = state.document ? [state.document.input.size ?? 0, ...state.document.layers.map((l) => l.units ?? 0)] : [];
        const activations = state.document ? state.document.layers.map((l) => l.activation ?? 'linear') : [];
        next = { ...state, ...newRun(state, action.runId, 'interactive', Date.now() - action.elapsedMs, sizes, activations) };
      }
      const costs: [number, number][] = action.costs.length ? action.costs : [[action.iteration, action.cost]];
      return {
        ...next,
        currentRunId: action.runId,
        runs: updateRun(next, action.runId, (r) => ({
          ...r,
          costs: appendCosts(r.costs, costs),
          iteration: action.iteration,
          cost: action.cost,
        })),
        snapshot: action.snapshot ?? next.snapshot,
      };
    }
    case 'trainingFinished': {
      if (state.dismissed.includes(action.runId) || !state.runs.some((r) => r.runId === action.runId)) return state;
      return {
        ...state,
        runs: updateRun(state, action.runId, (r) => ({
          ...r,
          finished: true,
          cancelled: action.cancelled,
          costs: action.costs && action.costs.length ? appendCosts([], action.costs) : r.costs,
          iteration: action.iterations ?? r.iteration,
          cost: action.costs && action.costs.length ? action.costs[action.costs.length - 1][1] : r.cost,
          trainAccuracy: action.trainAccuracy,
          testAccuracy: action.testAccuracy,
          seconds: action.seconds,
          error: action.error?.message,
        })),
        snapshot: action.runId === state.currentRunId ? (action.snapshot ?? state.snapshot) : state.snapshot,
        notice: action.error ? { severity: 'error', message: action.error.message } : state.notice,
      };
    }
    case 'notice':
      return { ...state, notice: { severity: action.severity, message: action.message } };
    case 'exportRequest':
    case 'editResult':
      return state;
    case 'local.select':
      return { ...state, selected: clampSelection(action.layer, state.document) };
    case 'local.toggleLogScale':
      return { ...state, logScale: !state.logScale };
    case 'local.clearRuns': {
      // the run under way stays (its curve keeps growing); finished runs go
      const keep = state.runs.filter((r) => !r.finished && r.runId === state.currentRunId && state.training.running);
      return { ...state, runs: keep, currentRunId: keep.length ? state.currentRunId : undefined, snapshot: keep.length ? state.snapshot : undefined };
    }
    case 'local.reset': {
      // stop and forget the current run, finished or not (back to iteration 0, as in
      // TensorFlow Playground); its late messages are ignored. Other runs stay for comparison.
      const current = state.runs.find((r) => r.runId === state.currentRunId);
      const dismiss = [current?.runId, state.training.running ? state.training.runId : undefined].filter(
        (id): id is number => id !== undefined,
      );
      return {
        ...state,
        runs: state.runs.filter((r) => !dismiss.includes(r.runId)),
        dismissed: [...state.dismissed, ...dismiss].slice(-20),
        currentRunId: undefined,
        snapshot: undefined,
        training: { ...state.training, running: false, paused: false },
        notice: undefined,
      };
    }
    case 'local.dismissNotice':
      return { ...state, notice: undefined };
  }
}

/** The run the counters, boundary and heatmaps show (none after a reset or a clear). */
export function currentRun(state: ViewState): RunView | undefined {
  return state.runs.find((r) => r.runId === state.currentRunId);
}

/** Things the layer list needs in order: input, then layers 1..L. */
export function layerCount(state: ViewState): number {
  return state.document?.layers.length ?? 0;
}

/** Selection after a keyboard move (ArrowUp/Down), within 0..L. */
export function moveSelection(state: ViewState, delta: number): number | null {
  const L = layerCount(state);
  if (!state.document) return null;
  const from = state.selected ?? (delta > 0 ? -1 : L + 1);
  return Math.max(0, Math.min(L, from + delta));
}
