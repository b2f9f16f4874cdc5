// Trained models on disk and their reports: where a spec's model goes (and is looked for), saving
// it after a run, reading one back in the data worker (only in a trusted workspace), and the
// reports the report view shows (this session's runs, else the model an earlier session saved).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OpenModelResult } from '../../shared/wire/data';
import type { DoneMessage } from '../../shared/wire/training';
import type { DataAccess } from '../dataAccess';
import { modelPathFor, reportFromModel, reportMarkdown, type TrainingReport } from './report';

export class ModelStore {
  private readonly reports = new Map<string, TrainingReport>();
  private lastReportKey: string | undefined;

  constructor(private readonly data: DataAccess) {}

  /** Where a spec's model goes (and is looked for): the setting, else next to the spec. */
  modelPath(specUri: vscode.Uri): string {
    const setting = vscode.workspace.getConfiguration('nnspec').get<string>('training.modelLocation', '');
    const workspace = vscode.workspace.getWorkspaceFolder(specUri)?.uri.fsPath;
    return modelPathFor(specUri.fsPath, setting, workspace);
  }

  /** The model saved for a spec, when the workspace is trusted and there is one on disk. */
  savedModelOf(specUri: vscode.Uri): string | undefined {
    if (specUri.scheme !== 'file' || !this.data.trusted) return undefined;
    const file = this.modelPath(specUri);
    return existsSync(file) ? file : undefined;
  }

  /**
   * Saves a finished run's model (with the spec's text as it is now) and keeps its report.
   * Returns where it was saved; undefined for a spec that is not a file (nowhere to put it).
   */
  save(document: vscode.TextDocument, done: DoneMessage): { saved?: string; report: TrainingReport; error?: string } {
    let saved: string | undefined;
    let error: string | undefined;
    if (document.uri.scheme === 'file') {
      const modelPath = this.modelPath(document.uri);
      try {
        mkdirSync(path.dirname(modelPath), { recursive: true });
        writeFileSync(modelPath, JSON.stringify({ ...done.model, source: document.getText() }) + '\n');
        saved = modelPath;
      } catch (err) {
        error = `could not save the model to ${modelPath}: ${(err as Error).message}`;
      }
    }
    const report = reportFromModel(done.model, saved ?? document.uri.fsPath, document.uri.fsPath);
    report.modelPath = saved;
    report.date = new Date().toISOString();
    this.remember(report);
    return { saved, report, error };
  }

  lastReport(uri?: vscode.Uri): TrainingReport | undefined {
    return this.reports.get(uri?.toString() ?? this.lastReportKey ?? '');
  }

  reportMarkdown(uri?: vscode.Uri): string | undefined {
    const r = this.lastReport(uri);
    return r && reportMarkdown(r);
  }

  /**
   * The report of a spec: this session's last run, else the model saved beside it by an earlier
   * session (reports live in memory; models on disk).
   */
  async reportFor(specUri?: vscode.Uri): Promise<TrainingReport | undefined> {
    const inMemory = specUri ? this.reports.get(specUri.toString()) : this.lastReport();
    // a model on disk is read only in a trusted workspace (as Open Trained Model)
    const file = !inMemory && specUri ? this.savedModelOf(specUri) : undefined;
    if (!file || !specUri) return inMemory;
    try {
      // read and checked in the data worker, like every model file
      const { model } = await this.data.client.openModel(file, false, this.data.limits());
      // (a model saved before models recorded their spec is this spec's: it was found beside it)
      const report = reportFromModel(model, file, specUri.fsPath);
      this.remember(report);
      return report;
    } catch {
      return undefined;
    }
  }

  /** A model file read with its data (points, decision boundary) in the data worker; throws its error. */
  open(modelPath: string): Promise<OpenModelResult> {
    return this.data.client.openModel(modelPath, true, this.data.limits(), 40);
  }

  /** Keeps a report under its spec (`report.file`), where the report view looks it up. */
  remember(report: TrainingReport): void {
    const key = vscode.Uri.file(report.file).toString();
    this.reports.set(key, report);
    this.lastReportKey = key;
    void vscode.commands.executeCommand('setContext', 'nnspec.hasReport', true);
  }
}

/** Whether a file exists (through the workspace's file system, so any scheme). */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
