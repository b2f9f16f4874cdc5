// Messages between the extension host and the designer webview: the one module both sides
// import. They travel in the messenger's envelopes (src/shared/wire/messenger.ts): `applyEdit` and
// `exportRequest` are requests (answered by `editResult` and `exportResult`), the rest are
// notifications; the lab's messages are in src/shared/wire/labMessages.ts (`decodeImage` is a request
// answered by `decodedImage`). No vscode, DOM or node imports.
//
// Host -> webview: `ToWebview`. Webview -> host: `ToHost`, checked with `isToHost` before the
// host acts on it (a webview message is untrusted input).

import type { Severity } from '../model/diagnostics';
import type { SpecFacts } from '../model/facts';
import type { NetworkEdit } from '../model/edits';
import { isNetworkEdit } from './edits';
import { LAB_TO_HOST_CHECKS, type DecodedImageMessage, type LabToHost, type LabToWebview } from './labMessages';
import type { RunEvent, RunList } from '../model/runs';
import type { Activation, InitScheme, Loss, NetworkSpec } from '../model/spec';
import { checker, isInt, oneOf, onlyKeys, typeOnly, type Checks } from './validate';

// ---------------------------------------------------------------------------------------------
// View model of a document (host -> webview)

/** A shape dimension: a number, `m` (examples unknown) or `?` (unknown because of an error). */
export type Dim = number | string;

export interface DiagnosticView {
  severity: Severity;
  message: string;
  code: string;
  /** 0-based line and column, as in the Problems panel (shown 1-based) */
  line: number;
  character: number;
  /** 0 = the input line, 1..L = that dense layer; undefined = another line */
  layer?: number;
}

export interface LayerView {
  /** l, 1..L */
  index: number;
  /** 0-based line of its `dense` statement */
  line: number;
  units?: number;
  activation?: Activation;
  /** the tokens as written (may be invalid) */
  unitsText: string;
  activationText: string;
  W: [Dim, Dim];
  b: [Dim, 1];
  /** Z[l] and A[l] */
  A: [Dim, Dim];
  params?: number;
  isOutput: boolean;
}

export interface InputView {
  line?: number;
  /** n_x */
  size?: number;
  /** HxWxC when the spec gives it */
  dims?: number[];
  /** the token as written */
  text: string;
}

export interface DataView {
  split: 'train' | 'test';
  /** "flower, m=400" or the file name */
  label: string;
  /** the file's path as the spec writes it */
  path?: string;
  generated: boolean;
  /** from the data summaries, when read */
  features?: number;
  m?: number;
  error?: string;
}

export interface SettingsView {
  learningRate: number;
  iterations: number;
  init: InitScheme;
  seed: number;
  loss: Loss;
  /** which settings are written in the file (the others are defaults) */
  written: { learningRate: boolean; iterations: boolean; init: boolean; seed: boolean; loss: boolean };
}

export interface DocumentState {
  uri: string;
  /** base name, e.g. flower.nnspec */
  fileName: string;
  version: number;
  name?: string;
  input: InputView;
  layers: LayerView[];
  diagnostics: DiagnosticView[];
  /** what the analysis knows of the spec (m, the parameters, the memory, whether it can be trained), derived once */
  facts: SpecFacts;
  settings: SettingsView;
  data: { train?: DataView; test?: DataView };
  /** the (valid) spec as parsed */
  spec: NetworkSpec;
}

export interface FileEntry {
  uri: string;
  label: string;
  /** workspace-relative folder, for the list */
  description?: string;
}


// ---------------------------------------------------------------------------------------------
// Host -> webview

/** The whole picture; sent once per analysis of the followed document, and when the view loads. */
export interface StateMessage {
  type: 'state';
  /** null: no spec open (the view shows the empty state with `files`) */
  document: DocumentState | null;
  files: FileEntry[];
  live: boolean;
}

/** The editor cursor moved onto a layer's line (0 = input). */
export interface SelectLayerFromHost {
  type: 'selectLayer';
  layer: number;
}

/**
 * The runs of a spec, whole: when the view loads and when it follows another spec (with
 * `elsewhere`: a run of another spec is under way). From then on its run events (`run`); the
 * training buttons follow the runs (trainingStatus, model/runs.ts), there is no other state of
 * a run to send.
 */
export interface RunsMessage {
  type: 'runs';
  uri: string;
  list: RunList;
  /** the view is to scroll the training panel into view (a run just started) */
  reveal?: boolean;
}

/** One change to the followed spec's runs, as the host's run history made it. */
export interface RunEventMessage {
  type: 'run';
  uri: string;
  event: RunEvent;
}


/** A request: render the diagram for export (answered by `exportResult`). */
export interface ExportRequestMessage {
  type: 'exportRequest';
  format: 'svg' | 'png';
}

/** Something the user should know that is not a diagnostic (a failed edit, a failed start). */
export interface NoticeMessage {
  type: 'notice';
  severity: 'info' | 'error';
  message: string;
}

/** The reply to `applyEdit`, sent after the one `state` that shows its result. */
export interface EditResultMessage {
  type: 'editResult';
  applied: boolean;
  /** why not: the document changed meanwhile, the edit changes nothing, or it failed */
  reason?: 'stale' | 'unchanged' | 'failed';
}

/** The host's requests to the webview and their replies (the rest of ToWebview are notifications). */
export interface WebviewReplies {
  exportRequest: ExportResultMessage;
  decodeImage: DecodedImageMessage;
}

export type ToWebview =
  | EditResultMessage
  | StateMessage
  | SelectLayerFromHost
  | RunsMessage
  | RunEventMessage
  | ExportRequestMessage
  | NoticeMessage
  // the lab (src/shared/wire/labMessages.ts)
  | LabToWebview;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** The webview is loaded and listening; the host answers with `state` and `runs`. */
export interface ReadyMessage {
  type: 'ready';
}

/**
 * A request: one designer action = one edit = one undo step. The webview sends one at a time
 * and waits for the reply (`editResult`, after the new `state`) before the next, so that every
 * edit names layers as the document has them.
 */
export interface ApplyEditMessage {
  type: 'applyEdit';
  edit: NetworkEdit;
  /** the document and its version the edit was made against: the host refuses it when the
   * designer follows another document now, or the text has changed since (typed in the editor
   * meanwhile), rather than edit the wrong layer */
  uri?: string;
  version?: number;
}

/** A layer was selected in the designer (0 = input): reveal its line. */
export interface SelectLayerMessage {
  type: 'selectLayer';
  layer: number;
}

/** Reveal and select a line in the editor (a problem that is not on a layer). */
export interface RevealLineMessage {
  type: 'revealLine';
  line: number;
  character?: number;
}

/** Train interactively (resume when paused). */
export interface PlayMessage {
  type: 'play';
}
export interface PauseMessage {
  type: 'pause';
}
/** Run `count` iterations (default 1); starts a paused run first when none is under way. */
export interface StepMessage {
  type: 'step';
  count?: number;
}
/** Stop the current run and forget it. */
export interface ResetMessage {
  type: 'reset';
}
/** Forget the finished runs of the followed spec. */
export interface ClearRunsMessage {
  type: 'clearRuns';
}
/** Run `nnspec.toggleLivePreview`. */
export interface ToggleLiveMessage {
  type: 'toggleLive';
}
/** Run `nnspec.newSpec`. */
export interface NewSpecMessage {
  type: 'newSpec';
}
/** Open one of the listed spec files. */
export interface OpenFileMessage {
  type: 'openFile';
  uri: string;
}
/** Run the export command (the host asks back with `exportRequest`). */
export interface ExportMessage {
  type: 'export';
  format: 'svg' | 'png';
}
/** The reply to `exportRequest`: SVG text, or a PNG data URL; `error` when rendering failed. */
export interface ExportResultMessage {
  type: 'exportResult';
  format: 'svg' | 'png';
  data?: string;
  error?: string;
}

/** The webview's requests to the host and their replies (the rest of ToHost are notifications). */
export interface HostReplies {
  applyEdit: EditResultMessage;
}

export type ToHost =
  | ReadyMessage
  | ApplyEditMessage
  | SelectLayerMessage
  | RevealLineMessage
  | PlayMessage
  | PauseMessage
  | StepMessage
  | ResetMessage
  | ClearRunsMessage
  | ToggleLiveMessage
  | NewSpecMessage
  | OpenFileMessage
  | ExportMessage
  | ExportResultMessage
  // the lab (src/shared/wire/labMessages.ts)
  | LabToHost;

// ---------------------------------------------------------------------------------------------
// Validation (host side)

/** The check of each webview -> host message of the designer (the lab's: LAB_TO_HOST_CHECKS). */
const DESIGNER_TO_HOST_CHECKS: Checks<Exclude<ToHost, LabToHost>> = {
  ready: typeOnly,
  play: typeOnly,
  pause: typeOnly,
  reset: typeOnly,
  clearRuns: typeOnly,
  toggleLive: typeOnly,
  newSpec: typeOnly,
  step: (msg) => onlyKeys(msg, ['type', 'count']) && (msg.count === undefined || isInt(msg.count, 1, 100_000)),
  applyEdit: (msg) =>
    onlyKeys(msg, ['type', 'edit', 'uri', 'version']) &&
    isNetworkEdit(msg.edit) &&
    (msg.uri === undefined || (typeof msg.uri === 'string' && msg.uri.length < 4096)) &&
    (msg.version === undefined || isInt(msg.version, 0)),
  selectLayer: (msg) => onlyKeys(msg, ['type', 'layer']) && isInt(msg.layer, 0, 100_000),
  revealLine: (msg) => onlyKeys(msg, ['type', 'line', 'character']) && isInt(msg.line, 0) && (msg.character === undefined || isInt(msg.character, 0)),
  openFile: (msg) => onlyKeys(msg, ['type', 'uri']) && typeof msg.uri === 'string' && msg.uri.length > 0 && msg.uri.length < 4096,
  export: (msg) => onlyKeys(msg, ['type', 'format']) && oneOf(msg.format, ['svg', 'png'] as const),
  exportResult: (msg) =>
    onlyKeys(msg, ['type', 'format', 'data', 'error']) &&
    oneOf(msg.format, ['svg', 'png'] as const) &&
    (msg.data === undefined || typeof msg.data === 'string') &&
    (msg.error === undefined || typeof msg.error === 'string') &&
    (msg.data !== undefined || msg.error !== undefined),
};

/** True when `msg` is a well-formed webview -> host message (unknown types and extra keys are rejected). */
export const isToHost = checker<ToHost>({ ...DESIGNER_TO_HOST_CHECKS, ...LAB_TO_HOST_CHECKS });
