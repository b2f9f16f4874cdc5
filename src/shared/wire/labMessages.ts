// The lab's messages between the extension host and the designer webview (part of ToWebview and
// ToHost, wire/designer.ts). Host -> webview: `LabToWebview`. Webview -> host: `LabToHost`,
// checked with `isLabToHost` before the host acts on it (a webview message is untrusted).
// No vscode, DOM or node imports.

import { MAX_SWEEP_RUNS, type LabEvent, type LabState } from '../model/labState';
import { isSweepKey, type SweepAxis, type SweepSettings } from '../model/results';
import { checker, isInt, isObject, onlyKeys, typeOnly, type Checks } from './validate';

// ---------------------------------------------------------------------------------------------
// Host -> webview

/** A spec's lab state, whole: when a view loads and when the designer follows another spec. */
export interface LabStateMessage {
  type: 'labState';
  uri: string;
  lab: LabState;
}

/** One change to the followed spec's lab state, as the host made it. */
export interface LabEventMessage {
  type: 'lab';
  uri: string;
  event: LabEvent;
}

/**
 * A request (Predict an Image): decode this PNG or JPEG with the browser's own decoders and resize
 * it to width × height; answered by `decodedImage`.
 */
export interface DecodeImageMessage {
  type: 'decodeImage';
  name: string;
  mime: 'image/png' | 'image/jpeg';
  /** the file's bytes, base64 */
  data: string;
  width: number;
  height: number;
  channels: number;
}

export type LabToWebview = LabStateMessage | LabEventMessage | DecodeImageMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** Which parameters: the spec's initial ones, or the current run's (paused, running or finished). */
export type LabAt = 'initial' | 'run';

/** Run a sweep of the followed spec: over these axes, or (none) ask for them as the command does. */
export interface RunSweepMessage {
  type: 'runSweep';
  axes?: SweepAxis[];
}
export interface CancelSweepMessage {
  type: 'cancelSweep';
}
/** Write a sweep run's settings into the followed spec, as one edit (one undo step). */
export interface ApplySweepSettingsMessage {
  type: 'applySweepSettings';
  settings: SweepSettings;
  /** the document the sweep ran on: refused when the designer follows another one now */
  uri?: string;
  version?: number;
}
/** The step inspector at the initial parameters, or the current run's. */
export interface InspectStepMessage {
  type: 'inspectStep';
  at: LabAt;
}
export interface CheckGradientsMessage {
  type: 'checkGradients';
  at?: LabAt;
}
/** The computation graph for training example `example` (0-based). */
export interface ShowLogisticGraphMessage {
  type: 'showLogisticGraph';
  example: number;
  at: LabAt;
}
/** The test images the current run's network gets wrong. */
export interface RequestMislabelledMessage {
  type: 'requestMislabelled';
}
/** Run *nnspec: Predict an Image...* (an open dialog on the host's side). */
export interface PickImageMessage {
  type: 'pickImage';
}
/** Open the designer in a panel beside the spec, where the lab's views have room. */
export interface OpenToSideMessage {
  type: 'openToSide';
}
/**
 * The reply to `decodeImage`: the picture the webview decoded and resized to the input's width ×
 * height with the browser's decoders, as H·W·C values 0..255 in the data set's layout (see
 * `rgbaToPixels`); or why it could not.
 */
export interface DecodedImageMessage {
  type: 'decodedImage';
  width?: number;
  height?: number;
  channels?: number;
  pixels?: number[];
  error?: string;
}

export type LabToHost =
  | RunSweepMessage
  | CancelSweepMessage
  | ApplySweepSettingsMessage
  | InspectStepMessage
  | CheckGradientsMessage
  | ShowLogisticGraphMessage
  | RequestMislabelledMessage
  | PickImageMessage
  | OpenToSideMessage
  | DecodedImageMessage;

/** The largest picture a decodedImage message may carry (values). */
export const MAX_IMAGE_VALUES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Validation (host side)

function isLabAt(v: unknown): v is LabAt {
  return v === 'initial' || v === 'run';
}

function shortString(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}


function isAxis(v: unknown): v is SweepAxis {
  return (
    isObject(v) &&
    onlyKeys(v, ['key', 'values']) &&
    isSweepKey(v.key) &&
    Array.isArray(v.values) &&
    v.values.length > 0 &&
    v.values.length <= MAX_SWEEP_RUNS &&
    v.values.every((x) => shortString(x, 100))
  );
}

function isSettings(v: unknown): v is SweepSettings {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.length <= 16 &&
    keys.every((k) => isSweepKey(k)) &&
    Object.values(v).every((x) => (typeof x === 'number' && Number.isFinite(x)) || shortString(x, 100))
  );
}

/** The check of each webview -> host lab message. */
export const LAB_TO_HOST_CHECKS: Checks<LabToHost> = {
  runSweep: (msg) => {
    if (!onlyKeys(msg, ['type', 'axes'])) return false;
    if (msg.axes === undefined) return true;
    if (!Array.isArray(msg.axes) || msg.axes.length === 0 || msg.axes.length > 8) return false;
    if (!msg.axes.every(isAxis)) return false;
    const keys = (msg.axes as SweepAxis[]).map((a) => a.key);
    const runs = (msg.axes as SweepAxis[]).reduce((n, a) => n * a.values.length, 1);
    return new Set(keys).size === keys.length && runs <= MAX_SWEEP_RUNS;
  },
  cancelSweep: typeOnly,
  requestMislabelled: typeOnly,
  pickImage: typeOnly,
  openToSide: typeOnly,
  checkGradients: (msg) => onlyKeys(msg, ['type', 'at']) && (msg.at === undefined || isLabAt(msg.at)),
  applySweepSettings: (msg) =>
    onlyKeys(msg, ['type', 'settings', 'uri', 'version']) &&
    isSettings(msg.settings) &&
    (msg.uri === undefined || shortString(msg.uri, 4096)) &&
    (msg.version === undefined || isInt(msg.version, 0)),
  inspectStep: (msg) => onlyKeys(msg, ['type', 'at']) && isLabAt(msg.at),
  showLogisticGraph: (msg) => onlyKeys(msg, ['type', 'example', 'at']) && isInt(msg.example, 0, 1_000_000_000) && isLabAt(msg.at),
  decodedImage: (msg) => {
    if (!onlyKeys(msg, ['type', 'width', 'height', 'channels', 'pixels', 'error'])) return false;
    if (msg.error !== undefined) return shortString(msg.error, 1000) && msg.pixels === undefined;
    if (!isInt(msg.width, 1, 4096) || !isInt(msg.height, 1, 4096) || !isInt(msg.channels, 1, 4)) return false;
    const n = msg.width * msg.height * msg.channels;
    return (
      n <= MAX_IMAGE_VALUES &&
      Array.isArray(msg.pixels) &&
      msg.pixels.length === n &&
      msg.pixels.every((p) => typeof p === 'number' && p >= 0 && p <= 255)
    );
  },
};

/** True when `msg` is a well-formed webview -> host lab message (unknown types and extra keys are rejected). */
export const isLabToHost = checker<LabToHost>(LAB_TO_HOST_CHECKS);
