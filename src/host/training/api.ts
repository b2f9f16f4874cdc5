// The part of the training controller (controller.ts) the designer uses, written structurally so
// the designer depends on the API, not on the module.

import type * as vscode from 'vscode';
import type { RunMode } from '../../shared/model/runs';
import type { NetworkSpec } from '../../shared/model/spec';
import type { DoneMessage, InspectedMessage, SnapshotOptions } from '../../shared/wire/training';
import type { SavedModel } from '../../shared/model/results';
import type { RunHistory } from './runHistory';

/** The run under way. */
export interface RunInfo {
  /** its record in the run history */
  id: number;
  uri: vscode.Uri;
  mode: RunMode;
  spec: NetworkSpec;
}

export interface StartOptions {
  mode: Exclude<RunMode, 'loaded'>;
  paused?: boolean;
  /** iterations to run at once (a paused run started by Step) */
  steps?: number;
  maxIterations?: number;
  maxMillis?: number;
  snapshots?: SnapshotOptions;
}

export interface TrainingControllerApi {
  /** every spec's runs */
  readonly history: RunHistory;
  readonly onDidChangeState: vscode.Event<void>;
  readonly current: RunInfo | undefined;
  readonly paused: boolean;
  start(document: vscode.TextDocument, options: StartOptions): Promise<DoneMessage | undefined>;
  stop(): void;
  pause(): void;
  resume(): void;
  step(count?: number): void;
  /** Shows the model saved for a spec as its run, when the spec has none in the history (after a reload). */
  loadSavedRun(specUri: vscode.Uri): Promise<void>;
  /** The run under way as it is, without disturbing it: the step inspector's pass and/or its parameters. */
  inspect(what: { detail?: boolean; parameters?: boolean }): Promise<InspectedMessage>;
  /** The trained model (with its parameters) of a finished run record, while it is kept (the last few of each spec). */
  trainedModel(runId: number): SavedModel | undefined;
}
