// What the user sees of a run outside the designer: the progress notification (full runs), the
// status bar, the output channel, and the notification at the end. A live preview says nothing.
// The cost is shown only once one has been computed: never "cost NaN" (the course teaches that
// NaN means divergence).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CostPoint, RunMode, RunProgress, StartedEvent } from '../../shared/model/runs';
import type { NetworkSpec } from '../../shared/model/spec';
import type { DoneMessage } from '../../shared/wire/training';
import type { TrainingError } from '../../trainer/trainerClient';
import type { AnalysisService } from '../analysis';
import { runSummary } from './report';

/** `iteration 20/300, cost 0.6891`, or `iteration 0/300` before the first cost. */
export function progressText(iteration: number, total: number, last: CostPoint | undefined): string {
  return `iteration ${iteration}/${total}` + (last && Number.isFinite(last[1]) ? `, cost ${last[1].toFixed(4)}` : '');
}

/**
 * The least time between two changes of what the window shows of a run outside the designer:
 * the progress notification of a run from the palette, the status bar item of a run from the
 * designer. Each change lays the window out again (and reads the notification's text to screen
 * readers); at the rate of the progress messages that was most of what the window drew during a
 * run, work taken from the run on a two-core machine.
 */
export const FEEDBACK_EVERY_MS = 1000;

/** One run's feedback: made when the run starts, told about its progress and its end. */
export class RunFeedback {
  private report: ((v: { message: string; increment?: number }) => void) | undefined;
  private reportedPercent = 0;
  private shownAt = -Infinity;
  private shownPaused: boolean | undefined;
  private readonly name: string;

  constructor(
    private readonly ui: { output: vscode.OutputChannel; statusBar: vscode.StatusBarItem; analysis: AnalysisService },
    private readonly document: vscode.TextDocument,
    private readonly mode: RunMode,
    private readonly total: number,
    spec: NetworkSpec,
  ) {
    this.name = path.basename(document.uri.fsPath);
    if (mode !== 'preview') ui.output.appendLine(`[${new Date().toLocaleTimeString()}] ${mode === 'full' ? 'Training' : 'Interactive run of'} ${this.name}: ${runSummary(spec)}`);
  }

  /** A full run's progress notification, until `ended` settles; its Cancel calls `stop`. */
  notify(ended: Promise<unknown>, stop: () => void): void {
    if (this.mode !== 'full') return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nnspec: training ${this.name}`, cancellable: true }, (progress, token) => {
      this.report = (v) => progress.report(v);
      this.report({ message: progressText(0, this.total, undefined) });
      token.onCancellationRequested(stop);
      return ended.catch(() => undefined);
    });
  }

  started(msg: StartedEvent): void {
    if (this.mode === 'preview') return;
    if (msg.kernels) this.ui.output.appendLine(`  matrix products: ${msg.kernels}`);
    if (msg.notice) this.ui.output.appendLine(`  ${msg.notice}`);
  }

  /** A progress message: shown at most once a second, and whenever the run pauses or resumes. */
  progress(p: RunProgress, now = Date.now()): void {
    if (this.mode === 'preview') return;
    if (p.paused === this.shownPaused && now - this.shownAt < FEEDBACK_EVERY_MS) return;
    this.shownAt = now;
    this.shownPaused = p.paused;
    const text = progressText(p.iteration, this.total, p.last);
    if (this.mode === 'full') {
      // the notification carries a run from the palette (and its Cancel)
      const percent = Math.floor((100 * p.iteration) / this.total);
      this.report?.({ message: text, increment: percent - this.reportedPercent });
      this.reportedPercent = percent;
    } else {
      this.ui.statusBar.text = `${p.paused ? '$(debug-pause)' : '$(sync~spin)'} nnspec: ${text}${p.paused ? ' (paused)' : ''}`;
      this.ui.statusBar.show();
    }
  }

  stopped(done: DoneMessage): void {
    if (this.mode === 'preview') return;
    const cost = done.last ? ` (cost ${done.last[1].toFixed(4)})` : '';
    this.ui.output.appendLine(`  stopped at iteration ${done.iterations}${cost}; no model saved.`);
    vscode.window.setStatusBarMessage(`nnspec: training of ${this.name} stopped at iteration ${done.iterations}${cost}`, 4000);
  }

  finished(done: DoneMessage, saved: string | undefined, reportName: string): void {
    if (this.mode === 'preview') return;
    if (this.document.uri.scheme !== 'file') this.ui.output.appendLine('  the model is not saved: save the spec to a file first.');
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    const summary = `train accuracy ${pct(done.trainAccuracy)}` + (done.testAccuracy === null ? '' : `, test ${pct(done.testAccuracy)}`);
    this.ui.output.appendLine(
      `  done: ${done.iterations} iterations in ${done.seconds.toFixed(2)} s, final cost ${done.costs[done.costs.length - 1]?.[1]}, ${summary}` +
        (saved ? `; model saved to ${saved}` : ''),
    );
    if (this.mode !== 'full') return;
    void vscode.window.showInformationMessage(`nnspec: trained ${reportName}: ${summary} (${done.seconds.toFixed(1)} s)`, 'Show Report', 'Open Model').then((a) => {
      if (a === 'Show Report') void vscode.commands.executeCommand('nnspec.showReport', this.document.uri);
      if (a === 'Open Model' && saved) void vscode.window.showTextDocument(vscode.Uri.file(saved));
    });
  }

  failed(err: TrainingError): void {
    if (this.mode === 'preview') return;
    const { name, document } = this;
    this.ui.output.appendLine(`  failed (${err.kind}): ${err.message}`);
    if (err.kind === 'diverged') {
      void vscode.window.showErrorMessage(`nnspec: training ${name} stopped. ${err.message}`, 'Open Spec').then((a) => {
        if (!a) return;
        const line = this.ui.analysis.get(document).parsed.single.learning_rate?.line ?? 0;
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
      void vscode.window.showErrorMessage(`nnspec: training ${name} failed: ${err.message}`, 'Show Output').then((a) => a && this.ui.output.show());
    }
  }
}
