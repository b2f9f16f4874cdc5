// The decision boundary of 2-feature data: the current run's output over the input plane with
// the training and test points, and what each hidden unit computes.

import { currentRun } from '../src/shared/model/runs';
import { drawBoundary, drawUnit, readPalette } from './boundary';
import { h, perFrame } from './dom';
import type { ViewState } from './state';

export class BoundaryPanel {
  readonly element = h('section', { class: 'boundary-section', 'aria-labelledby': 'boundary-title' });
  private readonly canvas = h('canvas', { 'data-testid': 'boundary', role: 'img', 'aria-label': 'Decision boundary: the output over the input plane, with the training and test points' });
  private readonly placeholder = h('p', { class: 'boundary-empty muted' }, 'Train to see the decision boundary.');
  private readonly neurons = h('div', { class: 'neurons' });
  private neuronKey = '';
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

  readonly schedule = perFrame((state: ViewState) => this.render(state));

  render(state: ViewState): void {
    this.last = state;
    const doc = state.document;
    const run = currentRun(state.runs);
    const points = run?.start?.points;
    const snapshot = run?.snapshot;
    const twoD = (doc?.input.size === 2 && doc.layers.length > 0) || !!points;
    this.element.hidden = !twoD;
    if (!twoD) return;
    const palette = readPalette();
    this.placeholder.hidden = !!(snapshot || points);
    drawBoundary(this.canvas, { snapshot, points }, palette);
    this.renderNeurons(state, palette);
  }

  private renderNeurons(state: ViewState, palette: ReturnType<typeof readPalette>): void {
    const run = currentRun(state.runs);
    const hidden = run?.snapshot?.hidden ?? [];
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
