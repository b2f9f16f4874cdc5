// The lab's sweep tab: Run Sweep... (the host asks for the key and values as the command does),
// Cancel, the runs' cost curves overlaid and the results table; a row's button writes its
// settings into the spec (one edit, one undo step).

import { lowestFinalCost } from '../src/shared/model/results';
import { sweepRunStatus, type SweepRecord, type SweepRunView } from '../src/shared/model/labState';
import type { ToHost } from '../src/shared/wire/designer';
import { fill, formatCost, formatInt, h, icon, percentText } from './dom';
import type { Button, Checkbox } from './fields';
import { runColor, settingsLabel, SweepChart } from './sweepChart';
import type { ViewState } from './state';

/** The index of the run with the lowest final cost (the first of equals), if any trained. */
export function bestIndex(runs: readonly SweepRunView[]): number | undefined {
  return lowestFinalCost(runs.filter((r) => sweepRunStatus(r) === 'done' && r.result).map((r) => r.result!))?.index;
}

/** "7 runs, 2 at a time: 3 ended, 2 running", "7 runs done in 4.2 s", "Stopped: 3 of 7 runs ended". */
export function sweepStatus(s: SweepRecord): string {
  const count = (status: ReturnType<typeof sweepRunStatus>): number => s.runs.filter((r) => sweepRunStatus(r) === status).length;
  const ended = count('done') + count('failed');
  const failed = count('failed') ? `, ${count('failed')} failed` : '';
  if (s.stopped) return `Stopped: ${ended} of ${s.runs.length} runs ended${failed}`;
  if (s.finished) return `${s.runs.length} run${s.runs.length === 1 ? '' : 's'} done${failed}${s.seconds !== undefined ? ` in ${s.seconds.toFixed(1)} s, ${s.workers} at a time` : ''}`;
  return `${s.runs.length} runs, ${s.workers} at a time: ${ended} ended${failed}, ${count('running')} running`;
}

export class SweepPanel {
  readonly element = h('div', { class: 'lab-sweep' });
  private readonly run = h('vscode-button', { 'data-testid': 'sweep-run', icon: 'beaker', title: 'Train the spec with several values of a setting' }, 'Run Sweep…') as Button;
  private readonly cancel = h('vscode-button', { 'data-testid': 'sweep-cancel', icon: 'debug-stop', secondary: true, title: 'Stop the sweep' }, 'Cancel') as Button;
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'sweep-status', 'aria-live': 'polite' });
  private readonly canvas = h('canvas', { 'data-testid': 'sweep-chart', role: 'img', 'aria-label': 'Cost per iteration of each run of the sweep' });
  private readonly chartWrap = h('div', { class: 'chart-wrap sweep-chart' }, this.canvas);
  private readonly logScale = h('vscode-checkbox', { 'data-testid': 'sweep-log-scale', label: 'Log scale' }) as Checkbox;
  private readonly table = h('div', { class: 'table-wrap' });
  private readonly chart = new SweepChart(this.canvas);
  private log = false;
  private shown: SweepRecord | undefined;

  constructor(private readonly post: (message: ToHost) => void) {
    this.element.append(
      h('p', { class: 'muted lab-intro' }, 'Train the spec once per value of a setting (hidden units, activation, learning rate, iterations, init, seed), or per pair of values of two, two runs at a time, and compare.'),
      h('div', { class: 'toolbar' }, this.run, this.cancel),
      this.status,
      this.chartWrap,
      h('div', { class: 'chart-tools' }, this.logScale),
      this.table,
    );
    this.run.addEventListener('click', () => !this.run.disabled && post({ type: 'runSweep' }));
    this.cancel.addEventListener('click', () => !this.cancel.disabled && post({ type: 'cancelSweep' }));
    this.logScale.addEventListener('change', () => {
      this.log = this.logScale.checked;
      if (this.shown) this.chart.update(this.shown.runs, this.log);
    });
  }

  render(state: ViewState, force = false): void {
    const sweep = state.lab.sweep;
    const doc = state.document;
    const trainable = !!doc?.facts.trainable;
    this.run.disabled = !trainable;
    this.run.title = doc && !trainable ? 'Fix the errors in the spec first' : 'Train the spec with several values of a setting';
    this.cancel.hidden = !sweep || sweep.finished;
    this.chartWrap.hidden = !sweep;
    this.logScale.hidden = !sweep;
    if (!sweep) {
      this.status.textContent = 'No sweep yet.';
      this.table.replaceChildren();
      this.shown = undefined;
      return;
    }
    if (sweep === this.shown && !force) return;
    this.shown = sweep;
    this.status.textContent = sweepStatus(sweep);
    this.chart.update(sweep.runs, this.log);
    this.canvas.setAttribute('aria-label', `Cost per iteration of each run: ${sweep.runs.map((r) => `${settingsLabel(r.settings)}: ${runText(r)}`).join('; ')}`);
    this.renderTable(sweep, doc?.uri);
  }

  private renderTable(sweep: SweepRecord, uri: string | undefined): void {
    const keys = sweep.axes.map((a) => a.key);
    const best = bestIndex(sweep.runs);
    const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
    const rows = sweep.runs.map((r, i) => {
      const r2 = r.result;
      const use = h('button', { type: 'button', class: 'icon-button', 'data-testid': `sweep-use-${r.index}`, title: `Write ${settingsLabel(r.settings)} into the spec`, 'aria-label': `Write ${settingsLabel(r.settings)} into the spec` }, icon('check'));
      use.addEventListener('click', () => this.post({ type: 'applySweepSettings', settings: r.settings, uri, version: sweep.version }));
      const swatch = h('span', { class: 'run-swatch', 'aria-hidden': 'true' });
      swatch.style.background = runColor(i, sweep.runs.length, dark);
      const status = sweepRunStatus(r);
      const cells = status === 'failed'
        ? [h('td', { colspan: 4, class: 'sweep-error' }, icon('error'), ` ${r2?.error?.message ?? r.run.error?.message ?? 'failed'}`)]
        : status === 'done' && r2
          ? [
              h('td', { class: 'num' }, r2.finalCost === null ? '–' : r2.finalCost.toPrecision(6)),
              h('td', { class: 'num' }, percentText(r2.trainAccuracy)),
              h('td', { class: 'num' }, percentText(r2.testAccuracy)),
              h('td', { class: 'num' }, r2.seconds.toFixed(2)),
            ]
          : [h('td', { colspan: 4, class: 'muted' }, runText(r))];
      return h(
        'tr',
        { class: r.index === best ? 'best' : '', 'data-testid': `sweep-row-${r.index}` },
        h('td', {}, swatch),
        ...keys.map((k) => h('td', {}, String(r.settings[k]))),
        ...cells,
        h('td', {}, use),
      );
    });
    fill(
      this.table,
      h(
        'table',
        { class: 'lab-table sweep-table', 'data-testid': 'sweep-table' },
        h('caption', { class: 'muted' }, best !== undefined ? 'The lowest final cost is marked. ✓ writes a run’s settings into the spec (one undo step).' : '✓ writes a run’s settings into the spec (one undo step).'),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { 'aria-label': 'colour' }), ...keys.map((k) => h('th', { scope: 'col' }, k)), h('th', { scope: 'col' }, 'final cost'), h('th', { scope: 'col' }, 'train'), h('th', { scope: 'col' }, 'test'), h('th', { scope: 'col' }, 's'), h('th', { 'aria-label': 'use' })),
        ),
        h('tbody', {}, ...rows),
      ),
    );
  }
}

function runText(r: SweepRunView): string {
  switch (sweepRunStatus(r)) {
    case 'queued':
      return 'waiting';
    case 'running':
      return `iteration ${formatInt(r.run.iteration)} of ${formatInt(r.run.total)}`;
    case 'failed':
      return `failed: ${r.result?.error?.message ?? r.run.error?.message ?? ''}`;
    case 'done':
      return `final cost ${formatCost(r.result?.finalCost ?? undefined)}`;
  }
}
