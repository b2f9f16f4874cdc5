// The extension host's access to data files and saved models: everything is read in the data
// worker (dist/dataWorker.js) through one DataClient, within the limits the settings give
// (nnspec.data.maxFileMB, nnspec.training.memoryBudgetMB), and only in a trusted workspace.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParsedSpec } from '../language';
import type { RequestLimits } from '../shared/wire/data';
import { DataClient } from '../trainer/dataClient';
import { DEFAULT_MEMORY_BUDGET_MB } from '../trainer/datasets';
import { dataChecks, type DataCheckResult } from './dataChecks';

const MB = 1024 * 1024;
export const DEFAULT_MAX_FILE_MB = 512;

export class DataAccess implements vscode.Disposable {
  readonly client: DataClient;

  constructor(extensionPath: string) {
    this.client = new DataClient(path.join(extensionPath, 'dist', 'dataWorker.js'), {
      // a read that runs away ends the worker (and fails that request), never the host
      resourceLimits: { maxOldGenerationSizeMb: Math.max(this.budgetMB(), DEFAULT_MAX_FILE_MB) + 512 },
    });
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  private budgetMB(): number {
    // declared with the memory estimate; read with its default until then
    const v = vscode.workspace.getConfiguration('nnspec').get<number>('training.memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB);
    return typeof v === 'number' && v > 0 ? v : DEFAULT_MEMORY_BUDGET_MB;
  }

  limits(): RequestLimits {
    const maxFile = vscode.workspace.getConfiguration('nnspec').get<number>('data.maxFileMB', DEFAULT_MAX_FILE_MB);
    return {
      maxFileBytes: (typeof maxFile === 'number' && maxFile > 0 ? maxFile : DEFAULT_MAX_FILE_MB) * MB,
      memoryBudgetBytes: this.budgetMB() * MB,
    };
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
