// The extension host's access to data files and saved models: everything is read in the data
// worker (dist/dataWorker.js) through one DataClient, within the limits the settings give
// (nnspec.data.maxFileMB, nnspec.training.memoryBudgetMB), and only in a trusted workspace.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParsedSpec } from '../language';
import { DEFAULT_MAX_FILE_MB, limitsFromSettings, type Limits } from '../shared/model/limits';
import { DataClient } from '../trainer/dataClient';
import { dataChecks, type DataCheckResult } from './dataChecks';

export class DataAccess implements vscode.Disposable {
  readonly client: DataClient;

  constructor(extensionPath: string) {
    this.client = new DataClient(path.join(extensionPath, 'dist', 'dataWorker.js'), {
      // a read that runs away ends the worker (and fails that request), never the host
      resourceLimits: { maxOldGenerationSizeMb: Math.max(settingsLimits().memoryBudgetMB, DEFAULT_MAX_FILE_MB) + 512 },
    });
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  limits(): Limits {
    const { maxFileBytes, memoryBudgetBytes } = settingsLimits();
    return { maxFileBytes, memoryBudgetBytes };
  }

  /** The workspace folders on disk: a data file in none of them gets a warning. */
  roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** The data checks of a document: read in the worker (file documents only), or skipped in Restricted Mode. */
  check(document: vscode.TextDocument, parsed: ParsedSpec): Promise<DataCheckResult> {
    const onDisk = document.uri.scheme === 'file';
    const dir = path.dirname(document.uri.fsPath);
    const limits = this.limits();
    const roots = this.roots();
    return dataChecks(parsed, { trusted: this.trusted }, onDisk ? (source) => this.client.inspect(source, dir, limits, roots) : undefined);
  }

  /** Data files changed on disk: ask again for those whose reading was abandoned. */
  forgetAbandoned(): void {
    this.client.forgetAbandoned();
  }

  dispose(): void {
    this.client.dispose();
  }
}

/** The limits the settings nnspec.training.memoryBudgetMB and nnspec.data.maxFileMB give now. */
export function settingsLimits(): ReturnType<typeof limitsFromSettings> {
  const config = vscode.workspace.getConfiguration('nnspec');
  return limitsFromSettings({ memoryBudgetMB: config.get('training.memoryBudgetMB'), maxFileMB: config.get('data.maxFileMB') });
}
