// The sidebar designer: a webview view that follows the active `.nnspec` editor, shows the
// network, applies designer actions as one WorkspaceEdit each, keeps the selection in step
// with the editor cursor and drives interactive training through the training controller.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { EditError, editToTextEdits } from '../../language';
import type { NetworkEdit } from '../../shared/edits';
import { layerSizes } from '../../shared/spec';
import { AnalysisService, type Analysis } from '../analysis';
import { toVsTextEdit } from '../convert';
import {
  isToHost,
  type FileEntry,
  type StateMessage,
  type ToHost,
  type ToWebview,
  type TrainingFinishedMessage,
  type TrainingProgressMessage,
  type TrainingStartedMessage,
  type TrainingStatus,
} from '../../shared/protocol';
import type { RunInfo, TrainingControllerApi } from '../training/api';
import { designerHtml, resourceRoots } from './html';
import { OpenFileGuard } from './openFileGuard';
import { layerAtLine, toDocumentState } from './viewModel';

const SNAPSHOTS = { grid: 40, everyMs: 120 };
const EXPORT_TIMEOUT_MS = 15_000;

function sameUri(a: vscode.Uri | undefined, b: vscode.Uri | undefined): boolean {
  return !!a && !!b && a.toString() === b.toString();
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class DesignerViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'nnspec.designer';

  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** the spec the designer shows (kept when focus moves to another kind of editor) */
  private followed: vscode.Uri | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  /** last layer selection posted either way, to not echo it back */
  private lastSelection: number | undefined;
  private editQueue: Promise<void> = Promise.resolve();
  private exportId = 0;
  /** export requests the webview has not answered yet (sent again when it reloads) */
  private readonly exports = new Map<number, { format: 'svg' | 'png'; resolve: (data: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
  private files: FileEntry[] = [];
  /** the spec files the webview was told about: the only ones its `openFile` may open */
  private readonly openFiles = new OpenFileGuard();
  /** the latest run, to replay to a webview that was re-created (hidden views are unloaded) */
  private replay: { uri: vscode.Uri; started: TrainingStartedMessage; progress?: TrainingProgressMessage; finished?: TrainingFinishedMessage } | undefined;

  /** Registers the view provider and the designer commands. */
  static register(context: vscode.ExtensionContext, analysis: AnalysisService, controller: TrainingControllerApi): vscode.Disposable[] {
    const provider = new DesignerViewProvider(context.extensionUri, analysis, controller);
    return [
      provider,
      vscode.window.registerWebviewViewProvider(DesignerViewProvider.viewType, provider),
      vscode.commands.registerCommand('nnspec.openDesigner', () => provider.reveal()),
      vscode.commands.registerCommand('nnspec.exportDiagramSvg', (target?: vscode.Uri | string) => provider.exportDiagram('svg', target)),
      vscode.commands.registerCommand('nnspec.exportDiagramPng', (target?: vscode.Uri | string) => provider.exportDiagram('png', target)),
    ];
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly controller: TrainingControllerApi,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (sameUri(d.uri, this.followed)) {
          this.followed = undefined;
          this.followActiveEditor();
          this.schedulePost();
        }
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.followed && AnalysisService.isSpec(d)) this.schedulePost();
      }),
      analysis.onDidAnalyze((a) => {
        if (sameUri(a.uri, this.followed)) this.schedulePost();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onEditorSelection(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnspec.livePreview')) this.postTraining();
      }),
      controller.onDidStart((e) => {
        if (!this.isFollowed(e)) return;
        this.postRun(e.uri, {
          type: 'trainingStarted',
          runId: e.runId,
          mode: e.mode,
          uri: e.uri.toString(),
          startedAt: e.startedAt,
          m: e.started.m,
          features: e.started.features,
          testM: e.started.testM,
          points: e.started.points,
          sizes: layerSizes(e.spec),
          activations: e.spec.layers.map((l) => l.activation),
        });
      }),
      controller.onDidProgress((e) => {
        if (!this.isFollowed(e)) return;
        const p = e.progress;
        this.postRun(e.uri, {
          type: 'trainingProgress',
          runId: e.runId,
          iteration: p.iteration,
          cost: p.cost,
          costs: p.costs,
          paused: p.paused,
          elapsedMs: p.elapsedMs,
          snapshot: p.snapshot,
        });
      }),
      controller.onDidFinish((e) => {
        if (!this.isFollowed(e)) return;
        const d = e.done;
        this.postRun(e.uri, {
          type: 'trainingFinished',
          runId: e.runId,
          cancelled: d?.cancelled ?? false,
          iterations: d?.iterations,
          costs: d?.costs,
          trainAccuracy: d?.trainAccuracy,
          testAccuracy: d?.testAccuracy,
          seconds: d?.seconds,
          snapshot: d?.snapshot,
          error: e.error,
        });
      }),
      controller.onDidChangeState(() => this.postTraining()),
    );
    this.followActiveEditor();
    void this.setContext();
  }

  // --- the view ------------------------------------------------------------------------------

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: resourceRoots(this.extensionUri) };
    view.webview.html = designerHtml(view.webview, this.extensionUri);
    this.viewDisposables.forEach((d) => d.dispose());
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg)),
      view.onDidChangeVisibility(() => {
        void this.setContext();
        // a hidden webview view may be unloaded; when it loads again it says `ready`
        // the webview keeps its own state (getState); the host re-sends the document
        if (view.visible) this.postState();
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.viewDisposables.forEach((d) => d.dispose());
        this.viewDisposables = [];
        void this.setContext();
      }),
    ];
    void this.setContext();
    void this.refreshFiles();
  }

  /** Show and focus the designer. */
  async reveal(): Promise<void> {
    if (this.view) {
      this.view.show(false);
      return;
    }
    await vscode.commands.executeCommand(`${DesignerViewProvider.viewType}.focus`);
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'nnspec.designerVisible', !!this.view?.visible);
    await vscode.commands.executeCommand('setContext', 'nnspec.designerHasSpec', !!this.document());
  }

  // --- which document ------------------------------------------------------------------------

  private followActiveEditor(): void {
    const editor = vscode.window.activeTextEditor;
    let next = this.followed;
    if (editor && AnalysisService.isSpec(editor.document)) next = editor.document.uri;
    else if (!next || !this.document()) {
      next = vscode.window.visibleTextEditors.find((e) => AnalysisService.isSpec(e.document))?.document.uri;
    }
    if (sameUri(next, this.followed) && next) return;
    this.followed = next;
    this.lastSelection = undefined;
    void this.setContext();
    this.schedulePost();
  }

  /** The followed document, if it is still open. */
  document(): vscode.TextDocument | undefined {
    if (!this.followed) return undefined;
    return vscode.workspace.textDocuments.find((d) => sameUri(d.uri, this.followed) && !d.isClosed);
  }

  private isFollowed(run: RunInfo): boolean {
    return sameUri(run.uri, this.followed);
  }

  // --- host -> webview -----------------------------------------------------------------------

  private post(message: ToWebview): void {
    if (!this.view) return;
    void this.view.webview.postMessage(message);
  }

  /** Posts a training message and keeps it for a replay. */
  private postRun(uri: vscode.Uri, message: TrainingStartedMessage | TrainingProgressMessage | TrainingFinishedMessage): void {
    const r = this.replay;
    if (message.type === 'trainingStarted') this.replay = { uri, started: message };
    else if (r && r.started.runId === message.runId) {
      if (message.type === 'trainingProgress') {
        const costs = [...(r.progress?.costs ?? []), ...message.costs];
        r.progress = { ...message, costs: costs.length > 5000 ? costs.filter((_, i) => i % 2 === 0 || i === costs.length - 1) : costs, snapshot: message.snapshot ?? r.progress?.snapshot };
      } else r.finished = message;
    }
    this.post(message);
  }

  /** Sends the latest run of the followed document again (after the webview was re-created). */
  private postReplay(): void {
    const r = this.replay;
    if (!r || !sameUri(r.uri, this.followed)) return;
    this.post(r.started);
    if (r.progress) this.post(r.progress);
    if (r.finished) this.post(r.finished);
  }

  private schedulePost(): void {
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      this.postState();
    }, 0);
  }

  private postState(): void {
    if (!this.view) return;
    this.post(this.stateMessage());
  }

  private postTraining(): void {
    this.post({ type: 'trainingState', training: this.trainingStatus(), live: this.liveEnabled() });
  }

  private liveEnabled(): boolean {
    return vscode.workspace.getConfiguration('nnspec').get<boolean>('livePreview.enabled', false);
  }

  private trainingStatus(): TrainingStatus {
    const current = this.controller.current;
    if (!current) return { running: false, paused: false };
    if (!sameUri(current.uri, this.followed)) return { running: false, paused: false, busyElsewhere: true };
    return { running: true, paused: this.controller.paused, runId: current.runId, mode: current.mode };
  }

  private stateMessage(): StateMessage {
    const doc = this.document();
    let document: StateMessage['document'] = null;
    if (doc) {
      const a: Analysis = this.analysis.get(doc);
      document = toDocumentState({
        uri: doc.uri.toString(),
        fileName: path.basename(doc.uri.path),
        version: doc.version,
        parsed: a.parsed,
        diagnostics: a.diagnostics,
        facts: a.facts,
        m: a.m,
      });
    }
    const files = document ? [] : this.fileList();
    this.openFiles.listed(files.map((f) => f.uri));
    return { type: 'state', document, files, live: this.liveEnabled(), training: this.trainingStatus() };
  }

  private fileList(): FileEntry[] {
    const seen = new Set<string>();
    const out: FileEntry[] = [];
    const add = (uri: vscode.Uri): void => {
      const key = uri.toString();
      if (seen.has(key)) return;
      seen.add(key);
      const relative = vscode.workspace.asRelativePath(uri, false);
      const dir = path.posix.dirname(relative.replace(/\\/g, '/'));
      out.push({ uri: key, label: path.basename(uri.path), description: dir === '.' ? undefined : dir });
    };
    vscode.workspace.textDocuments.filter((d) => AnalysisService.isSpec(d) && !d.isClosed).forEach((d) => add(d.uri));
    this.files.forEach((f) => add(vscode.Uri.parse(f.uri)));
    return out;
  }

  private async refreshFiles(): Promise<void> {
    try {
      const uris = await vscode.workspace.findFiles('**/*.nnspec', '**/node_modules/**', 50);
      this.files = uris.map((u) => ({ uri: u.toString(), label: path.basename(u.path) }));
      if (!this.document()) this.schedulePost();
    } catch {
      // no workspace: only open documents are listed
    }
  }

  // --- webview -> host -----------------------------------------------------------------------

  private onMessage(raw: unknown): void {
    if (!isToHost(raw)) {
      console.warn('nnspec designer: ignored a malformed message', raw);
      return;
    }
    const msg: ToHost = raw;
    switch (msg.type) {
      case 'ready':
        this.postState();
        this.postReplay();
        // a webview that (re)loaded while an export was waiting gets the request again
        for (const [requestId, pending] of this.exports) this.post({ type: 'exportRequest', requestId, format: pending.format });
        return;
      case 'applyEdit': {
        // one at a time, each against the text the previous one produced
        const answer = (applied: boolean, reason?: 'stale' | 'unchanged' | 'failed'): void => {
          if (msg.id !== undefined) this.post({ type: 'editResult', id: msg.id, applied, reason });
        };
        this.editQueue = this.editQueue
          .then(() => this.applyEdit(msg.edit, msg.uri, msg.version))
          .then(
            (result) => answer(result === 'applied', result === 'applied' ? undefined : result),
            (err) => {
              this.notice(`The edit failed: ${messageOf(err)}`);
              this.postState();
              answer(false, 'failed');
            },
          );
        return;
      }
      case 'selectLayer':
        void this.revealLayer(msg.layer);
        return;
      case 'revealLine':
        void this.revealRange(new vscode.Range(msg.line, msg.character ?? 0, msg.line, msg.character ?? 0));
        return;
      case 'play':
        return this.play();
      case 'pause':
        if (this.ownsRun()) this.controller.pause();
        return;
      case 'step':
        return this.step(msg.count ?? 1);
      case 'reset':
        // the webview forgets the run; so does the replay (if it is this document's)
        if (this.replay && sameUri(this.replay.uri, this.followed)) this.replay = undefined;
        if (this.ownsRun()) this.controller.stop();
        return;
      case 'toggleLive':
        void vscode.commands.executeCommand('nnspec.toggleLivePreview');
        return;
      case 'newSpec':
        void vscode.commands.executeCommand('nnspec.newSpec');
        return;
      case 'openFile':
        void this.openFile(msg.uri);
        return;
      case 'export':
        void vscode.commands.executeCommand(msg.format === 'svg' ? 'nnspec.exportDiagramSvg' : 'nnspec.exportDiagramPng');
        return;
      case 'exportResult': {
        const pending = this.exports.get(msg.requestId);
        if (!pending) return;
        this.exports.delete(msg.requestId);
        clearTimeout(pending.timer);
        if (msg.data !== undefined) pending.resolve(msg.data);
        else pending.reject(new Error(msg.error ?? 'the designer could not render the diagram'));
        return;
      }
    }
  }

  private notice(message: string, severity: 'info' | 'error' = 'error'): void {
    this.post({ type: 'notice', severity, message });
  }

  /**
   * One designer action as one WorkspaceEdit (one undo step), computed on the current text.
   * Ends with a fresh `state`, so that the webview's next edit names layers as they now are.
   */
  private async applyEdit(edit: NetworkEdit, uri: string | undefined, version: number | undefined): Promise<'applied' | 'stale' | 'unchanged' | 'failed'> {
    const doc = this.document();
    if (!doc) return 'failed';
    if (uri !== undefined && uri !== doc.uri.toString()) {
      // made for the spec the designer showed before the user switched to this one
      this.postState();
      return 'stale';
    }
    if (version !== undefined && version !== doc.version) {
      // typed in the editor since the designer last saw the text: the layer numbers the edit
      // names may point elsewhere now, so it is not applied
      this.notice('The spec changed in the editor meanwhile, so the designer did not apply that change. Try again.', 'info');
      this.postState();
      return 'stale';
    }
    const current = this.analysis.get(doc);
    let edits;
    try {
      edits = editToTextEdits(current.parsed, edit, { eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' });
    } catch (err) {
      if (err instanceof EditError) {
        this.notice(err.message);
        this.postState();
        return 'failed';
      }
      throw err;
    }
    if (!edits.length) {
      // nothing changes: re-sync the fields the user touched
      this.postState();
      return 'unchanged';
    }
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(doc.uri, edits.map(toVsTextEdit));
    const ok = await vscode.workspace.applyEdit(workspaceEdit);
    if (!ok) this.notice('The edit could not be applied (is the file read-only?).');
    this.postState();
    return ok ? 'applied' : 'failed';
  }

  private async openFile(uri: string): Promise<void> {
    const target = this.openFiles.check(uri);
    if ('refused' in target) {
      console.warn(`nnspec designer: refused to open ${uri.slice(0, 200)}: not a listed spec file`);
      this.notice(target.refused);
      return;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri, true));
      await vscode.window.showTextDocument(doc);
    } catch (err) {
      this.notice(`Cannot open ${uri}: ${messageOf(err)}`);
    }
  }

  // --- selection -----------------------------------------------------------------------------

  private async revealLayer(layer: number): Promise<void> {
    const doc = this.document();
    if (!doc) return;
    const parsed = this.analysis.get(doc).parsed;
    const statement = layer === 0 ? parsed.single.input : parsed.layers[layer - 1]?.statement;
    if (!statement) return;
    this.lastSelection = layer;
    const { start, end } = statement.range;
    await this.revealRange(new vscode.Range(start.line, start.character, end.line, end.character));
  }

  /** Selects `range` in the followed document's editor (opened beside if none shows it). */
  private async revealRange(range: vscode.Range): Promise<void> {
    const doc = this.document();
    if (!doc || range.start.line >= doc.lineCount) return;
    let editor = vscode.window.visibleTextEditors.find((e) => sameUri(e.document.uri, doc.uri));
    if (!editor) editor = await vscode.window.showTextDocument(doc, { preserveFocus: true, preview: false });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private onEditorSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (!sameUri(e.textEditor.document.uri, this.followed) || !e.selections.length) return;
    const parsed = this.analysis.get(e.textEditor.document).parsed;
    const layer = layerAtLine(parsed, e.selections[0].active.line);
    if (layer === undefined || layer === this.lastSelection) return;
    this.lastSelection = layer;
    this.post({ type: 'selectLayer', layer });
  }

  // --- training ------------------------------------------------------------------------------

  /** A run of the followed document is under way. */
  private ownsRun(): boolean {
    return !!this.controller.current && sameUri(this.controller.current.uri, this.followed);
  }

  private startRun(paused: boolean, then?: (run: RunInfo) => void): void {
    const doc = this.document();
    if (!doc) return;
    const spec = this.analysis.get(doc).parsed.spec;
    let sub: vscode.Disposable | undefined;
    if (then) {
      sub = this.controller.onDidStart((e) => {
        if (!sameUri(e.uri, doc.uri) || e.mode !== 'interactive') return;
        sub?.dispose();
        then(e);
      });
    }
    this.controller
      .start(doc, { mode: 'interactive', paused, snapshots: spec.inputSize === 2 ? SNAPSHOTS : undefined })
      .then(
        () => sub?.dispose(),
        (err) => {
          sub?.dispose();
          this.notice(`Training could not start: ${messageOf(err)}`);
        },
      );
  }

  private play(): void {
    if (this.ownsRun()) {
      if (this.controller.paused) this.controller.resume();
      return;
    }
    this.startRun(false);
  }

  private step(count: number): void {
    if (this.ownsRun()) {
      if (!this.controller.paused) this.controller.pause();
      this.controller.step(count);
      return;
    }
    this.startRun(true, () => this.controller.step(count));
  }

  // --- export --------------------------------------------------------------------------------

  /** Renders the diagram in the webview and saves it; `target` (a path or Uri) skips the dialog. */
  async exportDiagram(format: 'svg' | 'png', target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
    const doc = this.document();
    if (!doc) {
      if (target) throw new Error('Could not export the diagram: no .nnspec file is open');
      void vscode.window.showInformationMessage('Open a .nnspec file to export its network diagram.');
      return undefined;
    }
    try {
      // The webview draws the diagram. It may be loaded, or loading (it then says `ready` and
      // gets the request again), or hidden and unloaded (revealed first): whichever, the
      // request stands until the webview answers.
      await this.reveal();
      // the webview draws what it was last sent: send the exported document's state first
      this.postState();
      const requestId = ++this.exportId;
      const data = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.exports.delete(requestId);
          reject(new Error(`the designer did not answer within ${EXPORT_TIMEOUT_MS / 1000} s`));
        }, EXPORT_TIMEOUT_MS);
        this.exports.set(requestId, { format, resolve, reject, timer });
        this.post({ type: 'exportRequest', requestId, format });
      });
      let uri: vscode.Uri | undefined;
      if (typeof target === 'string') uri = vscode.Uri.file(target);
      else if (target instanceof vscode.Uri) uri = target;
      else {
        const base = path.basename(doc.uri.path).replace(/\.nnspec$/i, '');
        uri = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(doc.uri, '..', `${base}.${format}`),
          filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
          saveLabel: 'Export Diagram',
        });
      }
      if (!uri) return undefined;
      const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
      await vscode.workspace.fs.writeFile(uri, bytes);
      if (!target) void vscode.window.showInformationMessage(`Network diagram saved to ${vscode.workspace.asRelativePath(uri)}.`);
      return uri;
    } catch (err) {
      // a caller that named the file (a script, a test) gets the error; a user gets a message
      if (target) throw new Error(`Could not export the diagram: ${messageOf(err)}`, { cause: err });
      void vscode.window.showErrorMessage(`Could not export the diagram: ${messageOf(err)}`);
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.postTimer);
    for (const pending of this.exports.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error('disposed'));
    }
    this.exports.clear();
    this.viewDisposables.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
