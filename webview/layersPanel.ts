// The layer list: the diagram (columns narrowing to the width), the summary, one row per layer
// (units, activation, move, remove, drag and drop, the keyboard) with its shapes and problems,
// and the problems list. Every change is one designer edit.

import type { NetworkEdit } from '../src/shared/model/edits';
import { parseDims, wholeNumber } from '../src/shared/model/numbers';
import type { DocumentState, LayerView, ToHost } from '../src/shared/wire/designer';
import { ACTIVATIONS, MAX_UNITS } from '../src/shared/model/spec';
import { renderDiagram, shapeText } from './diagram';
import { add, formatInt, h, icon, iconButton } from './dom';
import { commitOn, preservingFocus, selectEl, severityIcon, textField, type Button } from './fields';
import { moveSelection, type ViewState } from './state';

/** A shape such as `W (20, 12288)`: wraps before or after, never inside. */
function tuple(text: string): HTMLElement {
  return h('span', { class: 'tuple' }, text);
}

/** Default for a new hidden layer. */
const NEW_LAYER = { units: 4, activation: 'relu' as const };

export interface LayersContext {
  state(): ViewState;
  /** selects a layer (null: none); `reveal` also moves the editor there */
  select(layer: number | null, reveal: boolean): void;
  /** one designer edit; `selectAfter`: the layer to select once it is applied */
  edit(edit: NetworkEdit, selectAfter?: number): void;
  post(message: ToHost): void;
}

export class LayersPanel {
  private readonly diagramWrap = h('div', { class: 'diagram-wrap', tabindex: '0', 'aria-label': 'Network diagram: arrow keys select a layer' });
  private readonly summary = h('p', { class: 'summary' });
  private readonly layerList = h('ol', { class: 'layer-list', 'aria-label': 'Layers' });
  private readonly addButton = h('vscode-button', { 'data-testid': 'add-layer', icon: 'add', secondary: true, title: 'Add a hidden layer after the selected one (Insert or +)' }, 'Add layer') as Button;
  private readonly problems = h('section', { class: 'problems', 'aria-label': 'Problems' });
  private dragFrom: number | undefined;
  /** the width the diagram was laid out for */
  private diagramWidth: number | undefined;
  /** the diagram, the layer list and the problems, in page order */
  readonly sections: HTMLElement[];

  constructor(private readonly ctx: LayersContext) {
    this.diagramWrap.addEventListener('keydown', (e) => this.onListKey(e));
    this.layerList.addEventListener('keydown', (e) => this.onListKey(e));
    this.addButton.addEventListener('click', () => this.addLayer());
    this.sections = [
      h('section', { class: 'diagram-section', 'aria-label': 'Diagram' }, this.diagramWrap, this.summary),
      h(
        'section',
        { class: 'layers', 'aria-labelledby': 'layers-title' },
        h('h2', { id: 'layers-title' }, 'Layers'),
        this.layerList,
        h('div', { class: 'layer-actions' }, this.addButton, h('span', { class: 'hint' }, '↑↓ select · Alt+↑↓ move · Del remove · + add')),
      ),
      this.problems,
    ];
    new ResizeObserver(() => this.onDiagramResize()).observe(this.diagramWrap);
  }

  private edit(edit: NetworkEdit, selectAfter?: number): void {
    this.ctx.edit(edit, selectAfter);
  }

  render(doc: DocumentState): void {
    const { totalParams, m } = doc.facts;
    const params = totalParams !== undefined ? `${formatInt(totalParams)} parameters` : 'parameters: ?';
    const L = doc.layers.length;
    this.summary.textContent = `L = ${L} layer${L === 1 ? '' : 's'} · ${params} · m = ${m !== undefined ? formatInt(m) : '?'}`;
    preservingFocus(this.layerList, () => this.renderLayers(doc));
    this.renderDiagram(doc);
    this.renderProblems(doc);
  }

  renderDiagram(doc: DocumentState): void {
    // the room inside the frame: the columns narrow to fit it (undefined while hidden)
    const width = this.diagramWrap.clientWidth || undefined;
    this.diagramWidth = width;
    const svg = renderDiagram(doc, { selected: this.ctx.state().selected, onSelect: (layer) => this.ctx.select(layer, true), width });
    this.diagramWrap.replaceChildren(svg);
  }

  /** Re-lays the diagram out when the sidebar is resized. */
  private onDiagramResize(): void {
    const doc = this.ctx.state().document;
    if (!doc || this.diagramWrap.clientWidth === this.diagramWidth) return;
    this.renderDiagram(doc);
    this.scrollDiagramTo(this.ctx.state().selected);
  }

  /** Updates the selection marks without rebuilding the fields. */
  applySelection(focusRow: boolean): void {
    const doc = this.ctx.state().document;
    if (!doc) return;
    const selected = this.ctx.state().selected;
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
    const columns = (this.ctx.state().document?.layers.length ?? 0) + 1;
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
      this.ctx.select(layer, true);
    });
    row.addEventListener('focusin', () => {
      if (this.ctx.state().selected !== layer) this.ctx.select(layer, true);
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
    commitOn(field, (text) => {
      const t = text.trim();
      const dims = parseDims(t);
      if (dims) {
        const size = dims.reduce((a, b) => a * b, 1);
        if (dims.length <= 4 && dims.every((d) => d > 0) && size <= MAX_UNITS) return { op: 'setInput', size, dims };
        return undefined;
      }
      const size = wholeNumber(t, 1, MAX_UNITS);
      return size === undefined ? undefined : { op: 'setInput', size };
    }, `A whole number from 1 to ${formatInt(MAX_UNITS)}, or HxWxC such as 64x64x3`, (e) => this.edit(e));
    const m = doc.facts.m ?? 'm';
    add(row,
      h('span', { class: 'grip-space' }),
      h('span', { class: 'layer-name' }, 'X'),
      field,
      h('span', { class: 'layer-kind' }, doc.input.dims ? `n_x = ${formatInt(doc.input.size ?? 0)}` : 'input'),
      h('div', { class: 'shapes' }, tuple(`X ${shapeText([doc.input.size ?? '?', m])}`)),
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
    commitOn(units, (text) => {
      const n = wholeNumber(text, 1, MAX_UNITS);
      return n === undefined ? undefined : { op: 'setUnits', layer: l, units: n };
    }, `Units: a whole number from 1 to ${formatInt(MAX_UNITS)}`, (e) => this.edit(e));

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

    const params = layer.params !== undefined ? `${formatInt(layer.params)} params` : '';
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
        // each shape with the separator after it: a line breaks between them, never inside
        tuple(`W ${shapeText(layer.W)} ·`),
        ' ',
        tuple(`b ${shapeText(layer.b)} ·`),
        ' ',
        tuple(`A ${shapeText(layer.A)}${params ? ' ·' : ''}`),
        params ? ' ' : null,
        params ? tuple(params) : null,
      ),
      this.rowProblems(doc, l),
    );
    return row;
  }

  private addPosition(): number {
    const doc = this.ctx.state().document;
    if (!doc) return 1;
    const L = doc.layers.length;
    const selected = this.ctx.state().selected;
    if (L === 0) return 1;
    // after the selected layer, but a new hidden layer goes before the output layer
    if (selected === null || selected >= L) return L;
    return selected + 1;
  }

  addLayer(): void {
    const doc = this.ctx.state().document;
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
    const doc = this.ctx.state().document;
    if (!doc) return;
    const next = Math.min(l, doc.layers.length - 1);
    this.edit({ op: 'removeLayer', layer: l }, next >= 1 ? next : 0);
  }

  private onListKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.closest('input, vscode-textfield, vscode-single-select, button, vscode-button')) return;
    const doc = this.ctx.state().document;
    if (!doc) return;
    const L = doc.layers.length;
    const selected = this.ctx.state().selected;
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
        this.ctx.select(moveSelection(this.ctx.state(), delta), true);
        this.applySelection(focusRow);
        return;
      }
      case 'Home':
      case 'End':
        e.preventDefault();
        this.ctx.select(e.key === 'Home' ? 0 : L, true);
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
        if (d.layer !== undefined) this.ctx.select(d.layer, false);
        this.ctx.post({ type: 'revealLine', line: d.line, character: d.character });
      });
      return h('li', {}, b);
    });
    this.problems.replaceChildren(h('h2', {}, `Problems (${list.length})`), h('ul', { class: 'problem-list', 'data-testid': 'problems' }, ...items));
  }
}
