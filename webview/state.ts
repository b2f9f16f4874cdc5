// The designer's view state as a pure reducer over host messages and local actions. No DOM:
// unit-tested in Node. The runs are a view of the host's run history for the followed spec,
// changed by the same applyRunEvent (src/shared/model/runs.ts) the host uses; only the view's own
// choices (the selection, the log scale) go into `vscode.setState` for when the view reloads.

import { applyLabEvent, EMPTY_LAB, type LabState, type LabTopic } from '../src/shared/model/labState';
import { passTargets } from '../src/shared/model/facts';
import type { DocumentState, FileEntry, ToWebview } from '../src/shared/wire/designer';
import { applyRunEvent, currentRun, EMPTY_RUNS, trainingStatus, type RunList, type TrainingStatus } from '../src/shared/model/runs';

/** The lab's tabs. */
export const LAB_TABS = ['sweep', 'step', 'gradcheck', 'graph', 'pictures', 'metrics'] as const;
export type LabTab = (typeof LAB_TABS)[number];

export interface ViewState {
  document: DocumentState | null;
  files: FileEntry[];
  live: boolean;
  /** 0 = input layer, 1..L = dense layers, null = nothing selected */
  selected: number | null;
  /** the runs of `runsUri` (the followed spec) */
  runs: RunList;
  runsUri?: string;
  logScale: boolean;
  notice?: { severity: 'info' | 'error'; message: string };
  /** the lab state of `labUri` (the followed spec) */
  lab: LabState;
  labUri?: string;
  /** the lab's tab on view */
  labTab: LabTab;
  /** the example the computation graph is for */
  graphExample: number;
}

export type LocalAction =
  | { type: 'local.select'; layer: number | null }
  | { type: 'local.toggleLogScale' }
  /** the current run is reset (the host forgets it too) */
  | { type: 'local.reset' }
  /** the finished runs are cleared (the host forgets them too) */
  | { type: 'local.clearRuns' }
  | { type: 'local.dismissNotice' }
  | { type: 'local.labTab'; tab: LabTab }
  | { type: 'local.graphExample'; example: number };

export type Action = ToWebview | LocalAction;

export function initialState(): ViewState {
  return {
    document: null,
    files: [],
    live: false,
    selected: null,
    runs: EMPTY_RUNS,
    logScale: false,
    lab: EMPTY_LAB,
    labTab: 'sweep',
    graphExample: 0,
  };
}

/** What goes into vscode.setState: the view's own choices (the document, the runs and the lab come from the host). */
export type PersistedState = Pick<ViewState, 'selected' | 'logScale' | 'labTab' | 'graphExample'>;

export function persisted(state: ViewState): PersistedState {
  return { selected: state.selected, logScale: state.logScale, labTab: state.labTab, graphExample: state.graphExample };
}

/** The state after the webview was re-created, from what it had saved (tolerates junk). */
export function restore(saved: unknown): ViewState {
  const state = initialState();
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Partial<PersistedState>;
  if (typeof s.selected === 'number' || s.selected === null) state.selected = s.selected;
  if (typeof s.logScale === 'boolean') state.logScale = s.logScale;
  if ((LAB_TABS as readonly unknown[]).includes(s.labTab)) state.labTab = s.labTab!;
  if (typeof s.graphExample === 'number' && Number.isInteger(s.graphExample) && s.graphExample >= 0) state.graphExample = s.graphExample;
  return state;
}

function clampSelection(selected: number | null, document: DocumentState | null): number | null {
  if (selected === null || !document) return selected;
  const last = document.layers.length;
  return Math.max(0, Math.min(selected, last));
}

export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'state': {
      // another spec: its runs come from the host (before or after its state)
      const other = !!action.document && state.runsUri !== undefined && action.document.uri !== state.runsUri;
      const otherLab = !!action.document && state.labUri !== undefined && action.document.uri !== state.labUri;
      return {
        ...state,
        ...(other ? { runs: EMPTY_RUNS, runsUri: undefined, selected: null } : {}),
        ...(otherLab ? { lab: EMPTY_LAB, labUri: undefined } : {}),
        document: action.document,
        files: action.files,
        live: action.live,
        selected: clampSelection(other ? null : state.selected, action.document),
      };
    }
    case 'runs':
      return { ...state, runs: action.list, runsUri: action.uri };
    case 'run': {
      if (action.uri !== state.runsUri) return state;
      const { event } = action;
      const runs = applyRunEvent(state.runs, event);
      if (event.kind === 'created') return { ...state, runs, notice: undefined };
      if (event.kind === 'ended' && event.error) return { ...state, runs, notice: { severity: 'error', message: event.error.message } };
      return { ...state, runs };
    }
    case 'selectLayer':
      return { ...state, selected: clampSelection(action.layer, state.document) };
    case 'notice':
      return { ...state, notice: { severity: action.severity, message: action.message } };
    case 'labState':
      return { ...state, lab: action.lab, labUri: action.uri };
    case 'lab': {
      if (action.uri !== state.labUri) return state;
      const { event } = action;
      const lab = applyLabEvent(state.lab, event);
      // a question asked (here, or by a command): its tab comes into view
      if (event.kind === 'sweepStarted') return { ...state, lab, labTab: 'sweep' };
      if (event.kind === 'slot' && event.slot.status === 'pending') return { ...state, lab, labTab: TAB_OF[event.topic] };
      return { ...state, lab };
    }
    case 'exportRequest':
    case 'editResult':
    case 'decodeImage':
      return state;
    case 'local.labTab':
      return { ...state, labTab: action.tab };
    case 'local.graphExample':
      return { ...state, graphExample: Math.max(0, Math.floor(action.example)) };
    case 'local.select':
      return { ...state, selected: clampSelection(action.layer, state.document) };
    case 'local.toggleLogScale':
      return { ...state, logScale: !state.logScale };
    case 'local.reset': {
      // back to no current run (as TensorFlow Playground resets to iteration 0); the others stay
      const ids = state.runs.currentId === undefined ? [] : [state.runs.currentId];
      // (with no current run, the spec is not training: trainingStatus)
      return { ...state, runs: applyRunEvent(state.runs, { kind: 'removed', ids }), notice: undefined };
    }
    case 'local.clearRuns':
      return { ...state, runs: applyRunEvent(state.runs, { kind: 'removed', ids: state.runs.records.filter((r) => r.finished).map((r) => r.id) }) };
    case 'local.dismissNotice':
      return { ...state, notice: undefined };
  }
}

const TAB_OF: Record<LabTopic, LabTab> = { step: 'step', gradcheck: 'gradcheck', graph: 'graph', mislabelled: 'pictures', prediction: 'pictures' };

/** Selection after a keyboard move (ArrowUp/Down), within 0..L. */
export function moveSelection(state: ViewState, delta: number): number | null {
  if (!state.document) return null;
  const L = state.document.layers.length;
  const from = state.selected ?? (delta > 0 ? -1 : L + 1);
  return Math.max(0, Math.min(L, from + delta));
}

/** Whether the followed spec's run is under way and paused, or another spec's: from its runs (trainingStatus). */
export function trainingOf(state: ViewState): TrainingStatus {
  return trainingStatus(state.runs);
}

/** Where the lab can run one forward and backward pass, as the host answers it (passTargets, src/shared/model/facts.ts). */
export function passTargetsOf(state: ViewState): { initial: boolean; run: boolean } {
  return passTargets(state.document?.facts, currentRun(state.runs));
}
