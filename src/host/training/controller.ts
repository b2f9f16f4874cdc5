// Runs training for a spec document in the worker and tells everyone about it: the designer
// (events), the user (progress notification, status bar, output channel, result notification)
// and the file system (the trained model next to the spec).

import * as path from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { NetworkSpec } from '../../shared/spec';
import type { OpenModelResult } from '../../shared/dataProtocol';
import type { DoneMessage, ProgressMessage, SnapshotOptions, StartedMessage } from '../../shared/workerProtocol';
import { TrainerClient, TrainingError } from '../../trainer/trainerClient';
import type { AnalysisService } from '../analysis';
import type { DataAccess } from '../dataAccess';
import type { RunInfo, RunMode, TrainingControllerApi } from './api';
import { modelPathFor, reportFromModel, reportMarkdown, runSummary, type TrainingReport } from './report';
import { MANAGE_TRUST, MANAGE_TRUST_COMMAND, refusal, type TrustedAction } from '../trust';

/**
 * Whether an action that reads data or writes models may run now; when not (Restricted Mode),
 * says so with a "Manage Workspace Trust" action, unless `quiet` (the live preview after an edit).
 */
export function mayRun(action: TrustedAction, quiet = false): boolean {
  const refused = refusal(action, vscode.workspace.isTrusted);
  if (refused === undefined) return true;
  if (!quiet) void vscode.window.showWarningMessage(refused, MANAGE_TRUST).then((a) => a && vscode.commands.executeCommand(MANAGE_TRUST_COMMAND));
  return false;
}

export interface StartOptions {
  mode: RunMode;
  paused?: boolean;
  maxIterations?: number;
  maxMillis?: number;
  snapshots?: SnapshotOptions;
}

export class TrainingController implements TrainingControllerApi, vscode.Disposable {
  private readonly client: TrainerClient;
  private readonly startEmitter = new vscode.EventEmitter<RunInfo & { started: StartedMessage }>();
  private readonly progressEmitter = new vscode.EventEmitter<RunInfo & { progress: ProgressMessage }>();
  private readonly finishEmitter = new vscode.EventEmitter<RunInfo & { done?: DoneMessage; error?: { message: string; kind: string } }>();
  private readonly stateEmitter = new vscode.EventEmitter<void>();
  readonly onDidStart = this.startEmitter.event;
  readonly onDidProgress = this.progressEmitter.event;
  readonly onDidFinish = this.finishEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly statusBar = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private run: RunInfo | undefined;
  private isPaused = false;
  private readonly reports = new Map<string, TrainingReport>();
  private lastReportKey: string | undefined;
  /** ids of runs shown from saved models, far from the worker's own */
  private loadedRuns = 1_000_000;

  constructor(
    context: vscode.ExtensionContext,
    private readonly analysis: AnalysisService,
    readonly output: vscode.OutputChannel,
    private readonly data: DataAccess,
  ) {
    this.client = new TrainerClient(path.join(context.extensionPath, 'dist', 'worker.js'));
    this.statusBar.command = 'nnspec.stopTraining';
    this.statusBar.tooltip = 'nnspec: click to stop training';
  }

  get current(): RunInfo | undefined {
    return this.run;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  lastReport(uri?: vscode.Uri): TrainingReport | undefined {
    return this.reports.get(uri?.toString() ?? this.lastReportKey ?? '');
  }

  /** Where a spec's model goes (and is looked for): the setting, else next to the spec. */
  modelPath(specUri: vscode.Uri): string {
    const setting = vscode.workspace.getConfiguration('nnspec').get<string>('training.modelLocation', '');
    const workspace = vscode.workspace.getWorkspaceFolder(specUri)?.uri.fsPath;
    return modelPathFor(specUri.fsPath, setting, workspace);
  }

  /**
   * The report of a spec: this session's last run, else the model saved beside it by an earlier
   * session (reports live in memory; models on disk).
   */
  async reportFor(specUri?: vscode.Uri): Promise<TrainingReport | undefined> {
    const inMemory = specUri ? this.reports.get(specUri.toString()) : this.lastReport();
    // a model on disk is read only in a trusted workspace (as Open Trained Model)
    if (inMemory || !specUri || specUri.scheme !== 'file' || !this.data.trusted) return inMemory;
    const file = this.modelPath(specUri);
    if (!existsSync(file)) return undefined;
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

  /** Keeps a report under its spec (`report.file`), where the report view looks it up. */
  private remember(report: TrainingReport): void {
    const key = vscode.Uri.file(report.file).toString();
    this.reports.set(key, report);
    this.lastReportKey = key;
    void vscode.commands.executeCommand('setContext', 'nnspec.hasReport', true);
  }

  /**
   * Opens a saved model (NAME.model.json, or one saved by `nnspec train --out`): its report,
   * and, when its spec is still there, the spec with the model's cost curve, accuracies and
   * decision boundary in the designer. Errors in the file are shown, never thrown.
   */
  async openModel(modelUri: vscode.Uri): Promise<TrainingReport | undefined> {
    if (!mayRun('openModel')) return undefined;
    const cannot = (message: string): undefined => {
      void vscode.window
        .showErrorMessage(`nnspec: cannot open ${path.basename(modelUri.path)}: ${message}`, 'Open as Text')
        .then((answer) => answer && vscode.window.showTextDocument(modelUri));
      return undefined;
    };
    if (modelUri.scheme !== 'file') return cannot('a trained model is read from a file on disk.');
    let opened: OpenModelResult;
    try {
      // the model and its data are read and checked in the data worker, within the limits
      opened = await this.data.client.openModel(modelUri.fsPath, true, this.data.limits(), 40);
    } catch (err) {
      return cannot((err as Error).message);
    }
    const { model } = opened;
    const report = reportFromModel(model, modelUri.fsPath);
    const specUri = model.specPath && existsSync(model.specPath) ? vscode.Uri.file(model.specPath) : undefined;
    this.remember(report);
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] Opened the model ${modelUri.fsPath}: ${runSummary(model.spec)}`);
    if (specUri) {
      await vscode.window.showTextDocument(specUri, { preview: false });
      this.showModelRun(specUri, opened);
    }
    return report;
  }

  /** Shows a saved model in the designer as a finished run (mode `loaded`). */
  private showModelRun(specUri: vscode.Uri, opened: OpenModelResult): void {
    const { model, snapshot } = opened;
    const info: RunInfo = { runId: ++this.loadedRuns, uri: specUri, mode: 'loaded', spec: model.spec, startedAt: Date.now() };
    const started: StartedMessage = { type: 'started', runId: info.runId, m: opened.m, features: opened.features, testM: opened.testM, points: opened.points };
    if (opened.dataError) this.output.appendLine(`  (its data could not be read: ${opened.dataError}; the curve is shown without it)`);
    this.startEmitter.fire({ ...info, started });
    this.finishEmitter.fire({
      ...info,
      done: {
        type: 'done',
        runId: info.runId,
        cancelled: false,
        iterations: model.iterations,
        costs: model.costs,
        trainAccuracy: model.trainAccuracy,
        testAccuracy: model.testAccuracy,
        seconds: model.seconds,
        model,
        snapshot,
      },
    });
  }

  private setState(run: RunInfo | undefined, paused: boolean): void {
    this.run = run;
    this.isPaused = paused;
    // a live preview is not "training": Train stays in the palette and takes over from it
    void vscode.commands.executeCommand('setContext', 'nnspec.training', !!run && run.mode !== 'preview');
    if (!run || run.mode === 'preview') this.statusBar.hide();
    this.stateEmitter.fire();
  }

  /**
   * Whether a new run may replace the one under way: a preview always gives way; a real run of
   * the same spec gives way to another real run of it; a real run of another spec only when the
   * user says so.
   */
  private async mayReplace(document: vscode.TextDocument, mode: RunMode): Promise<boolean> {
    const current = this.run;
    if (!current) return true;
    if (mode === 'preview') return current.mode === 'preview';
    if (current.mode === 'preview' || current.uri.toString() === document.uri.toString()) return true;
    const running = path.basename(current.uri.path);
    const answer = await vscode.window.showWarningMessage(
      `nnspec: ${running} is training. Stop it and train ${path.basename(document.uri.path)}?`,
      'Stop and Train',
      'Keep Training',
    );
    return answer === 'Stop and Train';
  }

  async start(document: vscode.TextDocument, options: StartOptions): Promise<DoneMessage | undefined> {
    // reading data and writing the model: a trusted workspace only
    if (!mayRun(options.mode === 'preview' ? 'livePreview' : 'train', options.mode === 'preview')) return undefined;
    const analysis = options.mode === 'preview' ? this.analysis.get(document) : await this.analysis.refresh(document);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const name = path.basename(document.uri.fsPath);
    if (errors.length) {
      if (options.mode !== 'preview') {
        void vscode.window
          .showErrorMessage(`nnspec: fix the ${errors.length} error${errors.length === 1 ? '' : 's'} in ${name} before training.`, 'Show Problems')
          .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
      }
      return undefined;
    }
    const spec: NetworkSpec = analysis.parsed.spec;
    if (!(await this.mayReplace(document, options.mode))) return undefined;
    const total = Math.min(spec.iterations, options.maxIterations ?? spec.iterations);
    const recordEvery = Math.max(1, Math.min(spec.printEvery, Math.ceil(total / 400)));
    let report: ((v: { message: string; increment?: number }) => void) | undefined;
    let reportedPercent = 0;
    // eslint-disable-next-line prefer-const
    let info: RunInfo;
    const { runId, done } = this.client.run(
      {
        spec,
        specDir: path.dirname(document.uri.fsPath),
        maxIterations: options.maxIterations,
        maxMillis: options.maxMillis,
        snapshots: options.snapshots,
        paused: options.paused,
        recordEvery,
        // stored in the model, so that it finds its data again from anywhere
        specPath: document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
        // the data size limit and the memory budget: a run over the budget is refused before allocating
        limits: this.data.limits(),
      },
      {
        onStarted: (started) => {
          if (info.mode !== 'preview') {
            if (started.kernels) this.output.appendLine(`  matrix products: ${started.kernels}`);
            if (started.notice) this.output.appendLine(`  ${started.notice}`);
          }
          this.startEmitter.fire({ ...info, started });
        },
        onProgress: (progress) => {
          if (this.run?.runId === runId) this.isPaused = progress.paused;
          this.progressEmitter.fire({ ...info, progress });
          if (info.mode !== 'preview') {
            const icon = progress.paused ? '$(debug-pause)' : '$(sync~spin)';
            this.statusBar.text = `${icon} nnspec: ${progress.iteration}/${total} cost ${progress.cost.toFixed(4)}${progress.paused ? ' (paused)' : ''}`;
            this.statusBar.show();
            const percent = Math.floor((100 * progress.iteration) / total);
            report?.({ message: `iteration ${progress.iteration}/${total}, cost ${progress.cost.toFixed(4)}`, increment: percent - reportedPercent });
            reportedPercent = percent;
          }
        },
      },
    );
    info = { runId, uri: document.uri, mode: options.mode, spec, startedAt: Date.now() };
    this.setState(info, !!options.paused);
    if (options.mode !== 'preview') {
      this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${options.mode === 'full' ? 'Training' : 'Interactive run of'} ${name}: ${runSummary(spec)}`);
    }
    if (options.mode === 'full') {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `nnspec: training ${name}`, cancellable: true },
        (progress, token) => {
          report = (v) => progress.report(v);
          token.onCancellationRequested(() => {
            if (this.run?.runId === runId) this.stop();
          });
          return done.catch(() => undefined);
        },
      );
    }
    try {
      const result = await done;
      this.finishEmitter.fire({ ...info, done: result });
      if (result.cancelled) {
        if (options.mode !== 'preview') {
          this.output.appendLine(`  stopped at iteration ${result.iterations}; no model saved.`);
          vscode.window.setStatusBarMessage(`nnspec: training of ${name} stopped at iteration ${result.iterations}`, 4000);
        }
        return undefined;
      }
      if (options.mode !== 'preview') this.finished(document, result, options.mode);
      return result;
    } catch (err) {
      const e = err instanceof TrainingError ? err : new TrainingError(String(err), 'internal');
      this.finishEmitter.fire({ ...info, error: { message: e.message, kind: e.kind } });
      if (options.mode !== 'preview') this.failed(document, e);
      return undefined;
    } finally {
      if (this.run?.runId === runId) this.setState(undefined, false);
    }
  }

  private finished(document: vscode.TextDocument, done: DoneMessage, mode: RunMode): void {
    const name = path.basename(document.uri.fsPath);
    let saved: string | undefined;
    if (document.uri.scheme !== 'file') {
      // an untitled spec has no folder to put the model in (nor to find data files from)
      this.output.appendLine('  the model is not saved: save the spec to a file first.');
    } else {
      const modelPath = this.modelPath(document.uri);
      try {
        mkdirSync(path.dirname(modelPath), { recursive: true });
        writeFileSync(modelPath, JSON.stringify({ ...done.model, source: document.getText() }) + '\n');
        saved = modelPath;
      } catch (err) {
        void vscode.window.showErrorMessage(`nnspec: could not save the model to ${modelPath}: ${(err as Error).message}`);
      }
    }
    const report: TrainingReport = {
      name: done.model.spec.name ?? name,
      file: document.uri.fsPath,
      spec: done.model.spec,
      costs: done.costs,
      trainAccuracy: done.trainAccuracy,
      testAccuracy: done.testAccuracy,
      iterations: done.iterations,
      seconds: done.seconds,
      modelPath: saved,
      date: new Date().toISOString(),
    };
    this.remember(report);
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    const summary = `train accuracy ${pct(done.trainAccuracy)}` + (done.testAccuracy === null ? '' : `, test ${pct(done.testAccuracy)}`);
    this.output.appendLine(
      `  done: ${done.iterations} iterations in ${done.seconds.toFixed(2)} s, final cost ${done.costs[done.costs.length - 1]?.[1]}, ${summary}` +
        (saved ? `; model saved to ${saved}` : ''),
    );
    if (mode === 'full') {
      void vscode.window
        .showInformationMessage(`nnspec: trained ${report.name}: ${summary} (${done.seconds.toFixed(1)} s)`, 'Show Report', 'Open Model')
        .then((a) => {
          if (a === 'Show Report') void vscode.commands.executeCommand('nnspec.showReport', document.uri);
          if (a === 'Open Model' && saved) void vscode.window.showTextDocument(vscode.Uri.file(saved));
        });
    }
  }

  private failed(document: vscode.TextDocument, err: TrainingError): void {
    const name = path.basename(document.uri.fsPath);
    this.output.appendLine(`  failed (${err.kind}): ${err.message}`);
    if (err.kind === 'diverged') {
      void vscode.window.showErrorMessage(`nnspec: training ${name} stopped. ${err.message}`, 'Open Spec').then((a) => {
        if (!a) return;
        const line = this.analysis.get(document).parsed.single.learning_rate?.line ?? 0;
        void vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 0, line, document.lineAt(line).text.length) });
      });
    } else if (err.kind === 'data' || err.kind === 'spec') {
      void vscode.window
        .showErrorMessage(`nnspec: cannot train ${name}: ${err.message}`, 'Show Problems')
        .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
    } else if (err.kind === 'memory') {
      void vscode.window
        .showErrorMessage(`nnspec: cannot train ${name}: ${err.message}`, 'Open Settings')
        .then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'nnspec.training.memoryBudgetMB'));
    } else {
      void vscode.window.showErrorMessage(`nnspec: training ${name} failed: ${err.message}`, 'Show Output').then((a) => a && this.output.show());
    }
  }

  stop(): void {
    this.client.stop();
  }

  pause(): void {
    this.client.pause();
    this.isPaused = true;
    this.stateEmitter.fire();
  }

  resume(): void {
    this.client.resume();
    this.isPaused = false;
    this.stateEmitter.fire();
  }

  step(count = 1): void {
    this.client.step(count);
    this.isPaused = true;
    this.stateEmitter.fire();
  }

  reportMarkdown(uri?: vscode.Uri): string | undefined {
    const r = this.lastReport(uri);
    return r && reportMarkdown(r);
  }

  dispose(): void {
    this.client.dispose();
    this.statusBar.dispose();
    this.startEmitter.dispose();
    this.progressEmitter.dispose();
    this.finishEmitter.dispose();
    this.stateEmitter.dispose();
  }
}
