// The settings panel: learning rate, iterations, initialisation, seed, loss (each field one
// designer edit), and the data sets with what was read of them.

import type { NetworkEdit } from '../src/shared/model/edits';
import { positiveNumber, wholeNumber } from '../src/shared/model/numbers';
import type { DocumentState } from '../src/shared/wire/designer';
import { INIT_SCHEMES, LOSSES, MAX_ITERATIONS, type InitScheme } from '../src/shared/model/spec';
import { fill, formatInt, h } from './dom';
import { commitOn, preservingFocus, selectEl, textField } from './fields';

export class SettingsPanel {
  private readonly grid = h('div', { class: 'settings-grid' });
  readonly element = h('section', { class: 'settings', 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title' }, 'Training settings'), this.grid);

  constructor(private readonly edit: (edit: NetworkEdit) => void) {}

  /** Rebuilds the fields for the document (the focused one keeps its focus and what is typed in it). */
  update(doc: DocumentState): void {
    preservingFocus(this.element, () => this.render(doc));
  }

  private render(doc: DocumentState): void {
    const s = doc.settings;
    const field = (key: string, label: string, value: string, written: boolean, parse: (t: string) => NetworkEdit | undefined, rule: string, attrs: Record<string, string> = {}): HTMLElement => {
      const input = textField({ id: `setting-${key}`, 'data-key': key, 'data-testid': `setting-${key}`, label, ...attrs }, value);
      commitOn(input, parse, rule, this.edit);
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
          h(
            'div',
            { class: 'data-line' },
            h('span', { class: 'data-split' }, d.split),
            // a long path is cut with an ellipsis (the whole of it on hover), never widening the view
            h('span', { class: 'data-label', title: d.path ?? d.label, 'data-testid': `data-${d.split}` }, d.label),
            d.features !== undefined && d.m !== undefined ? h('span', { class: 'muted data-size' }, `${formatInt(d.features)} × ${formatInt(d.m)}`) : null,
          ),
          d.error ? h('div', { class: 'data-error' }, d.error) : null,
        ),
      );
    fill(this.grid,
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
}
