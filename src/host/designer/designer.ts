// The designer, shared by its views (the sidebar, and the panel beside the spec): which spec it
// follows (the active `.nnspec` editor, kept when focus moves to another kind of editor), the
// state every view draws (posted once per analysis), the selection kept in step with the editor
// cursor, and the views' messages, handed to the edit applier, the run relay and the export.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DecodedImageMessage, DecodeImageMessage } from '../../shared/wire/labMessages';
import type { FileEntry, StateMessage, ToHost, ToWebview } from '../../shared/wire/designer';
import { AnalysisService, type Analysis } from '../analysis';
import type { TrainingControllerApi } from '../training/api';
import { exportDiagram } from './diagramExport';
import { EditApplier } from './editApplier';
import { LabRelay, type DesignerLab } from './labRelay';
import { OpenFileGuard } from './openFileGuard';
import { RunRelay } from './runRelay';
import type { DesignerView, ViewHost } from './view';
import { layerAtLine, toDocumentState } from './viewModel';

function sameUri(a: vscode.Uri | undefined, b: vscode.Uri | undefined): boolean {
  return !!a && !!b && a.toString() === b.toString();
}

export class Designer implements ViewHost, vscode.Disposable {
  private readonly views: DesignerView[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** the spec the designer shows (kept when focus moves to another kind of editor) */
  private followedUri: vscode.Uri | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  /** what each view was last sent, so that one analysis is one `state` message */
  private readonly shown = new WeakMap<DesignerView, { analysis?: Analysis; rest: string }>();
  /** last layer selection posted either way, to not echo it back */
  private lastSelection: number | undefined;
  private files: FileEntry[] = [];
  /** the spec files the webviews were told about: the only ones their `openFile` may open */
  private readonly openFiles = new OpenFileGuard();
  private readonly edits: EditApplier;
  readonly runs: RunRelay;
  readonly lab: LabRelay | undefined;
  private viewAdded: (() => void)[] = [];

  constructor(
    private readonly analysis: AnalysisService,
    controller: TrainingControllerApi,
    /** shows the sidebar view (resolving it when it has not been yet) */
    private readonly revealSidebar: () => Thenable<unknown>,
    /** the lab (sweeps, the step inspector, the gradient check, the pictures) */
    lab?: DesignerLab,
  ) {
    this.edits = new EditApplier({
      document: () => this.document(),
      parsed: (doc) => analysis.get(doc).parsed,
      postState: (force) => this.postState(force),
      notice: (message, severity) => this.notice(message, severity),
    });
    this.runs = new RunRelay(
      {
        document: () => this.document(),
        spec: (doc) => analysis.get(doc).parsed.spec,
        broadcast: (message) => this.broadcast(message),
        notice: (message, severity) => this.notice(message, severity),
      },
      controller,
    );
    this.lab = lab && new LabRelay({ document: () => this.document(), broadcast: (message) => this.broadcast(message), notice: (message, severity) => this.notice(message, severity) }, lab);
    if (this.lab) this.disposables.push(this.lab);
    this.disposables.push(
      this.runs,
      vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (sameUri(d.uri, this.followedUri)) {
          this.followedUri = undefined;
          this.followActiveEditor();
          this.schedulePost();
        }
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.followedUri && AnalysisService.isSpec(d)) this.schedulePost();
      }),
      analysis.onDidAnalyze((a) => {
        if (sameUri(a.uri, this.followedUri)) this.schedulePost();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onEditorSelection(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnspec.livePreview')) this.postState(false);
      }),
    );
    this.followActiveEditor();
    void this.setContext();
    void this.refreshFiles();
  }

  // --- views ---------------------------------------------------------------------------------

  attach(view: DesignerView): void {
    this.views.push(view);
    void this.setContext();
    for (const resolve of this.viewAdded.splice(0)) resolve();
  }

  closed(view: DesignerView): void {
    const i = this.views.indexOf(view);
    if (i >= 0) this.views.splice(i, 1);
    void this.setContext();
  }

  visibilityChanged(view: DesignerView): void {
    void this.setContext();
    // the view keeps its own state while hidden; shown again, it gets the document as it is now
    if (view.visible) this.postState(false, [view]);
  }

  /** A designer view: a visible one, else the panel, else the sidebar (shown first). */
  private async someView(): Promise<DesignerView> {
    const visible = this.views.find((v) => v.visible) ?? this.views.find((v) => v.kind === 'panel');
    if (visible) return visible;
    const added = new Promise<void>((resolve) => this.viewAdded.push(resolve));
    await this.revealSidebar();
    if (!this.views.length) await added;
    return this.views[0];
  }

  private broadcast(message: ToWebview): void {
    for (const view of this.views) view.post(message);
  }

  private notice(message: string, severity: 'info' | 'error' = 'error'): void {
    this.broadcast({ type: 'notice', severity, message });
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'nnspec.designerVisible', this.views.some((v) => v.visible));
    await vscode.commands.executeCommand('setContext', 'nnspec.designerHasSpec', !!this.document());
  }

  // --- which document ------------------------------------------------------------------------

  private followActiveEditor(): void {
    const editor = vscode.window.activeTextEditor;
    let next = this.followedUri;
    if (editor && AnalysisService.isSpec(editor.document)) next = editor.document.uri;
    else if (!next || !this.document()) {
      next = vscode.window.visibleTextEditors.find((e) => AnalysisService.isSpec(e.document))?.document.uri;
    }
    if (sameUri(next, this.followedUri) && next) return;
    this.followedUri = next;
    this.lastSelection = undefined;
    void this.setContext();
    this.schedulePost();
    this.runs.followed();
    const lab = this.lab?.stateMessage();
    if (lab) this.broadcast(lab);
  }

  /** The followed document, if it is still open. */
  document(): vscode.TextDocument | undefined {
    if (!this.followedUri) return undefined;
    return vscode.workspace.textDocuments.find((d) => sameUri(d.uri, this.followedUri) && !d.isClosed);
  }

  // --- host -> webview -----------------------------------------------------------------------

  private schedulePost(): void {
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      this.postState(false);
    }, 0);
  }

  /**
   * Posts the state to the views (all, or those given): a view gets it when what it shows
   * changed (another analysis, the file list, the training status), or always with `force`.
   */
  private postState(force: boolean, views: DesignerView[] = this.views): void {
    clearTimeout(this.postTimer);
    this.postTimer = undefined;
    if (!views.length) return;
    const doc = this.document();
    const analysis = doc ? this.analysis.get(doc) : undefined;
    const message = this.stateMessage(doc, analysis);
    const rest = JSON.stringify([message.files, message.live, doc ? null : message.document]);
    for (const view of views) {
      const last = this.shown.get(view);
      if (!force && last && last.analysis === analysis && last.rest === rest) continue;
      this.shown.set(view, { analysis, rest });
      view.post(message);
    }
  }

  private liveEnabled(): boolean {
    return vscode.workspace.getConfiguration('nnspec').get<boolean>('livePreview.enabled', false);
  }

  private stateMessage(doc: vscode.TextDocument | undefined, a: Analysis | undefined): StateMessage {
    let document: StateMessage['document'] = null;
    if (doc && a) {
      document = toDocumentState({
        uri: doc.uri.toString(),
        fileName: path.basename(doc.uri.path),
        version: doc.version,
        parsed: a.parsed,
        diagnostics: a.diagnostics,
        dataFacts: a.dataFacts,
        shapes: a.shapes,
        facts: a.facts,
      });
    }
    const files = document ? [] : this.fileList();
    this.openFiles.listed(files.map((f) => f.uri));
    return { type: 'state', document, files, live: this.liveEnabled() };
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

  handle(view: DesignerView, msg: ToHost): ToWebview | void | Promise<ToWebview | void> {
    switch (msg.type) {
      case 'ready': {
        this.postState(true, [view]);
        const runs = this.runs.runsMessage();
        if (runs) view.post(runs);
        const lab = this.lab?.stateMessage();
        if (lab) view.post(lab);
        // a webview that (re)loaded while an export was waiting gets the request again
        view.messenger.resend();
        return;
      }
      case 'applyEdit':
        return this.edits.handle(msg);
      case 'selectLayer':
        void this.revealLayer(msg.layer);
        return;
      case 'revealLine':
        void this.revealRange(new vscode.Range(msg.line, msg.character ?? 0, msg.line, msg.character ?? 0));
        return;
      case 'play':
        return this.runs.play();
      case 'pause':
        return this.runs.pause();
      case 'step':
        return this.runs.step(msg.count ?? 1);
      case 'reset':
        return this.runs.reset();
      case 'clearRuns':
        return this.runs.clear();
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
      case 'exportResult':
        // a reply: the messenger settles the request it answers
        return;
      default:
        return this.lab?.handle(msg);
    }
  }

  /**
   * Has a view decode a picture with the browser's decoders (Predict an Image): the designer is
   * shown if no view is, and the bytes go to it through the messenger.
   */
  async decodeImage(request: DecodeImageMessage): Promise<DecodedImageMessage> {
    const view = await this.someView();
    return view.messenger.request(request);
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
      this.notice(`Cannot open ${uri}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // --- export --------------------------------------------------------------------------------

  exportDiagram(format: 'svg' | 'png', target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
    return exportDiagram(
      {
        document: () => this.document(),
        render: async (request) => {
          const view = await this.someView();
          // the webview draws what it was last sent: the exported document's state first
          this.postState(true, [view]);
          return view.messenger.request(request);
        },
      },
      format,
      target,
    );
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
    if (!sameUri(e.textEditor.document.uri, this.followedUri) || !e.selections.length) return;
    const parsed = this.analysis.get(e.textEditor.document).parsed;
    const layer = layerAtLine(parsed, e.selections[0].active.line);
    if (layer === undefined || layer === this.lastSelection) return;
    this.lastSelection = layer;
    this.broadcast({ type: 'selectLayer', layer });
  }

  dispose(): void {
    clearTimeout(this.postTimer);
    this.views.forEach((v) => v.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}
