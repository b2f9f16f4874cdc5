// The live preview: a short run after each edit, drawn in the designer.

import * as vscode from 'vscode';
import { AnalysisService, type Analysis } from '../analysis';
import type { TrainingController } from './controller';

/**
 * Opt-in: retrain a short preview after each analysis (debounced), cancelling the previous one
 * as soon as the text changes. Never takes over a real run; a real run takes over from it. The
 * analysis is published once per document version and data facts, so each one is a change.
 */
export class LivePreview implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly analysis: AnalysisService,
    private readonly controller: TrainingController,
  ) {
    this.subscriptions = [
      analysis.onDidAnalyze((a) => this.onAnalysis(a)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('nnspec.livePreview.enabled')) return;
        if (!this.enabled()) {
          clearTimeout(this.timer);
          if (this.controller.current?.mode === 'preview') this.controller.stop();
          return;
        }
        // switched on: preview the spec in front now, not at the next edit
        const editor = vscode.window.activeTextEditor;
        if (editor && AnalysisService.isSpec(editor.document)) this.onAnalysis(this.analysis.get(editor.document));
      }),
    ];
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('nnspec').get<boolean>('livePreview.enabled', false);
  }

  private onAnalysis({ uri, version, facts }: Analysis): void {
    // off in Restricted Mode (it reads the data and trains), without a word at every edit
    if (!this.enabled() || !vscode.workspace.isTrusted) return;
    const hasErrors = !facts.trainable;
    const key = uri.toString();
    const document = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key)?.document;
    if (!document) return;
    // the curve on screen belongs to the old text: stop it now
    clearTimeout(this.timer);
    const current = this.controller.current;
    if (current?.mode === 'preview') this.controller.stop();
    if (hasErrors || (current && current.mode !== 'preview')) return;
    const config = vscode.workspace.getConfiguration('nnspec');
    this.timer = setTimeout(() => {
      if (document.isClosed || document.version !== version) return;
      void this.controller.start(document, {
        mode: 'preview',
        maxIterations: config.get<number>('livePreview.maxIterations', 300),
        maxMillis: config.get<number>('livePreview.maxMillis', 2000),
        snapshots: { grid: 30, everyMs: 300 },
      });
    }, config.get<number>('livePreview.debounceMs', 600));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((d) => d.dispose());
  }
}
