// The lab's computation graph tab, for logistic regression (one `dense 1 sigmoid` unit with
// binary cross-entropy, the course's week 2): one training example through x, w, b → z → a → L
// with the forward values, and back with the derivatives da, dz = a − y, dw = x dz, db = dz, at
// the initial parameters or the current run's. A number field and a stepper choose the example.

import type { LogisticGraph } from '../src/shared/model/results';
import { statText } from '../src/shared/model/numbers';
import type { ToHost } from '../src/shared/wire/designer';
import { currentRun } from '../src/shared/model/runs';
import { fill, h, iconButton, s } from './dom';
import type { Button, TextField } from './fields';
import type { Action, ViewState } from './state';

/** A vector as the graph shows it: its first values, and how many there are. */
export function vectorText(v: readonly number[], max = 3): string {
  const head = v.slice(0, max).map(statText).join(', ');
  return v.length > max ? `[${head}, … ${v.length} values]` : `[${head}]`;
}

export class GraphPanel {
  readonly element = h('div', { class: 'lab-graph' });
  private readonly example = h('vscode-textfield', { 'data-testid': 'graph-example', type: 'number', min: '0', label: 'Example', 'aria-label': 'Training example (0-based)' }) as TextField;
  private readonly prev = iconButton('arrow-left', 'Previous example', { 'data-testid': 'graph-prev' });
  private readonly next = iconButton('arrow-right', 'Next example', { 'data-testid': 'graph-next' });
  private readonly initial = h('vscode-button', { 'data-testid': 'graph-initial', secondary: true, title: 'At the initial parameters' }, 'Initial') as Button;
  private readonly current = h('vscode-button', { 'data-testid': 'graph-current', secondary: true, title: 'At the current run’s parameters' }, 'Current run') as Button;
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'graph-status', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'graph-body', 'data-testid': 'graph-body' });
  private at: 'initial' | 'run' = 'initial';
  private shown: unknown;
  private m: number | undefined;

  constructor(
    private readonly post: (message: ToHost) => void,
    private readonly local: (action: Action) => void,
    private readonly state: () => ViewState,
  ) {
    this.element.append(
      h('p', { class: 'muted lab-intro' }, 'Logistic regression as a computation graph: one example forward, and its derivatives backward.'),
      h('div', { class: 'toolbar graph-tools' }, h('label', { class: 'graph-example-label', for: 'graph-example' }, 'Example'), this.prev, this.example, this.next, this.initial, this.current),
      this.status,
      this.body,
    );
    this.example.id = 'graph-example';
    const go = (example: number): void => {
      const max = this.m !== undefined ? this.m - 1 : Infinity;
      const e = Math.max(0, Math.min(max, Math.floor(example)));
      this.local({ type: 'local.graphExample', example: e });
      this.example.value = String(e);
      this.post({ type: 'showLogisticGraph', example: e, at: this.at });
    };
    this.example.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const v = Number(this.example.value);
        if (Number.isFinite(v)) go(v);
      }
    });
    this.example.addEventListener('change', () => {
      const v = Number(this.example.value);
      if (Number.isFinite(v) && v !== this.state().graphExample) go(v);
    });
    this.prev.addEventListener('click', () => go(this.state().graphExample - 1));
    this.next.addEventListener('click', () => go(this.state().graphExample + 1));
    this.initial.addEventListener('click', () => {
      this.at = 'initial';
      go(this.state().graphExample);
    });
    this.current.addEventListener('click', () => {
      if (this.current.disabled) return;
      this.at = 'run';
      go(this.state().graphExample);
    });
  }

  render(state: ViewState, force = false): void {
    const run = currentRun(state.runs);
    this.m = state.document?.facts.m ?? run?.start?.m;
    this.current.disabled = !run || (!!run.finished && (run.cancelled || !!run.error));
    if (document.activeElement !== this.example) this.example.value = String(state.graphExample);
    this.prev.disabled = state.graphExample <= 0;
    this.next.disabled = this.m !== undefined && state.graphExample >= this.m - 1;
    const slot = state.lab.graph;
    if (slot === this.shown && !force) return;
    this.shown = slot;
    this.status.classList.toggle('lab-error', slot?.status === 'failed');
    if (!slot) {
      this.status.textContent = 'Choose an example, then Initial or Current run.';
      this.body.replaceChildren();
    } else if (slot.status === 'pending') {
      this.status.textContent = 'Computing…';
    } else if (slot.status === 'failed' || !slot.value) {
      this.status.textContent = slot.error ?? 'No graph.';
      this.body.replaceChildren();
    } else {
      const g = slot.value;
      this.status.textContent = `Example ${g.example}, y = ${g.y}, at ${slot.source ?? `iteration ${g.iteration}`}`;
      fill(this.body, graphSvg(g), graphTable(g));
    }
  }
}

/** A number in the diagram's boxes: 4 significant digits (the table below has 6). */
function short(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** A vector in a box: its first value and how many follow. */
function shortVector(v: readonly number[]): string {
  return v.length === 1 ? short(v[0]) : `[${short(v[0])}, …]`;
}

/** The graph as a diagram: nodes left to right with the forward values, the derivatives under them. */
function graphSvg(g: LogisticGraph): SVGElement {
  const W = 600;
  const H = 226;
  // (the derivatives of the inputs' column start at its left edge: they are the longest)
  const node = (x: number, y: number, name: string, value: string, grad: string | null, id: string): SVGElement =>
    s(
      'g',
      { class: 'g-node', 'data-testid': `graph-node-${id}` },
      s('rect', { x: x - 62, y: y - 22, width: 124, height: 44, rx: 6 }),
      s('text', { x, y: y - 5, class: 'g-name', 'text-anchor': 'middle' }, name),
      s('text', { x, y: y + 12, class: 'g-value', 'text-anchor': 'middle' }, value),
      grad ? s('text', x < 100 ? { x: x - 62, y: y + 38, class: 'g-grad', 'text-anchor': 'start' } : { x, y: y + 38, class: 'g-grad', 'text-anchor': 'middle' }, grad) : null,
    );
  const edge = (x1: number, y1: number, x2: number, y2: number): SVGElement => s('line', { x1, y1, x2, y2, class: 'g-edge', 'marker-end': 'url(#g-arrow)' });
  const n = g.x.length;
  return s(
    'svg',
    { class: 'graph-svg', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Computation graph of example ${g.example}: z = ${statText(g.z)}, a = ${statText(g.a)}, L = ${statText(g.loss)}; backward, da = ${statText(g.da)}, dz = ${statText(g.dz)}, db = ${statText(g.db)}` },
    s('defs', {}, s('marker', { id: 'g-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'g-arrowhead' }))),
    edge(128, 32, 174, 92),
    edge(128, 102, 174, 102),
    edge(128, 172, 174, 112),
    edge(298, 102, 322, 102),
    edge(446, 102, 470, 102),
    node(66, 32, n === 1 ? 'x' : `x (${n} values)`, shortVector(g.x), null, 'x'),
    node(66, 102, n === 1 ? 'w' : `w (${n} values)`, shortVector(g.w), `dw = x dz: ${shortVector(g.dw)}`, 'w'),
    node(66, 172, 'b', short(g.b), `db = dz = ${short(g.db)}`, 'b'),
    node(236, 102, 'z = wᵀx + b', short(g.z), `dz = a − y = ${short(g.dz)}`, 'z'),
    node(384, 102, 'a = σ(z)', short(g.a), `da = ${short(g.da)}`, 'a'),
    node(532, 102, `L(a, y), y = ${g.y}`, short(g.loss), null, 'loss'),
  );
}

/** The formulas with their values, forward then backward (the same as `nnspec step --graph`). */
function graphTable(g: LogisticGraph): HTMLElement {
  const row = (formula: string, value: string, id: string): HTMLElement => h('tr', { 'data-testid': `graph-${id}` }, h('td', { class: 'q-formula' }, formula), h('td', { class: 'num' }, value));
  return h(
    'table',
    { class: 'lab-table graph-table' },
    h('tbody', {}, h('tr', {}, h('th', { colspan: 2, scope: 'rowgroup' }, 'Forward')), row('x', vectorText(g.x), 'x'), row('y', String(g.y), 'y'), row('w', vectorText(g.w), 'w'), row('b', statText(g.b), 'b'), row(g.formulas.z, statText(g.z), 'z'), row(g.formulas.a, statText(g.a), 'a'), row(g.formulas.loss, statText(g.loss), 'loss')),
    h('tbody', {}, h('tr', {}, h('th', { colspan: 2, scope: 'rowgroup' }, 'Backward')), row(g.formulas.da, statText(g.da), 'da'), row(g.formulas.dz, statText(g.dz), 'dz'), row(g.formulas.dw, vectorText(g.dw), 'dw'), row(g.formulas.db, statText(g.db), 'db')),
  );
}
