// The designer webview: renders the view state (webview/state.ts) and turns clicks, keys and
// field changes into protocol messages. Each change posts one `applyEdit`; the document
// change comes back as a new `state` and re-renders (the fields never write back on render).

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import type { NetworkEdit } from '../src/shared/edits';
import { parseDims, positiveNumber, wholeNumber } from '../src/shared/numbers';
import type { DocumentState, LayerView, ToHost, ToWebview } from '../src/shared/protocol';
import { ACTIVATIONS, INIT_SCHEMES, LOSSES, MAX_ITERATIONS, MAX_UNITS, type InitScheme } from '../src/shared/spec';
import { drawBoundary, drawUnit, readPalette } from './boundary';
import { CostChart } from './costChart';
import { renderDiagram, shapeText } from './diagram';
import { add, fill, formatCost, formatInt, formatPercent, h, icon, iconButton } from './dom';
import { diagramPngDataUrl, diagramSvgText } from './exportDiagram';
import { currentRun, moveSelection, persisted, reduce, restore, type Action, type ViewState } from './state';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

type Select = HTMLElement & { value: string; disabled: boolean };
type Checkbox = HTMLElement & { checked: boolean; disabled: boolean };
type Button = HTMLElement & { disabled: boolean };
/** a vscode-textfield */
type TextField = HTMLElement & { value: string; invalid: boolean };

function textField(attrs: Record<string, string>, value: string): TextField {
  const el = h('vscode-textfield', { spellcheck: 'false', ...attrs }) as TextField;
  el.value = value;
  el.dataset.committed = value;
  return el;
}

/** How long an edit may wait for the host's answer before the next one goes anyway. */
const EDIT_TIMEOUT_MS = 10_000;

/** Default for a new hidden layer. */
const NEW_LAYER = { units: 4, activation: 'relu' as const };

function post(message: ToHost): void {
  vscode.postMessage(message);
}

function selectEl(options: readonly string[], value: string, attrs: Record<string, string>, invalidText?: string): Select {
  const el = h('vscode-single-select', attrs) as Select;
  // a value the spec has but the list does not (a typo): shown as it is, not as the first option
  if (!options.includes(value)) el.append(h('vscode-option', { value: '', disabled: true }, invalidText ? `${invalidText} (unknown)` : '—'));
  for (const option of options) el.append(h('vscode-option', { value: option }, option));
  el.value = value;
  return el;
}

class Designer {
  private state: ViewState;
  private readonly root: HTMLElement;
  private readonly empty = h('section', { class: 'empty-state', 'data-testid': 'empty-state' });
  private readonly docView = h('div', { class: 'doc-view' });
  private readonly header = h('header', { class: 'doc-header' });
  private readonly notice = h('div', { class: 'notice', role: 'alert' });
  private readonly diagramWrap = h('div', { class: 'diagram-wrap', tabindex: '0', 'aria-label': 'Network diagram: arrow keys select a layer' });
  private readonly summary = h('p', { class: 'summary' });
  private readonly layerList = h('ol', { class: 'layer-list', 'aria-label': 'Layers' });
  private readonly addButton = h('vscode-button', { 'data-testid': 'add-layer', icon: 'add', secondary: true, title: 'Add a hidden layer after the selected one (Insert or +)' }, 'Add layer') as Button;
  private readonly problems = h('section', { class: 'problems', 'aria-label': 'Problems' });
  private readonly settings = h('div', { class: 'settings-grid' });
  private readonly training: TrainingPanel;
  private readonly boundary: BoundaryPanel;
  /** designer actions not yet sent: one is in flight at a time (see `edit`) */
  private readonly editQueue: { edit: NetworkEdit; selectAfter?: number }[] = [];
  private inFlight: { id: number; selectAfter?: number; timer: number } | undefined;
  /** edit ids start at random, so that an answer meant for a previous load of the page (the view
   * was hidden and shown meanwhile) is not taken for one of this load's */
  private nextEditId = crypto.getRandomValues(new Uint32Array(1))[0];
  /** no state from the host yet: show nothing rather than the empty state for a moment */
  private received = false;
  private saveTimer: number | undefined;
  private dragFrom: number | undefined;
  /** the width the diagram was laid out for */
  private diagramWidth: number | undefined;

  constructor(root: HTMLElement) {
    this.root = root;
    this.state = restore(vscode.getState());
    this.training = new TrainingPanel((action) => this.local(action));
    this.boundary = new BoundaryPanel();
    this.layout();
    this.render();
    new ResizeObserver(() => this.onDiagramResize()).observe(this.diagramWrap);
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as ToWebview));
    // theme switches change the CSS variables: redraw what is painted on canvases
    // (VS Code sets the theme's variables on <html> and its kind as a class on <body>)
    const repaint = new MutationObserver(() => {
      this.training.render(this.state, true);
      this.boundary.render(this.state);
    });
    repaint.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    repaint.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    post({ type: 'ready' });
  }

  // --- state ---------------------------------------------------------------------------------

  /** A local action from a panel (log scale, clear, reset): update and repaint the panels. */
  local(action: Action): void {
    this.dispatch(action);
    this.training.render(this.state);
    this.boundary.render(this.state);
  }

  private dispatch(action: Action): void {
    this.state = reduce(this.state, action);
    // saved at most every 200 ms (a throttle: progress arrives faster than that for minutes)
    if (this.saveTimer !== undefined) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      vscode.setState(persisted(this.state));
    }, 200);
  }

  private onMessage(msg: ToWebview): void {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'state': {
        this.received = true;
        const previousUri = this.state.document?.uri;
        this.dispatch(msg);
        if (previousUri && msg.document?.uri !== previousUri) this.editQueue.length = 0;
        this.render();
        return;
      }
      case 'editResult': {
        const done = this.inFlight;
        if (!done || done.id !== msg.id) return;
        clearTimeout(done.timer);
        this.inFlight = undefined;
        // the state showing the result came just before: reveal the layer the action was about
        if (msg.applied && done.selectAfter !== undefined) this.select(done.selectAfter, true);
        if (!msg.applied && msg.reason !== 'unchanged') this.editQueue.length = 0;
        this.sendNextEdit();
        return;
      }
      case 'selectLayer':
        this.dispatch(msg);
        this.applySelection(false);
        return;
      case 'trainingStarted':
      case 'trainingProgress':
      case 'trainingFinished':
      case 'trainingState':
      case 'notice':
        this.dispatch(msg);
        this.training.schedule(this.state);
        this.boundary.schedule(this.state);
        this.renderNotice();
        return;
      case 'exportRequest':
        void this.export(msg.requestId, msg.format);
        return;
    }
  }

  private async export(requestId: number, format: 'svg' | 'png'): Promise<void> {
    const doc = this.state.document;
    if (!doc) {
      post({ type: 'exportResult', requestId, format, error: 'there is no diagram to export' });
      return;
    }
    // the full-size diagram with every label, not the view's narrowed one; in the page (out of
    // sight) so that the theme's computed colours can be read into the file
    const svg = renderDiagram(doc, { selected: null, onSelect: () => undefined });
    const stage = h('div', { class: 'export-stage', 'aria-hidden': 'true' }, svg);
    document.body.append(stage);
    try {
      const data = format === 'svg' ? diagramSvgText(svg) : await diagramPngDataUrl(svg, 2);
      post({ type: 'exportResult', requestId, format, data });
    } catch (err) {
      post({ type: 'exportResult', requestId, format, error: err instanceof Error ? err.message : String(err) });
    } finally {
      stage.remove();
    }
  }

  /**
   * Sends a designer action. One is in flight at a time: the next goes once the host has
   * answered with the new state, so it names layers as the edited document has them (two
   * quick Alt+Down presses move a layer down twice, not down and back).
   */
  private edit(edit: NetworkEdit, selectAfter?: number): void {
    if (!this.state.document) return;
    // the selection follows at once, so that the next key press acts on the moved layer
    if (selectAfter !== undefined) this.select(selectAfter, false);
    this.editQueue.push({ edit, selectAfter });
    this.sendNextEdit();
  }

  private sendNextEdit(): void {
    const doc = this.state.document;
    if (this.inFlight || !doc) return;
    const next = this.editQueue.shift();
    if (!next) return;
    const id = this.nextEditId++;
    // a host that never answers (reloaded meanwhile) does not hold the queue for ever
    const timer = window.setTimeout(() => {
      if (this.inFlight?.id !== id) return;
      this.inFlight = undefined;
      this.sendNextEdit();
    }, EDIT_TIMEOUT_MS);
    this.inFlight = { id, selectAfter: next.selectAfter, timer };
    post({ type: 'applyEdit', edit: next.edit, id, uri: doc.uri, version: doc.version });
  }

  /** Selects a layer; `reveal` also moves the editor there. */
  private select(layer: number | null, reveal: boolean): void {
    this.dispatch({ type: 'local.select', layer });
    if (reveal && this.state.selected !== null) post({ type: 'selectLayer', layer: this.state.selected });
    this.applySelection(false);
  }

  // --- layout --------------------------------------------------------------------------------

  private layout(): void {
    this.diagramWrap.addEventListener('keydown', (e) => this.onListKey(e));
    this.layerList.addEventListener('keydown', (e) => this.onListKey(e));
    this.addButton.addEventListener('click', () => this.addLayer());
    const layersSection = h(
      'section',
      { class: 'layers', 'aria-labelledby': 'layers-title' },
      h('h2', { id: 'layers-title' }, 'Layers'),
      this.layerList,
      h('div', { class: 'layer-actions' }, this.addButton, h('span', { class: 'hint' }, '↑↓ select · Alt+↑↓ move · Del remove · + add')),
    );
    const settingsSection = h('section', { class: 'settings', 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title' }, 'Training settings'), this.settings);
    this.docView.append(
      this.header,
      h('section', { class: 'diagram-section', 'aria-label': 'Diagram' }, this.diagramWrap, this.summary),
      layersSection,
      this.problems,
      settingsSection,
      this.training.element,
      this.boundary.element,
    );
    this.root.append(this.notice, this.empty, this.docView);
  }

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
    this.preservingFocus(this.root, () => {
      this.renderLayers(doc);
      this.renderSettings(doc);
    });
    this.renderDiagram(doc);
    this.renderProblems(doc);
    this.training.render(this.state);
    this.boundary.render(this.state);
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
    newSpec.addEventListener('click', () => post({ type: 'newSpec' }));
    const files = this.state.files.map((f) => {
      const b = h('button', { type: 'button', class: 'file-link', title: f.uri }, icon('file'), h('span', {}, f.label), f.description ? h('span', { class: 'muted' }, f.description) : null);
      b.addEventListener('click', () => post({ type: 'openFile', uri: f.uri }));
      return h('li', {}, b);
    });
    fill(this.empty,
      h('div', { class: 'empty-icon' }, icon('type-hierarchy')),
      h('p', { class: 'empty-title' }, 'No network spec is open'),
      h('p', { class: 'muted' }, 'Open a .nnspec file to see and edit its network here, or start from a template.'),
      newSpec,
      files.length ? h('h2', {}, 'Spec files') : null,
      files.length ? h('ul', { class: 'file-list' }, ...files) : null,
    );
  }

  private renderHeader(doc: DocumentState): void {
    const errors = doc.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = doc.diagnostics.filter((d) => d.severity === 'warning').length;
    fill(this.header,
      icon('type-hierarchy'),
      h('span', { class: 'doc-title', title: doc.uri }, doc.name ?? doc.fileName),
      doc.name ? h('span', { class: 'muted' }, doc.fileName) : null,
      h(
        'span',
        { class: 'counts', 'aria-label': `${errors} errors, ${warnings} warnings` },
        errors ? h('span', { class: 'count count-error' }, icon('error'), String(errors)) : null,
        warnings ? h('span', { class: 'count count-warning' }, icon('warning'), String(warnings)) : null,
        !errors && !warnings ? h('span', { class: 'count count-ok' }, icon('pass'), 'OK') : null,
      ),
    );
    const params = doc.totalParams !== undefined ? `${formatInt(doc.totalParams)} parameters` : 'parameters: ?';
    const L = doc.layers.length;
    this.summary.textContent = `L = ${L} layer${L === 1 ? '' : 's'} · ${params} · m = ${doc.m !== undefined ? formatInt(doc.m) : '?'}`;
  }

  private renderDiagram(doc: DocumentState): void {
    // the room inside the frame: the columns narrow to fit it (undefined while hidden)
    const width = this.diagramWrap.clientWidth || undefined;
    this.diagramWidth = width;
    const svg = renderDiagram(doc, { selected: this.state.selected, onSelect: (layer) => this.select(layer, true), width });
    this.diagramWrap.replaceChildren(svg);
  }

  /** Re-lays the diagram out when the sidebar is resized. */
  private onDiagramResize(): void {
    const doc = this.state.document;
    if (!doc || this.diagramWrap.clientWidth === this.diagramWidth) return;
    this.renderDiagram(doc);
    this.scrollDiagramTo(this.state.selected);
  }

  /** Updates the selection marks without rebuilding the fields. */
  private applySelection(focusRow: boolean): void {
    const doc = this.state.document;
    if (!doc) return;
    const selected = this.state.selected;
    this.layerList.querySelectorAll<HTMLElement>('.layer-row').forEach((row) => {
      const isSelected = Number(row.dataset.layer) === selected;
      row.classList.toggle('is-selected', isSelected);
      row.setAttribute('aria-current', isSelected ? 'true' : 'false');
      row.tabIndex = isSelected || (selected === null && row.dataset.layer === '0') ? 0 : -1;
      if (isSelected && focusRow) row.focus();
      if (isSelected) row.scrollIntoView({ block: 'nearest' });
    });
    this.renderDiagram(doc);
    this.scrollDiagramTo(selected);
  }

  /** Keeps the selected column visible when the diagram is wider than the view. */
  private scrollDiagramTo(layer: number | null): void {
    if (layer === null) return;
    const wrap = this.diagramWrap;
    const svg = wrap.querySelector('svg');
    if (!svg || wrap.scrollWidth <= wrap.clientWidth) return;
    const columns = (this.state.document?.layers.length ?? 0) + 1;
    const columnWidth = svg.getBoundingClientRect().width / columns;
    const left = layer * columnWidth;
    if (left < wrap.scrollLeft) wrap.scrollLeft = left;
    else if (left + columnWidth > wrap.scrollLeft + wrap.clientWidth) wrap.scrollLeft = left + columnWidth - wrap.clientWidth;
  }

  // --- layers --------------------------------------------------------------------------------

  private renderLayers(doc: DocumentState): void {
    const rows: HTMLElement[] = [this.inputRow(doc), ...doc.layers.map((l) => this.layerRow(doc, l))];
    this.layerList.replaceChildren(...rows);
    this.addButton.disabled = false;
    this.applySelection(false);
  }

  private rowProblems(doc: DocumentState, layer: number): HTMLElement | null {
    const ds = doc.diagnostics.filter((d) => d.layer === layer);
    if (!ds.length) return null;
    return h(
      'ul',
      { class: 'row-problems' },
      ...ds.map((d) => h('li', { class: `sev-${d.severity}` }, icon(severityIcon(d.severity)), h('span', {}, d.message))),
    );
  }

  private rowShell(layer: number, label: string, doc: DocumentState): HTMLLIElement {
    const ds = doc.diagnostics.filter((d) => d.layer === layer);
    const worst = ds.find((d) => d.severity === 'error') ?? ds.find((d) => d.severity === 'warning');
    const row = h('li', {
      class: `layer-row${worst ? ` has-${worst.severity}` : ''}`,
      'data-testid': `layer-${layer}`,
      'data-layer': layer,
      'data-key': `row-${layer}`,
      'aria-label': label,
      tabindex: '-1',
    });
    row.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('input, vscode-textfield, vscode-single-select, button, vscode-button')) return;
      this.select(layer, true);
    });
    row.addEventListener('focusin', () => {
      if (this.state.selected !== layer) this.select(layer, true);
    });
    return row;
  }

  private inputRow(doc: DocumentState): HTMLElement {
    const row = this.rowShell(0, `Input X: ${doc.input.size ?? 'unknown'} features`, doc);
    const field = textField({
      class: 'units-input',
      'data-key': 'input-size',
      'data-testid': 'input-size',
      'aria-label': 'Input size n_x (N or HxWxC)',
      label: 'Input size n_x (N or HxWxC)',
      placeholder: 'n_x',
    }, doc.input.text);
    this.commitOn(field, (text) => {
      const t = text.trim();
      const dims = parseDims(t);
      if (dims) {
        const size = dims.reduce((a, b) => a * b, 1);
        if (dims.length <= 4 && dims.every((d) => d > 0) && size <= MAX_UNITS) return { op: 'setInput', size, dims };
        return undefined;
      }
      const size = wholeNumber(t, 1, MAX_UNITS);
      return size === undefined ? undefined : { op: 'setInput', size };
    }, `A whole number from 1 to ${formatInt(MAX_UNITS)}, or HxWxC such as 64x64x3`);
    const m = doc.m ?? 'm';
    add(row,
      h('span', { class: 'grip-space' }),
      h('span', { class: 'layer-name' }, 'X'),
      field,
      h('span', { class: 'layer-kind' }, doc.input.dims ? `n_x = ${formatInt(doc.input.size ?? 0)}` : 'input'),
      h('div', { class: 'shapes' }, `X ${shapeText([doc.input.size ?? '?', m])}`),
      this.rowProblems(doc, 0),
    );
    return row;
  }

  private layerRow(doc: DocumentState, layer: LayerView): HTMLElement {
    const l = layer.index;
    const L = doc.layers.length;
    const row = this.rowShell(l, `Layer ${l}${layer.isOutput ? ' (output)' : ''}: ${layer.unitsText || '?'} units, ${layer.activationText || '?'}`, doc);

    const grip = h('span', { class: 'grip codicon codicon-gripper', draggable: 'true', title: 'Drag to reorder (or Alt+↑/↓)', 'aria-hidden': 'true' });
    grip.addEventListener('dragstart', (e) => {
      this.dragFrom = l;
      e.dataTransfer?.setData('text/plain', String(l));
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      row.classList.add('is-dragging');
    });
    grip.addEventListener('dragend', () => {
      this.dragFrom = undefined;
      row.classList.remove('is-dragging');
      this.layerList.querySelectorAll('.drop-target').forEach((el) => el.classList.remove('drop-target'));
    });
    row.addEventListener('dragover', (e) => {
      if (this.dragFrom === undefined) return;
      e.preventDefault();
      row.classList.add('drop-target');
    });
    row.addEventListener('dragleave', () => row.classList.remove('drop-target'));
    row.addEventListener('drop', (e) => {
      e.preventDefault();
      row.classList.remove('drop-target');
      const from = this.dragFrom ?? Number(e.dataTransfer?.getData('text/plain'));
      if (from >= 1 && from !== l) this.edit({ op: 'moveLayer', from, to: l }, l);
    });

    const units = textField({
      class: 'units-input',
      type: 'number',
      min: '1',
      max: String(MAX_UNITS),
      step: '1',
      'data-testid': `units-${l}`,
      'data-key': `units-${l}`,
      'aria-label': `Units of layer ${l}`,
      label: `Units of layer ${l}`,
    }, layer.unitsText);
    this.commitOn(units, (text) => {
      const n = wholeNumber(text, 1, MAX_UNITS);
      return n === undefined ? undefined : { op: 'setUnits', layer: l, units: n };
    }, `Units: a whole number from 1 to ${formatInt(MAX_UNITS)}`);

    const activation = selectEl(ACTIVATIONS, layer.activation ?? '', {
      'data-testid': `activation-${l}`,
      'data-key': `activation-${l}`,
      'aria-label': `Activation of layer ${l}`,
      class: 'activation-select',
    }, layer.activationText);
    activation.addEventListener('change', () => {
      const value = activation.value;
      if (value && value !== layer.activation && (ACTIVATIONS as readonly string[]).includes(value)) {
        this.edit({ op: 'setActivation', layer: l, activation: value as LayerView['activation'] & string });
      }
    });

    const up = iconButton('arrow-up', `Move layer ${l} up`, { 'data-key': `up-${l}`, 'data-testid': `move-up-${l}` });
    up.disabled = l === 1;
    up.addEventListener('click', () => this.edit({ op: 'moveLayer', from: l, to: l - 1 }, l - 1));
    const down = iconButton('arrow-down', `Move layer ${l} down`, { 'data-key': `down-${l}`, 'data-testid': `move-down-${l}` });
    down.disabled = l === L;
    down.addEventListener('click', () => this.edit({ op: 'moveLayer', from: l, to: l + 1 }, l + 1));
    const remove = iconButton('trash', `Remove layer ${l}`, { 'data-key': `remove-${l}`, 'data-testid': `remove-layer-${l}` });
    remove.addEventListener('click', () => this.removeLayer(l));

    const params = layer.params !== undefined ? ` · ${formatInt(layer.params)} params` : '';
    add(row,
      grip,
      h('span', { class: 'layer-name', title: layer.isOutput ? 'Output layer' : `Hidden layer ${l}` }, String(l)),
      units,
      activation,
      h('span', { class: 'row-actions' }, up, down, remove),
      h(
        'div',
        { class: 'shapes' },
        layer.isOutput ? h('span', { class: 'output-tag' }, 'output') : null,
        `W ${shapeText(layer.W)} · b ${shapeText(layer.b)} · A ${shapeText(layer.A)}${params}`,
      ),
      this.rowProblems(doc, l),
    );
    return row;
  }

  /** Commit a field on Enter, change and blur; Escape restores the document's value. */
  private commitOn(field: TextField, parse: (text: string) => NetworkEdit | undefined, rule: string): void {
    const invalid = (on: boolean): void => {
      field.invalid = on;
      if (on) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
      field.title = on ? rule : '';
    };
    const commit = (): void => {
      const text = field.value;
      if (text === field.dataset.committed) {
        invalid(false);
        return;
      }
      const edit = parse(text);
      if (!edit) {
        invalid(true);
        return;
      }
      invalid(false);
      // sent once: the new state resets `committed`
      field.dataset.committed = text;
      this.edit(edit);
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        commit();
      } else if (e.key === 'Escape') {
        field.value = field.dataset.committed ?? '';
        invalid(false);
      }
    });
    field.addEventListener('change', commit);
    field.addEventListener('blur', commit);
    field.addEventListener('input', () => {
      if (field.invalid && parse(field.value)) invalid(false);
    });
  }

  private addPosition(): number {
    const doc = this.state.document;
    if (!doc) return 1;
    const L = doc.layers.length;
    const selected = this.state.selected;
    if (L === 0) return 1;
    // after the selected layer, but a new hidden layer goes before the output layer
    if (selected === null || selected >= L) return L;
    return selected + 1;
  }

  private addLayer(): void {
    const doc = this.state.document;
    if (!doc) return;
    const at = this.addPosition();
    if (doc.layers.length === 0) {
      this.edit({ op: 'addLayer', at: 1, units: 1, activation: 'sigmoid' }, 1);
      return;
    }
    const model = doc.layers[at - 2];
    const activation = model && !model.isOutput && model.activation ? model.activation : NEW_LAYER.activation;
    this.edit({ op: 'addLayer', at, units: NEW_LAYER.units, activation }, at);
  }

  private removeLayer(l: number): void {
    const doc = this.state.document;
    if (!doc) return;
    const next = Math.min(l, doc.layers.length - 1);
    this.edit({ op: 'removeLayer', layer: l }, next >= 1 ? next : 0);
  }

  private onListKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.closest('input, vscode-textfield, vscode-single-select, button, vscode-button')) return;
    const doc = this.state.document;
    if (!doc) return;
    const L = doc.layers.length;
    const selected = this.state.selected;
    const focusRow = target.classList.contains('layer-row');
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowRight') && e.altKey) {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') return;
      e.preventDefault();
      if (selected === null || selected < 1) return;
      const to = selected + (e.key === 'ArrowUp' ? -1 : 1);
      if (to >= 1 && to <= L) this.edit({ op: 'moveLayer', from: selected, to }, to);
      return;
    }
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowLeft':
      case 'ArrowDown':
      case 'ArrowRight': {
        e.preventDefault();
        const delta = e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : 1;
        this.dispatch({ type: 'local.select', layer: moveSelection(this.state, delta) });
        if (this.state.selected !== null) post({ type: 'selectLayer', layer: this.state.selected });
        this.applySelection(focusRow);
        return;
      }
      case 'Home':
      case 'End':
        e.preventDefault();
        this.select(e.key === 'Home' ? 0 : L, true);
        this.applySelection(focusRow);
        return;
      case 'Delete':
      case 'Backspace':
        if (selected !== null && selected >= 1) {
          e.preventDefault();
          this.removeLayer(selected);
        }
        return;
      case 'Insert':
      case '+':
        e.preventDefault();
        this.addLayer();
        return;
      case 'Enter':
        if (selected !== null) {
          e.preventDefault();
          this.layerList.querySelector<HTMLElement>(selected === 0 ? '[data-key="input-size"]' : `[data-key="units-${selected}"]`)?.focus();
        }
        return;
    }
  }

  // --- problems ------------------------------------------------------------------------------

  private renderProblems(doc: DocumentState): void {
    const list = doc.diagnostics;
    this.problems.hidden = list.length === 0;
    if (!list.length) {
      this.problems.replaceChildren();
      return;
    }
    const items = list.map((d) => {
      const where = d.layer === undefined ? `Ln ${d.line + 1}` : d.layer === 0 ? `input · Ln ${d.line + 1}` : `layer ${d.layer} · Ln ${d.line + 1}`;
      const b = h(
        'button',
        { type: 'button', class: `problem sev-${d.severity}`, title: `${d.code}: ${d.message}` },
        icon(severityIcon(d.severity)),
        h('span', { class: 'problem-message' }, d.message),
        h('span', { class: 'problem-where' }, where),
      );
      b.addEventListener('click', () => {
        if (d.layer !== undefined) this.select(d.layer, false);
        post({ type: 'revealLine', line: d.line, character: d.character });
      });
      return h('li', {}, b);
    });
    this.problems.replaceChildren(h('h2', {}, `Problems (${list.length})`), h('ul', { class: 'problem-list', 'data-testid': 'problems' }, ...items));
  }

  // --- settings ------------------------------------------------------------------------------

  private renderSettings(doc: DocumentState): void {
    const s = doc.settings;
    const field = (key: string, label: string, value: string, written: boolean, parse: (t: string) => NetworkEdit | undefined, rule: string, attrs: Record<string, string> = {}): HTMLElement => {
      const input = textField({ id: `setting-${key}`, 'data-key': key, 'data-testid': `setting-${key}`, label, ...attrs }, value);
      this.commitOn(input, parse, rule);
      return h('div', { class: 'setting' }, h('label', { for: `setting-${key}` }, label, written ? null : h('span', { class: 'muted default-tag' }, ' default')), input);
    };
    const init = selectEl(INIT_SCHEMES, s.init.kind, { 'data-key': 'init', 'data-testid': 'setting-init', id: 'setting-init', 'aria-label': 'Weight initialisation' });
    init.addEventListener('change', () => {
      const kind = init.value as InitScheme['kind'];
      if (kind === s.init.kind || !(INIT_SCHEMES as readonly string[]).includes(kind)) return;
      this.edit({ op: 'setInit', init: kind === 'random' ? { kind, scale: 0.01 } : { kind } as InitScheme });
    });
    const loss = selectEl(LOSSES, s.loss, { 'data-key': 'loss', 'data-testid': 'setting-loss', id: 'setting-loss', 'aria-label': 'Loss' });
    loss.addEventListener('change', () => {
      if (loss.value !== s.loss && (LOSSES as readonly string[]).includes(loss.value)) this.edit({ op: 'setLoss', loss: loss.value as typeof s.loss });
    });
    const data = [doc.data.train, doc.data.test]
      .filter((d) => d !== undefined)
      .map((d) =>
        h(
          'li',
          { class: d.error ? 'sev-error' : '' },
          h('span', { class: 'data-split' }, d.split),
          ` ${d.label}`,
          d.features !== undefined && d.m !== undefined ? h('span', { class: 'muted' }, ` · ${formatInt(d.features)} × ${formatInt(d.m)}`) : null,
          d.error ? h('span', { class: 'data-error' }, ` · ${d.error}`) : null,
        ),
      );
    fill(this.settings,
      field('learning-rate', 'Learning rate α', String(s.learningRate), s.written.learningRate, (t) => {
        const v = positiveNumber(t);
        return v === undefined ? undefined : { op: 'setLearningRate', learningRate: v };
      }, 'The learning rate: a positive number'),
      field('iterations', 'Iterations', String(s.iterations), s.written.iterations, (t) => {
        const v = wholeNumber(t, 1, MAX_ITERATIONS);
        return v === undefined ? undefined : { op: 'setIterations', iterations: v };
      }, `Iterations: a whole number from 1 to ${formatInt(MAX_ITERATIONS)}`),
      h('div', { class: 'setting' }, h('label', { for: 'setting-init' }, 'Initialisation', s.written.init ? null : h('span', { class: 'muted default-tag' }, ' default')), init),
      s.init.kind === 'random'
        ? field('init-scale', 'Random scale', String(s.init.scale), s.written.init, (t) => {
            const v = positiveNumber(t);
            return v === undefined ? undefined : { op: 'setInit', init: { kind: 'random', scale: v } };
          }, 'The scale must be a positive number')
        : null,
      field('seed', 'Seed', String(s.seed), s.written.seed, (t) => {
        const v = wholeNumber(t, 0, 0xffffffff);
        return v === undefined ? undefined : { op: 'setSeed', seed: v };
      }, 'The seed is a whole number from 0 to 4294967295'),
      h('div', { class: 'setting' }, h('label', { for: 'setting-loss' }, 'Loss', s.written.loss ? null : h('span', { class: 'muted default-tag' }, ' default')), loss),
      h('div', { class: 'setting setting-wide' }, h('span', { class: 'setting-label' }, 'Data'), data.length ? h('ul', { class: 'data-list' }, ...data) : h('span', { class: 'muted' }, 'No data line: add ', h('code', {}, 'data train flower'), ' or a file.')),
    );
  }

  // --- focus ---------------------------------------------------------------------------------

  /** Rebuilds inside `container` and puts the focus (and text being typed) back. */
  private preservingFocus(container: HTMLElement, rebuild: () => void): void {
    // (a vscode-textfield is the active element while its inner input has the focus)
    const active = document.activeElement as (HTMLElement & { value?: unknown }) | null;
    const key = active && container.contains(active) ? active.dataset.key : undefined;
    let typed: string | undefined;
    if (active && typeof active.value === 'string' && active.value !== active.dataset.committed) typed = active.value;
    rebuild();
    if (!key) return;
    const next = container.querySelector<HTMLElement & { value?: unknown }>(`[data-key="${CSS.escape(key)}"]`);
    if (!next) return;
    if (typed !== undefined && typeof next.value === 'string') next.value = typed;
    next.focus({ preventScroll: true });
  }
}

function severityIcon(severity: string): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info';
}

// --- training ----------------------------------------------------------------------------------

class TrainingPanel {
  readonly element = h('section', { class: 'training', 'aria-labelledby': 'training-title' });
  private readonly play = h('vscode-button', { 'data-testid': 'play', icon: 'play', title: 'Train (or resume)' }, 'Play') as Button;
  private readonly pause = h('vscode-button', { 'data-testid': 'pause', icon: 'debug-pause', secondary: true, title: 'Pause' }, 'Pause') as Button;
  private readonly step = h('vscode-button', { 'data-testid': 'step', icon: 'debug-step-over', secondary: true, title: 'One iteration' }, 'Step') as Button;
  private readonly reset = h('vscode-button', { 'data-testid': 'reset', icon: 'debug-restart', secondary: true, title: 'Stop and clear the run' }, 'Reset') as Button;
  private readonly live = h('vscode-checkbox', { 'data-testid': 'live-toggle', label: 'Live preview after each edit' }) as Checkbox;
  private readonly logScale = h('vscode-checkbox', { 'data-testid': 'log-scale', label: 'Log scale' }) as Checkbox;
  private readonly clear = iconButton('clear-all', 'Clear the runs', { 'data-testid': 'clear-runs' });
  private readonly iteration = h('span', { class: 'stat-value', 'data-testid': 'iteration-value' }, '–');
  private readonly cost = h('span', { class: 'stat-value', 'data-testid': 'cost-value' }, '–');
  private readonly status = h('span', { class: 'stat-value status', 'data-testid': 'run-status', 'aria-live': 'polite' }, 'Not trained');
  private readonly trainAcc = h('span', { class: 'stat-value', 'data-testid': 'train-accuracy' }, '–');
  private readonly testAcc = h('span', { class: 'stat-value', 'data-testid': 'test-accuracy' }, '–');
  private readonly canvas = h('canvas', { 'data-testid': 'cost-chart', role: 'img', 'aria-label': 'Cost per iteration' });
  private readonly chartEmpty = h('p', { class: 'chart-empty muted' }, 'The cost curve of each run appears here.');
  private readonly chart = new CostChart(this.canvas);
  private frame: number | undefined;
  private pending: ViewState | undefined;
  private state: ViewState | undefined;

  constructor(private readonly local: (action: Action) => void) {
    const stat = (label: string, value: HTMLElement): HTMLElement => h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value);
    this.element.append(
      h('h2', { id: 'training-title' }, 'Training'),
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Training controls' }, this.play, this.pause, this.step, this.reset),
      h('div', { class: 'stats' }, stat('Iteration', this.iteration), stat('Cost', this.cost), stat('Status', this.status), stat('Train acc.', this.trainAcc), stat('Test acc.', this.testAcc)),
      h('div', { class: 'chart-wrap' }, this.canvas, this.chartEmpty),
      h('div', { class: 'chart-tools' }, this.logScale, this.live, this.clear),
    );
    this.play.addEventListener('click', () => !this.play.disabled && post({ type: 'play' }));
    this.pause.addEventListener('click', () => !this.pause.disabled && post({ type: 'pause' }));
    this.step.addEventListener('click', () => !this.step.disabled && post({ type: 'step', count: 1 }));
    this.reset.addEventListener('click', () => {
      post({ type: 'reset' });
      this.local({ type: 'local.reset' });
    });
    this.logScale.addEventListener('change', () => this.local({ type: 'local.toggleLogScale' }));
    this.live.addEventListener('change', () => post({ type: 'toggleLive' }));
    this.clear.addEventListener('click', () => this.local({ type: 'local.clearRuns' }));
  }

  /** Coalesces progress at 20+ Hz into one paint per frame. */
  schedule(state: ViewState): void {
    this.pending = state;
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (this.pending) this.render(this.pending);
    });
  }

  render(state: ViewState, themeChanged = false): void {
    if (themeChanged && !this.state) return;
    const s = themeChanged && this.state ? this.state : state;
    this.state = s;
    const doc = s.document;
    const errors = doc ? doc.diagnostics.filter((d) => d.severity === 'error').length : 0;
    const { running, paused, busyElsewhere } = s.training;
    const blocked = !doc || errors > 0;
    this.play.disabled = blocked || (running && !paused);
    this.play.title = blocked ? 'Fix the errors in the spec to train' : running && paused ? 'Resume' : 'Train';
    this.pause.disabled = !running || paused;
    // (Step during a run pauses it first; Play or Step while another spec trains asks before stopping it)
    this.step.disabled = blocked;
    this.reset.disabled = !running && !currentRun(s);
    this.live.checked = s.live;
    this.logScale.checked = s.logScale;
    const run = currentRun(s);
    this.iteration.textContent = run ? formatInt(run.iteration) : '–';
    this.cost.textContent = formatCost(run?.cost);
    this.status.textContent = statusText(s, busyElsewhere);
    this.trainAcc.textContent = formatPercent(run?.trainAccuracy);
    // (a stopped run has no accuracies: they arrive as null, which is not "no test set")
    this.testAcc.textContent = run?.finished && !run.cancelled && run.testAccuracy === null ? 'no test set' : formatPercent(run?.testAccuracy);
    this.chartEmpty.hidden = s.runs.length > 0;
    this.canvas.parentElement?.classList.toggle('is-empty', s.runs.length === 0);
    this.clear.disabled = s.runs.length === 0;
    this.chart.update(s.runs, s.currentRunId, s.logScale);
    // the chart in words, for screen readers (a canvas has no text of its own)
    this.canvas.setAttribute(
      'aria-label',
      s.runs.length
        ? `Cost per iteration: ${s.runs.map((r) => `${r.label}, cost ${formatCost(r.cost)} at iteration ${formatInt(r.iteration)}${r.finished ? '' : ' (running)'}`).join('; ')}`
        : 'Cost per iteration: no runs yet',
    );
  }
}

function statusText(s: ViewState, busyElsewhere?: boolean): string {
  const run = currentRun(s);
  if (s.training.running) return s.training.paused ? 'Paused' : s.training.mode === 'preview' ? 'Previewing…' : 'Training…';
  if (busyElsewhere) return 'Another spec is training';
  if (!run) return 'Not trained';
  if (run.error) return 'Failed';
  if (run.cancelled) return 'Stopped';
  if (run.mode === 'preview' && run.finished) return `Preview: ${formatInt(run.iteration)} iterations`;
  if (run.mode === 'loaded') return run.seconds !== undefined ? `Saved model (trained in ${run.seconds.toFixed(1)} s)` : 'Saved model';
  if (run.finished) return run.seconds !== undefined ? `Done in ${run.seconds.toFixed(1)} s` : 'Done';
  return 'Waiting';
}

// --- decision boundary --------------------------------------------------------------------------

class BoundaryPanel {
  readonly element = h('section', { class: 'boundary-section', 'aria-labelledby': 'boundary-title' });
  private readonly canvas = h('canvas', { 'data-testid': 'boundary', role: 'img', 'aria-label': 'Decision boundary: the output over the input plane, with the training and test points' });
  private readonly placeholder = h('p', { class: 'boundary-empty muted' }, 'Train to see the decision boundary.');
  private readonly neurons = h('div', { class: 'neurons' });
  private neuronKey = '';
  private frame: number | undefined;
  private pending: ViewState | undefined;
  private last: ViewState | undefined;

  constructor() {
    this.element.append(
      h('h2', { id: 'boundary-title' }, 'Decision boundary'),
      h('div', { class: 'boundary-wrap' }, this.canvas, this.placeholder),
      h(
        'div',
        { class: 'legend' },
        h('span', { class: 'swatch swatch-negative' }),
        'class 0',
        h('span', { class: 'swatch swatch-positive' }),
        'class 1',
        h('span', { class: 'legend-dot' }, '●'),
        'train',
        h('span', { class: 'legend-ring' }, '○'),
        'test',
      ),
      this.neurons,
    );
    new ResizeObserver(() => {
      if (this.last) this.render(this.last);
    }).observe(this.canvas);
  }

  schedule(state: ViewState): void {
    this.pending = state;
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (this.pending) this.render(this.pending);
    });
  }

  render(state: ViewState): void {
    this.last = state;
    const doc = state.document;
    const twoD = (doc?.input.size === 2 && doc.layers.length > 0) || !!state.points;
    this.element.hidden = !twoD;
    if (!twoD) return;
    const palette = readPalette();
    this.placeholder.hidden = !!(state.snapshot || state.points);
    drawBoundary(this.canvas, { snapshot: state.snapshot, points: state.points }, palette);
    this.renderNeurons(state, palette);
  }

  private renderNeurons(state: ViewState, palette: ReturnType<typeof readPalette>): void {
    const hidden = state.snapshot?.hidden ?? [];
    const run = currentRun(state);
    const key = hidden.map((layer) => layer.length).join(',');
    if (key !== this.neuronKey) {
      this.neuronKey = key;
      this.neurons.replaceChildren(
        ...(hidden.length ? [h('h3', {}, 'What each hidden unit computes')] : []),
        ...hidden.map((units, l) =>
          h(
            'div',
            { class: 'neuron-layer' },
            h('div', { class: 'neuron-label' }, `Layer ${l + 1}${run?.activations[l] ? ` · ${run.activations[l]}` : ''}`),
            h('div', { class: 'neuron-grid' }, ...units.slice(0, 16).map((_, u) => h('canvas', { class: 'neuron', 'data-layer': l + 1, 'data-unit': u, title: `a[${l + 1}]_${u + 1}`, role: 'img', 'aria-label': `Layer ${l + 1}, unit ${u + 1}` }))),
            units.length > 16 ? h('div', { class: 'muted' }, `first 16 of ${units.length} units`) : null,
          ),
        ),
      );
    }
    this.neurons.querySelectorAll<HTMLCanvasElement>('canvas.neuron').forEach((canvas) => {
      const l = Number(canvas.dataset.layer) - 1;
      const u = Number(canvas.dataset.unit);
      const grid = hidden[l]?.[u];
      if (grid) drawUnit(canvas, grid, run?.activations[l] ?? 'tanh', palette);
    });
  }
}

// --- start -------------------------------------------------------------------------------------

const root = document.getElementById('root');
if (root) new Designer(root);
