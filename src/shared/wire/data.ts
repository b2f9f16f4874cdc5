// Messages between the extension host and the data worker (src/trainer/dataWorker.ts), which
// reads data files and saved models off the host's thread. No vscode, DOM or node imports.
// Each request travels through the messenger (src/shared/wire/messenger.ts) and is answered with
// one `result` or `error` in reply to it.

import type { DataSummary } from '../model/data';
import type { Limits } from '../model/limits';
import type { DataSource } from '../model/spec';
import type { BoundarySnapshot, PointSet } from '../model/runs';
import type { SavedModel } from '../model/results';


/** What the editor's checks need of one data set (DataSummary), and where the file really is. */
export interface InspectRequest {
  type: 'inspect';
  source: DataSource;
  /** the folder the spec's data paths are relative to */
  specDir: string;
  limits: Limits;
  /** the workspace folders: a file whose real path (symlinks resolved) is in none is `outside` */
  roots: string[];
}

/** Reads and validates a saved model; with `withData`, also its data (points, decision boundary). */
export interface OpenModelRequest {
  type: 'openModel';
  /** the model file */
  path: string;
  withData: boolean;
  limits: Limits;
  /** decision-boundary grid size for 2-feature data (default 40) */
  grid?: number;
}

export type ToDataWorker = InspectRequest | OpenModelRequest;

export interface InspectResult {
  summary: DataSummary;
  /** the answer came from the worker's cache (same path, size and mtime) */
  cached: boolean;
}

/** Where a data file is, for an `inspect` answer or error (absent for generated sets). */
export interface FileWhere {
  /** the file's real path, symlinks resolved (absent when it does not exist) */
  realPath?: string;
  /** the real path is inside none of the request's roots */
  outside?: boolean;
}

export interface OpenModelResult {
  model: SavedModel;
  /** examples in its training set, features, test examples (0 when not read) */
  m: number;
  features: number;
  testM: number;
  points?: { train: PointSet; test?: PointSet };
  snapshot?: BoundarySnapshot;
  /** why its data could not be read (the model itself is fine) */
  dataError?: string;
}

export interface ResultMessage {
  type: 'result';
  inspect?: InspectResult & FileWhere;
  model?: OpenModelResult;
}

export interface DataErrorMessage extends FileWhere {
  type: 'error';
  message: string;
  /** 'data' (the data file), 'model' (the model file), 'internal' (a bug) */
  kind: 'data' | 'model' | 'internal';
  /** the file was refused before reading: larger than maxFileBytes, or over the memory budget */
  refusal?: 'file-too-large' | 'over-budget';
}

export type FromDataWorker = ResultMessage | DataErrorMessage;

/** The host's requests to the data worker and their replies (every message to it is a request). */
export interface DataWorkerReplies {
  inspect: FromDataWorker;
  openModel: FromDataWorker;
}
