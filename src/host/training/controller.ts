// Runs training for a spec document in the worker: one run at a time, each a record in the run
// history (runHistory.ts) that the worker's progress updates unchanged; the user hears of it
// through feedback.ts, the trained model goes to disk through models.ts.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OpenModelResult } from '../../shared/wire/data';
import { PROGRESS_EVERY_MS, recordEvery } from '../../shared/model/runs';
import type { DoneMessage, InspectedMessage } from '../../shared/wire/training';
import type { SavedModel } from '../../shared/model/results';
import { TrainerClient, TrainingError } from '../../trainer/trainerClient';
import type { AnalysisService } from '../analysis';
import type { DataAccess } from '../dataAccess';
import { MANAGE_TRUST, MANAGE_TRUST_COMMAND, refusal, type TrustedAction } from '../trust';
import type { RunInfo, StartOptions, TrainingControllerApi } from './api';
import { RunFeedback } from './feedback';
import { fileExists, ModelStore } from './models';
import { reportFromModel, runSummary, type TrainingReport } from './report';
import { RunHistory } from './runHistory';

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

/** Trained models the controller keeps for the lab (a few MB each at most for the course's nets). */
const MODELS_KEPT = 8;

export class TrainingController implements TrainingControllerApi, vscode.Disposable {
  readonly history = new RunHistory();
  readonly models: ModelStore;
  private readonly client: TrainerClient;
  private readonly stateEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly statusBar = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private run: RunInfo | undefined;
  /** specs whose saved model was looked for (once a session) */
  private readonly looked = new Set<string>();
  /** the trained models of finished runs, by run record (the lab asks for their parameters), the oldest going first */
  private readonly trained = new Map<number, SavedModel>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly analysis: AnalysisService,
    readonly output: vscode.OutputChannel,
    private readonly data: DataAccess,
  ) {
    this.client = new TrainerClient(path.join(context.extensionPath, 'dist', 'worker.js'));
    this.models = new ModelStore(data);
    this.statusBar.command = 'nnspec.stopTraining';
    this.statusBar.tooltip = 'nnspec: click to stop training';
  }

  get current(): RunInfo | undefined {
    return this.run;
  }

  /** The run under way is paused (its record says: the one place a run's pause is kept). */
  get paused(): boolean {
    const run = this.run;
    return !!run && !!this.history.record(run.uri.toString(), run.id)?.paused;
  }

  /** Where a spec's model goes (and is looked for). */
  modelPath(specUri: vscode.Uri): string {
    return this.models.modelPath(specUri);
  }

  /**
   * Opens a saved model (NAME.model.json, or one saved by `nnspec train --out`): its report,
   * and, when its spec is still there, the spec with the model's run (cost curve, accuracies,
   * decision boundary) in the designer. Errors in the file are shown, never thrown.
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
      opened = await this.models.open(modelUri.fsPath);
    } catch (err) {
      return cannot((err as Error).message);
    }
    const { model } = opened;
    const report = reportFromModel(model, modelUri.fsPath);
    this.models.remember(report);
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] Opened the model ${modelUri.fsPath}: ${runSummary(model.spec)}`);
    if (opened.dataError) this.output.appendLine(`  (its data could not be read: ${opened.dataError}; the curve is shown without it)`);
    const specUri = model.specPath ? vscode.Uri.file(model.specPath) : undefined;
    if (specUri && (await fileExists(specUri))) {
      this.showModelRun(specUri, opened);
      await vscode.window.showTextDocument(specUri, { preview: false });
    }
    return report;
  }

  async loadSavedRun(specUri: vscode.Uri): Promise<void> {
    const key = specUri.toString();
    if (this.looked.has(key) || this.history.list(key).records.length) return;
    this.looked.add(key);
    const file = this.models.savedModelOf(specUri);
    if (!file) return;
    try {
      const opened = await this.models.open(file);
      if (!this.history.list(key).records.length) this.showModelRun(specUri, opened);
    } catch {
      // a model that does not read is not shown (Open Trained Model says why)
    }
  }

  /** A saved model as a finished run of its spec (mode `loaded`). */
  private showModelRun(specUri: vscode.Uri, opened: OpenModelResult): void {
    const { model, snapshot, m, features, testM, points } = opened;
    const uri = specUri.toString();
    const { id } = this.history.create(uri, 'loaded', model.spec, model.iterations);
    this.keepModel(id, model);
    this.history.apply(uri, { kind: 'started', id, start: { m, features, testM, points } });
    const { iterations, costs, trainAccuracy, testAccuracy, seconds } = model;
    const metrics = { trainMetrics: model.trainMetrics ?? null, testMetrics: model.testMetrics ?? null };
    this.history.apply(uri, { kind: 'ended', id, end: { cancelled: false, iterations, costs, trainAccuracy, testAccuracy, ...metrics, seconds, snapshot } });
  }

  /** Keeps a finished run's model for the lab (its parameters): the last MODELS_KEPT of them. */
  private keepModel(id: number, model: SavedModel): void {
    if (!model.parameters?.length) return;
    this.trained.set(id, model);
    while (this.trained.size > MODELS_KEPT) this.trained.delete(this.trained.keys().next().value!);
  }

  trainedModel(runId: number): SavedModel | undefined {
    return this.trained.get(runId);
  }

  inspect(what: { detail?: boolean; parameters?: boolean }): Promise<InspectedMessage> {
    return this.client.inspect(what);
  }

  private setState(run: RunInfo | undefined): void {
    this.run = run;
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
  private async mayReplace(document: vscode.TextDocument, mode: StartOptions['mode']): Promise<boolean> {
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
    const { mode } = options;
    // reading data and writing the model: a trusted workspace only
    if (!mayRun(mode === 'preview' ? 'livePreview' : 'train', mode === 'preview')) return undefined;
    const analysis = mode === 'preview' ? this.analysis.get(document) : await this.analysis.refresh(document);
    const { errors } = analysis.facts;
    if (errors) {
      if (mode !== 'preview') {
        void vscode.window
          .showErrorMessage(`nnspec: fix the ${errors} error${errors === 1 ? '' : 's'} in ${path.basename(document.uri.fsPath)} before training.`, 'Show Problems')
          .then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
      }
      return undefined;
    }
    const { spec } = analysis.parsed;
    if (!(await this.mayReplace(document, mode))) return undefined;
    const total = Math.min(spec.iterations, options.maxIterations ?? spec.iterations);
    const uri = document.uri.toString();
    const { id } = this.history.create(uri, mode, spec, total, !!options.paused);
    const info: RunInfo = { id, uri: document.uri, mode, spec };
    const feedback = new RunFeedback({ output: this.output, statusBar: this.statusBar, analysis: this.analysis }, document, mode, total, spec);
    const { done } = this.client.run(
      {
        runId: id,
        spec,
        specDir: path.dirname(document.uri.fsPath),
        maxIterations: options.maxIterations,
        maxMillis: options.maxMillis,
        snapshots: options.snapshots,
        paused: options.paused,
        recordEvery: recordEvery(total, spec.printEvery),
        progressEveryMs: PROGRESS_EVERY_MS[mode],
        // stored in the model, so that it finds its data again from anywhere
        specPath: document.uri.scheme === 'file' ? document.uri.fsPath : undefined,
        // the data size limit and the memory budget: a run over the budget is refused before allocating
        limits: this.data.limits(),
      },
      {
        // the worker's events (their id is the record's), into the history as they came
        onEvent: (event) => {
          this.history.apply(uri, event);
          if (event.kind === 'started') feedback.started(event);
          else feedback.progress(event.progress);
        },
      },
    );
    feedback.notify(done, () => {
      if (this.run === info) this.stop();
    });
    if (options.steps) this.client.step(options.steps);
    this.setState(info);
    try {
      const result = await done;
      const { type: _type, runId: _runId, terminated: _terminated, model, ...end } = result;
      if (!result.cancelled) this.keepModel(id, model);
      this.history.apply(uri, { kind: 'ended', id, end });
      if (result.cancelled) {
        feedback.stopped(result);
        return undefined;
      }
      if (mode !== 'preview') {
        const { saved, report, error } = this.models.save(document, result);
        if (error) void vscode.window.showErrorMessage(`nnspec: ${error}`);
        feedback.finished(result, saved, report.name);
      }
      return result;
    } catch (err) {
      const e = err instanceof TrainingError ? err : new TrainingError(String(err), 'internal');
      this.history.apply(uri, { kind: 'ended', id, error: { message: e.message, kind: e.kind } });
      feedback.failed(e);
      return undefined;
    } finally {
      if (this.run === info) this.setState(undefined);
    }
  }

  stop(): void {
    this.client.stop();
  }

  pause(): void {
    this.client.pause();
    this.setPaused(true);
  }

  resume(): void {
    this.client.resume();
    this.setPaused(false);
  }

  step(count = 1): void {
    this.client.step(count);
    this.setPaused(true);
  }

  /** Told to the run's record at once (the worker's next progress says the same). */
  private setPaused(paused: boolean): void {
    const run = this.run;
    if (run) this.history.apply(run.uri.toString(), { kind: 'paused', id: run.id, paused });
    this.stateEmitter.fire();
  }

  dispose(): void {
    this.client.dispose();
    this.statusBar.dispose();
    this.stateEmitter.dispose();
  }
}
