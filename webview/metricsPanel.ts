// The lab's metrics tab: after a run, the confusion matrix and precision / recall / F1 on the
// training and test sets (prediction 1 when A[L] > 0.5; label 1 is the positive class), with the
// digits `nnspec train` prints.

import type { ClassificationMetrics } from '../src/shared/model/results';
import { currentRun, type RunRecord } from '../src/shared/model/runs';
import { fill, h } from './dom';
import type { ViewState } from './state';

/** A metric as `nnspec train` prints it: 4 decimals, `–` where it is undefined. */
export function metricText(v: number | null): string {
  return v === null ? '–' : v.toFixed(4);
}

function setTable(name: string, id: string, m: ClassificationMetrics): HTMLElement {
  const cell = (v: number, what: string, testid: string): HTMLElement => h('td', { class: 'num', 'aria-label': `${what}: ${v}`, 'data-testid': `${id}-${testid}` }, String(v));
  return h(
    'div',
    { class: 'metrics-set', 'data-testid': `metrics-${id}` },
    h('h3', {}, name),
    h(
      'table',
      { class: 'lab-table confusion' },
      h('caption', { class: 'muted' }, 'Confusion matrix'),
      h('thead', {}, h('tr', {}, h('td', {}), h('th', { scope: 'col' }, 'predicted 1'), h('th', { scope: 'col' }, 'predicted 0'))),
      h(
        'tbody',
        {},
        h('tr', {}, h('th', { scope: 'row' }, 'label 1'), cell(m.tp, 'true positives', 'tp'), cell(m.fn, 'false negatives', 'fn')),
        h('tr', {}, h('th', { scope: 'row' }, 'label 0'), cell(m.fp, 'false positives', 'fp'), cell(m.tn, 'true negatives', 'tn')),
      ),
    ),
    h(
      'dl',
      { class: 'metric-list' },
      h('dt', { title: 'TP / (TP + FP)' }, 'Precision'),
      h('dd', { class: 'num', 'data-testid': `${id}-precision` }, metricText(m.precision)),
      h('dt', { title: 'TP / (TP + FN)' }, 'Recall'),
      h('dd', { class: 'num', 'data-testid': `${id}-recall` }, metricText(m.recall)),
      h('dt', { title: '2TP / (2TP + FP + FN)' }, 'F1'),
      h('dd', { class: 'num', 'data-testid': `${id}-f1` }, metricText(m.f1)),
    ),
  );
}

export class MetricsPanel {
  readonly element = h('div', { class: 'lab-metrics' });
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'metrics-status' });
  private readonly body = h('div', { class: 'metrics-body' });
  private shown: RunRecord | undefined | null = null;

  constructor() {
    this.element.append(this.status, this.body);
  }

  render(state: ViewState, force = false): void {
    const run = currentRun(state.runs);
    if (run === this.shown && !force) return;
    this.shown = run;
    if (!run || !run.finished || run.cancelled || run.error) {
      this.status.textContent = run && !run.finished ? 'After the run: the confusion matrix, precision, recall and F1.' : 'Train to see the confusion matrix, precision, recall and F1 of the training and test sets.';
      this.body.replaceChildren();
      return;
    }
    if (run.trainMetrics === undefined) {
      this.status.textContent = 'This run has no metrics (a model saved before they were kept): train again.';
      this.body.replaceChildren();
      return;
    }
    if (run.trainMetrics === null) {
      this.status.textContent = 'The labels are not all 0 and 1 (a regression): there is no confusion matrix.';
      this.body.replaceChildren();
      return;
    }
    this.status.textContent = `${run.label}: prediction 1 when A[L] > 0.5; label 1 is the positive class.`;
    fill(
      this.body,
      setTable('Training set', 'train', run.trainMetrics),
      run.testMetrics ? setTable('Test set', 'test', run.testMetrics) : h('p', { class: 'muted' }, 'No test set.'),
    );
  }
}
