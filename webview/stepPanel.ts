// The lab's step inspector tab: one forward and backward propagation, layer by layer, forward
// (Z[l], A[l]) then backward (dA[l], dZ[l], dW[l], db[l]), each with its shape, its formula in
// the course's notation, min / mean / max / norm (as `nnspec step` prints them) and a heatmap
// (every value of a small matrix, block means of a large one), for iteration 0 or the current
// run's iteration. The heatmaps can be reached with Tab and read out as a summary.

import type { StepDetail, StepLayerDetail, StepQuantity, StepQuantityDetail } from '../src/shared/model/results';
import { statText } from '../src/shared/model/numbers';
import type { ToHost } from '../src/shared/wire/designer';
import { readPalette } from './boundary';
import { fill, h } from './dom';
import type { Button } from './fields';
import { drawHeatmap, heatmapSummary } from './heatmap';
import { passTargetsOf, type ViewState } from './state';

export class StepPanel {
  readonly element = h('div', { class: 'lab-step' });
  private readonly initial = h('vscode-button', { 'data-testid': 'step-initial', secondary: true, title: 'Forward and backward propagation at the initial parameters' }, 'Iteration 0') as Button;
  private readonly current = h('vscode-button', { 'data-testid': 'step-current', secondary: true, title: 'At the current run’s parameters (a paused run is not disturbed)' }, 'Current run') as Button;
  private readonly wide = h('vscode-button', { 'data-testid': 'step-to-side', secondary: true, icon: 'open-preview', title: 'Open the designer beside the spec, where the inspector has room' }, 'To the Side') as Button;
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'step-status', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'step-body', 'data-testid': 'step-body' });
  private shown: unknown;

  constructor(post: (message: ToHost) => void) {
    this.element.append(
      h('p', { class: 'muted lab-intro' }, 'Forward then backward propagation with every cache, before the next update (nothing is updated).'),
      h('div', { class: 'toolbar' }, this.initial, this.current, this.wide),
      this.status,
      this.body,
    );
    this.initial.addEventListener('click', () => !this.initial.disabled && post({ type: 'inspectStep', at: 'initial' }));
    this.current.addEventListener('click', () => !this.current.disabled && post({ type: 'inspectStep', at: 'run' }));
    this.wide.addEventListener('click', () => post({ type: 'openToSide' }));
  }

  render(state: ViewState, force = false): void {
    const can = passTargetsOf(state);
    this.initial.disabled = !can.initial;
    this.current.disabled = !can.run;
    const slot = state.lab.step;
    if (slot === this.shown && !force) return;
    this.shown = slot;
    if (!slot) {
      this.status.textContent = 'Inspect iteration 0, or pause a run (or let it finish) and inspect its iteration.';
      this.body.replaceChildren();
      return;
    }
    if (slot.status === 'pending') {
      this.status.textContent = `Computing the pass${slot.source ? ` at ${slot.source}` : ''}…`;
      return;
    }
    if (slot.status === 'failed' || !slot.value) {
      this.status.textContent = slot.error ?? 'No pass.';
      this.status.classList.add('lab-error');
      this.body.replaceChildren();
      return;
    }
    this.status.classList.remove('lab-error');
    const d = slot.value;
    this.status.textContent = `Iteration ${d.iteration.toLocaleString('en-US')}: ${slot.source ?? ''}, m = ${d.m.toLocaleString('en-US')}`;
    this.renderDetail(d);
  }

  private renderDetail(d: StepDetail): void {
    const palette = readPalette();
    const L = d.layers.length;
    const card = (layer: StepLayerDetail, q: StepQuantity): HTMLElement => {
      const detail = layer.quantities[q];
      const name = `${q}[${layer.layer}]`;
      const canvas = h('canvas', { class: 'heatmap', role: 'img', tabindex: 0, 'data-testid': `heatmap-${q}-${layer.layer}`, 'aria-label': heatmapSummary(name, detail), title: heatmapSummary(name, detail) });
      const { rows, cols } = detail.heatmap;
      // as wide as the card (a narrow matrix narrower: at most 32 px a column), as tall as its
      // shape says, but at least 5 px a row (an (n, m) cache is wide and flat) and at most 180 px
      canvas.style.aspectRatio = `${cols} / ${rows}`;
      canvas.style.width = `min(100%, ${cols * 32}px)`;
      canvas.style.minHeight = `${Math.min(rows * 5, 120)}px`;
      drawHeatmap(canvas, detail.heatmap, palette);
      const el = h(
        'div',
        { class: 'q-card', 'data-testid': `step-${q}-${layer.layer}` },
        h('div', { class: 'q-head' }, h('span', { class: 'q-name' }, name), h('span', { class: 'q-shape tuple' }, `(${detail.shape[0]}, ${detail.shape[1]})`)),
        h('div', { class: 'q-formula' }, detail.formula),
        statsLine(detail),
        canvas,
        detail.heatmap.downsampled ? h('div', { class: 'muted q-note' }, `${detail.heatmap.rows} × ${detail.heatmap.cols} means of blocks of ${detail.heatmap.block[0]} × ${detail.heatmap.block[1]}`) : null,
      );
      return el;
    };
    // one row a layer: forward Z, A; backward dA, dZ, dW, db (wrapping where there is no room)
    const row = (layer: StepLayerDetail, qs: StepQuantity[]): HTMLElement => h('div', { class: 'q-grid', role: 'group', 'aria-label': `Layer ${layer.layer}` }, ...qs.map((q) => card(layer, q)));
    const forward = d.layers.map((layer) => row(layer, ['Z', 'A']));
    const backward = [...d.layers].reverse().map((layer) => row(layer, ['dA', 'dZ', 'dW', 'db']));
    fill(
      this.body,
      h('p', { class: 'step-cost' }, h('span', { class: 'q-formula' }, d.costFormula), ' = ', h('strong', { 'data-testid': 'step-cost' }, statText(d.cost))),
      h('h3', {}, `Forward propagation, layer 1 to ${L}`),
      ...forward,
      h('h3', {}, `Backward propagation, layer ${L} to 1`),
      ...backward,
      h('p', { class: 'muted legend-note' }, 'Heatmaps: blue above 0, orange below, each scaled to its largest |value|; * is the element-wise product.'),
    );
  }
}

function statsLine(q: StepQuantityDetail): HTMLElement {
  const item = (label: string, v: number): HTMLElement => h('span', { class: 'q-stat' }, h('span', { class: 'muted' }, label), ' ', h('span', { class: 'num' }, statText(v)));
  return h('div', { class: 'q-stats' }, item('min', q.min), item('mean', q.mean), item('max', q.max), item('norm', q.norm));
}
