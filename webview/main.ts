// The designer webview: the shell that holds the view state (webview/state.ts), speaks to the
// host (hostLink.ts) and lays out the panels: the layer list (layersPanel.ts), the settings
// (settingsPanel.ts), training (trainingPanel.ts) and the decision boundary (boundaryPanel.ts).
// Each field change is one designer edit; the document change comes back as a new `state` and
// re-renders (the fields never write back on render). The same page serves the sidebar and the
// panel beside the spec.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import type { NetworkEdit } from '../src/shared/model/edits';
import type { DecodedImageMessage } from '../src/shared/wire/labMessages';
import type { DocumentState, ExportResultMessage, ToWebview } from '../src/shared/wire/designer';
import { BoundaryPanel } from './boundaryPanel';
import { renderDiagram } from './diagram';
import { fill, h, icon, iconButton } from './dom';
import { diagramPngDataUrl, diagramSvgText } from './exportDiagram';
import { HostLink, type VsCodeApi } from './hostLink';
import { decodePicture } from './imageDecode';
import { LabPanel } from './labPanel';
import { LayersPanel } from './layersPanel';
import { SettingsPanel } from './settingsPanel';
import { persisted, reduce, restore, type Action, type ViewState } from './state';
import { TrainingPanel } from './trainingPanel';

declare function acquireVsCodeApi(): VsCodeApi;

class Designer {
  private state: ViewState;
  private readonly host: HostLink;
  private readonly empty = h('section', { class: 'empty-state', 'data-testid': 'empty-state' });
  private readonly docView = h('div', { class: 'doc-view' });
  private readonly header = h('header', { class: 'doc-header' });
  private readonly notice = h('div', { class: 'notice', role: 'alert' });
  private readonly layers: LayersPanel;
  private readonly settings: SettingsPanel;
  private readonly training: TrainingPanel;
  private readonly boundary: BoundaryPanel;
  private readonly lab: LabPanel;
  /** no state from the host yet: show nothing rather than the empty state for a moment */
  private received = false;
  private saveTimer: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.state = restore(vscode.getState());
    this.host = new HostLink(vscode, {
      handle: (msg) => this.onMessage(msg),
      document: () => this.state.document,
      applied: (selectAfter) => {
        if (selectAfter !== undefined) this.select(selectAfter, true);
      },
    });
    const post = this.host.post.bind(this.host);
    this.layers = new LayersPanel({
      state: () => this.state,
      select: (layer, reveal) => this.select(layer, reveal),
      edit: (edit, selectAfter) => this.edit(edit, selectAfter),
      post,
    });
    this.settings = new SettingsPanel((edit) => this.edit(edit));
    this.training = new TrainingPanel(post, (action) => this.local(action));
    this.boundary = new BoundaryPanel();
    this.lab = new LabPanel(post, (action) => this.local(action), () => this.state);
    this.docView.append(this.header, ...this.layers.sections, this.settings.element, this.training.element, this.boundary.element, this.lab.element);
    this.root.append(this.notice, this.empty, this.docView);
    this.render();
    // theme switches change the CSS variables: redraw what is painted on canvases
    // (VS Code sets the theme's variables on <html> and its kind as a class on <body>)
    const repaint = new MutationObserver(() => {
      this.training.render(this.state, true);
      this.boundary.render(this.state);
      this.lab.render(this.state, true);
    });
    repaint.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    repaint.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    post({ type: 'ready' });
  }

  // --- state ---------------------------------------------------------------------------------

  /** A local action from a panel (log scale, clear, reset, a lab tab): update and repaint the panels. */
  private local(action: Action): void {
    this.dispatch(action);
    this.training.render(this.state);
    this.boundary.render(this.state);
    this.lab.render(this.state);
  }

  private dispatch(action: Action): void {
    this.state = reduce(this.state, action);
    // saved at most every 200 ms (a throttle: progress arrives faster than that for minutes)
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      this.vscode.setState(persisted(this.state));
    }, 200);
  }

  private onMessage(msg: ToWebview): Promise<ExportResultMessage | DecodedImageMessage> | void {
    switch (msg.type) {
      case 'state': {
        this.received = true;
        const previousUri = this.state.document?.uri;
        this.dispatch(msg);
        if (previousUri && msg.document?.uri !== previousUri) this.host.clearEdits();
        this.render();
        return;
      }
      case 'selectLayer':
        this.dispatch(msg);
        this.layers.applySelection(false);
        return;
      case 'run':
        this.dispatch(msg);
        // a run starts: bring the chart into view (the sidebar is narrow and long)
        if (msg.event.kind === 'created' && (msg.event.record.mode === 'full' || msg.event.record.mode === 'interactive')) this.revealTraining();
        this.paintRuns();
        return;
      case 'runs':
      case 'notice':
        this.dispatch(msg);
        this.paintRuns();
        return;
      case 'exportRequest':
        return this.export(msg.format);
      case 'editResult':
        return;
      case 'labState':
        this.dispatch(msg);
        this.lab.render(this.state);
        return;
      case 'lab': {
        const tab = this.state.labTab;
        this.dispatch(msg);
        const asked = msg.event.kind === 'sweepStarted' || (msg.event.kind === 'slot' && msg.event.slot.status === 'pending');
        if (asked || tab !== this.state.labTab) {
          this.lab.render(this.state);
          if (asked) this.lab.reveal();
        } else this.lab.schedule(this.state);
        return;
      }
      case 'decodeImage':
        return decodePicture(msg);
    }
  }

  private paintRuns(): void {
    this.training.schedule(this.state);
    this.boundary.schedule(this.state);
    // (the lab's buttons and metrics follow the current run)
    this.lab.schedule(this.state);
    this.renderNotice();
  }

  private revealTraining(): void {
    if (!this.docView.hidden) this.training.element.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  }

  private async export(format: 'svg' | 'png'): Promise<ExportResultMessage> {
    const doc = this.state.document;
    if (!doc) return { type: 'exportResult', format, error: 'there is no diagram to export' };
    // the full-size diagram with every label, not the view's narrowed one; in the page (out of
    // sight) so that the theme's computed colours can be read into the file
    const svg = renderDiagram(doc, { selected: null, onSelect: () => undefined });
    const stage = h('div', { class: 'export-stage', 'aria-hidden': 'true' }, svg);
    document.body.append(stage);
    try {
      const data = format === 'svg' ? diagramSvgText(svg) : await diagramPngDataUrl(svg, 2);
      return { type: 'exportResult', format, data };
    } catch (err) {
      return { type: 'exportResult', format, error: err instanceof Error ? err.message : String(err) };
    } finally {
      stage.remove();
    }
  }

  /** Sends a designer action (see HostLink: one in flight at a time). */
  private edit(edit: NetworkEdit, selectAfter?: number): void {
    if (!this.state.document) return;
    // the selection follows at once, so that the next key press acts on the moved layer
    if (selectAfter !== undefined) this.select(selectAfter, false);
    this.host.edit(edit, selectAfter);
  }

  /** Selects a layer; `reveal` also moves the editor there. */
  private select(layer: number | null, reveal: boolean): void {
    this.dispatch({ type: 'local.select', layer });
    if (reveal && this.state.selected !== null) this.host.post({ type: 'selectLayer', layer: this.state.selected });
    this.layers.applySelection(false);
  }

  // --- rendering -----------------------------------------------------------------------------

  private render(): void {
    const doc = this.state.document;
    this.empty.hidden = !!doc || !this.received;
    this.docView.hidden = !doc;
    this.renderNotice();
    if (!doc) {
      this.renderEmpty();
      return;
    }
    this.renderHeader(doc);
    this.layers.render(doc);
    this.settings.update(doc);
    this.training.render(this.state);
    this.boundary.render(this.state);
    this.lab.render(this.state);
  }

  private renderNotice(): void {
    const n = this.state.notice;
    this.notice.replaceChildren();
    this.notice.hidden = !n;
    if (!n) return;
    this.notice.className = `notice notice-${n.severity}`;
    const close = iconButton('close', 'Dismiss');
    close.addEventListener('click', () => {
      this.dispatch({ type: 'local.dismissNotice' });
      this.renderNotice();
    });
    this.notice.append(icon(n.severity === 'error' ? 'error' : 'info'), h('span', { class: 'notice-text' }, n.message), close);
  }

  private renderEmpty(): void {
    const newSpec = h('vscode-button', { 'data-testid': 'new-spec', icon: 'new-file' }, 'New Spec from Template…');
    newSpec.addEventListener('click', () => this.host.post({ type: 'newSpec' }));
    const files = this.state.files.map((f) => {
      const b = h('button', { type: 'button', class: 'file-link', title: f.uri }, icon('file'), h('span', {}, f.label), f.description ? h('span', { class: 'muted' }, f.description) : null);
      b.addEventListener('click', () => this.host.post({ type: 'openFile', uri: f.uri }));
      return h('li', {}, b);
    });
    fill(
      this.empty,
      h('div', { class: 'empty-icon' }, icon('type-hierarchy')),
      h('p', { class: 'empty-title' }, 'No network spec is open'),
      h('p', { class: 'muted' }, 'Open a .nnspec file to see and edit its network here, or start from a template.'),
      newSpec,
      files.length ? h('h2', {}, 'Spec files') : null,
      files.length ? h('ul', { class: 'file-list' }, ...files) : null,
    );
  }

  private renderHeader(doc: DocumentState): void {
    const { errors } = doc.facts;
    const warnings = doc.diagnostics.filter((d) => d.severity === 'warning').length;
    fill(
      this.header,
      icon('type-hierarchy'),
      h('span', { class: 'doc-title', title: doc.uri }, doc.name ?? doc.fileName),
      doc.name ? h('span', { class: 'muted doc-file' }, doc.fileName) : null,
      h(
        'span',
        { class: 'counts', 'aria-label': `${errors} errors, ${warnings} warnings` },
        errors ? h('span', { class: 'count count-error' }, icon('error'), String(errors)) : null,
        warnings ? h('span', { class: 'count count-warning' }, icon('warning'), String(warnings)) : null,
        !errors && !warnings ? h('span', { class: 'count count-ok' }, icon('pass'), 'OK') : null,
      ),
    );
  }
}

// --- start -------------------------------------------------------------------------------------

const root = document.getElementById('root');
if (root) new Designer(root, acquireVsCodeApi());
