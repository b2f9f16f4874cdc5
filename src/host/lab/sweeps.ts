// Sweeps in VS Code: the spec trained once per combination of some settings (the course's planar
// notebook over hidden layer sizes, a learning rate search), with the lab's SweepRunner in the
// training workers, one per core, as `nnspec sweep` does: the same plan (each combination written
// in with the designer's edits and checked with the document's data facts), the same runs. The
// sweep is one record in the spec's lab state (labStore.ts), changed by its events; a progress
// notification counts the runs and cancels the sweep. Choosing a run writes its settings into the
// spec as one WorkspaceEdit (one undo step).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkSpec } from '../../language';
import { planSweep, settingsEdits, SweepError, SweepRunner, type SweepPlan } from '../../lab/sweep';
import type { Limits } from '../../shared/model/limits';
import { lowestFinalCost, type SweepAxis, type SweepSettings } from '../../shared/model/results';
import { sweepRunEnded, sweepRunRecord, type SweepRecord } from '../../shared/model/labState';
import { recordEvery } from '../../shared/model/runs';
import type { AnalysisService } from '../analysis';
import { toVsTextEdit } from '../convert';
import type { LabStore } from './labStore';

export interface SweepDeps {
  store: LabStore;
  analysis: Pick<AnalysisService, 'get' | 'refresh'>;
  /** the training worker's script */
  workerPath: string;
  limits(): Limits;
  output: Pick<vscode.OutputChannel, 'appendLine'>;
  /** undefined when the lab may read data now; otherwise why not (already told to the user) */
  refused(): string | undefined;
  /** workers (default: one per core); tests give 1 or 2 */
  workers?: number;
  /** makes the training workers (tests: the TypeScript source) */
  createWorker?: ConstructorParameters<typeof SweepRunner>[1]['createWorker'];
}

function settingsText(s: SweepSettings): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export class SweepController implements vscode.Disposable {
  private running: { runner: SweepRunner; uri: string; done: Promise<unknown> } | undefined;

  constructor(private readonly deps: SweepDeps) {}

  /** A sweep is under way (of any spec). */
  get busy(): boolean {
    return !!this.running;
  }

  /**
   * The plan of a sweep of `doc` over `axes`: each combination written in and checked with the
   * document's data facts (those of `nnspec check`). Throws SweepError for a bad axis.
   */
  async plan(doc: vscode.TextDocument, axes: SweepAxis[]): Promise<SweepPlan> {
    const analysis = await this.deps.analysis.refresh(doc);
    return planSweep(doc.getText(), axes, (parsed) => checkSpec(parsed, analysis.dataFacts));
  }

  /**
   * Runs a sweep of `doc` over `axes` to its end (or its cancel). Resolves with the record as it
   * ended, or undefined when it did not start (the message was shown).
   */
  async run(doc: vscode.TextDocument, axes: SweepAxis[], options: { progress?: boolean } = {}): Promise<SweepRecord | undefined> {
    const name = path.basename(doc.uri.path);
    if (this.deps.refused()) return undefined;
    const { errors } = (await this.deps.analysis.refresh(doc)).facts;
    if (errors) {
      void vscode.window.showErrorMessage(`nnspec: fix the ${errors} error${errors === 1 ? '' : 's'} in ${name} before a sweep.`);
      return undefined;
    }
    if (this.running) {
      const answer = await vscode.window.showWarningMessage(`nnspec: a sweep is running. Stop it and start this one?`, 'Stop and Start', 'Keep It');
      if (answer !== 'Stop and Start') return undefined;
      this.cancel();
      await this.running?.done;
    }
    let plan: SweepPlan;
    try {
      plan = await this.plan(doc, axes);
    } catch (err) {
      void vscode.window.showErrorMessage(`nnspec: cannot sweep ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const uri = doc.uri.toString();
    const runner = new SweepRunner(plan, {
      workerPath: this.deps.workerPath,
      createWorker: this.deps.createWorker,
      specDir: path.dirname(doc.uri.fsPath),
      specPath: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined,
      workers: this.deps.workers,
      limits: this.deps.limits(),
      // about as many points as the training chart's curves
      recordEvery: (spec) => recordEvery(spec.iterations, spec.printEvery),
    });
    const { store, output } = this.deps;
    const id = store.sweepId();
    const startedAt = Date.now();
    const record: SweepRecord = {
      id,
      uri,
      version: doc.version,
      axes,
      workers: runner.workers,
      startedAt,
      finished: false,
      stopped: false,
      runs: plan.runs.map((r) => ({ index: r.index, settings: r.settings, run: sweepRunRecord(uri, r.index, r.settings, r.spec, startedAt) })),
    };
    store.apply(uri, { kind: 'sweepStarted', sweep: record });
    const total = plan.runs.length;
    output.appendLine(`[${new Date().toLocaleTimeString()}] Sweep of ${name}: ${axes.map((a) => `${a.key} = ${a.values.join(', ')}`).join('; ')} (${total} run${total === 1 ? '' : 's'}, ${runner.workers} at a time)`);
    let ended = 0;
    let report: ((message: string, increment: number) => void) | undefined;
    const started = runner.start({
      // the workers' run events as they come (each run's id is its index)
      onRunEvent: (event) => store.apply(uri, { kind: 'sweepRun', sweepId: id, event }),
      onRunDone: (result) => {
        ended++;
        const { costs: _costs, ...numbers } = result;
        store.apply(uri, { kind: 'sweepRun', sweepId: id, event: sweepRunEnded(result), result: numbers });
        const what = result.error ? `error: ${result.error.message}` : `final cost ${result.finalCost?.toPrecision(6)} (${result.seconds.toFixed(2)} s)`;
        output.appendLine(`  [${ended}/${total}] ${settingsText(result.settings)}: ${what}`);
        report?.(`${ended} of ${total} runs done (${settingsText(result.settings)}: ${result.error ? 'error' : `cost ${result.finalCost?.toPrecision(4)}`})`, 100 / total);
      },
    });
    const done = started.then(
      (outcome) => {
        store.apply(uri, { kind: 'sweepFinished', sweepId: id, stopped: outcome.stopped, seconds: (Date.now() - record.startedAt) / 1000 });
        return outcome;
      },
      (err: unknown) => {
        store.apply(uri, { kind: 'sweepFinished', sweepId: id, stopped: true, seconds: (Date.now() - record.startedAt) / 1000 });
        output.appendLine(`  the sweep failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      },
    );
    this.running = { runner, uri, done: done.catch(() => undefined) };
    void vscode.commands.executeCommand('setContext', 'nnspec.sweeping', true);
    if (options.progress !== false) {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nnspec: sweep of ${name}`, cancellable: true }, (progress, token) => {
        report = (message, increment) => progress.report({ message, increment });
        report(`${total} runs, ${runner.workers} at a time`, 0);
        token.onCancellationRequested(() => runner.cancel());
        return done.catch(() => undefined);
      });
    }
    try {
      const outcome = await done;
      const seconds = (Date.now() - record.startedAt) / 1000;
      const best = lowestFinalCost(outcome.results);
      const failed = outcome.results.filter((r) => r.error).length;
      const summary = outcome.stopped
        ? `stopped: ${outcome.results.length} of ${total} runs ended`
        : `${total} runs in ${seconds.toFixed(1)} s` + (best ? `; lowest final cost ${best.finalCost!.toPrecision(4)} (${settingsText(best.settings)})` : '') + (failed ? `; ${failed} failed` : '');
      output.appendLine(`  ${summary}`);
      if (options.progress !== false) {
        void vscode.window.showInformationMessage(`nnspec: sweep of ${name}: ${summary}`, 'Show in Designer').then((a) => a && vscode.commands.executeCommand('nnspec.openDesignerToSide'));
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`nnspec: the sweep of ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (this.running?.runner === runner) {
        this.running = undefined;
        void vscode.commands.executeCommand('setContext', 'nnspec.sweeping', false);
      }
    }
    return this.deps.store.state(uri).sweep;
  }

  /** Stops the sweep under way: the runs under way end at once, the others do not start. */
  cancel(): void {
    this.running?.runner.cancel();
  }

  /**
   * Writes a run's settings into the spec as one edit (one undo step): the designer's minimal
   * text edits, all against the document as it is. Returns whether it was applied; a setting the
   * spec no longer has room for (a layer removed since) is said in an error message.
   */
  async applySettings(doc: vscode.TextDocument, settings: SweepSettings): Promise<boolean> {
    const { parsed } = this.deps.analysis.get(doc);
    let edits;
    try {
      edits = settingsEdits(parsed, settings, doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
    } catch (err) {
      if (!(err instanceof SweepError)) throw err;
      void vscode.window.showErrorMessage(`nnspec: cannot write ${settingsText(settings)} into ${path.basename(doc.uri.path)}: ${err.message}`);
      return false;
    }
    if (!edits.length) return true;
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, edits.map(toVsTextEdit));
    return vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    this.cancel();
  }
}
