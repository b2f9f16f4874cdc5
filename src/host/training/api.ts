// The part of the training controller (src/host/training/controller.ts) the designer uses,
// written structurally so the designer depends on the API, not on the module.

import type * as vscode from 'vscode';
import type { NetworkSpec } from '../../shared/spec';
import type { DoneMessage, ProgressMessage, SnapshotOptions, StartedMessage } from '../../shared/workerProtocol';

export type { RunMode } from '../../shared/protocol';
import type { RunMode } from '../../shared/protocol';

export interface RunInfo {
  runId: number;
  uri: vscode.Uri;
  mode: RunMode;
  spec: NetworkSpec;
  startedAt: number;
}

export interface TrainingControllerApi {
  readonly onDidStart: vscode.Event<RunInfo & { started: StartedMessage }>;
  readonly onDidProgress: vscode.Event<RunInfo & { progress: ProgressMessage }>;
  readonly onDidFinish: vscode.Event<RunInfo & { done?: DoneMessage; error?: { message: string; kind: string } }>;
  readonly onDidChangeState: vscode.Event<void>;
  readonly current: RunInfo | undefined;
  readonly paused: boolean;
  start(
    document: vscode.TextDocument,
    options: { mode: RunMode; paused?: boolean; maxIterations?: number; maxMillis?: number; snapshots?: SnapshotOptions },
  ): Promise<DoneMessage | undefined>;
  stop(): void;
  pause(): void;
  resume(): void;
  step(count?: number): void;
}
