// The training panel: Play / Pause / Step / Reset, the counters of the current run (iteration,
// the last cost computed, status, accuracies) and the cost chart of the spec's runs.

import type { ToHost } from '../src/shared/wire/designer';
import { currentRun } from '../src/shared/model/runs';
import { CostChart } from './costChart';
import { formatCost, formatInt, formatPercent, h, iconButton, perFrame } from './dom';
import type { Button, Checkbox } from './fields';
import { trainingOf, type Action, type ViewState } from './state';

export class TrainingPanel {
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
  private state: ViewState | undefined;

  constructor(post: (message: ToHost) => void, local: (action: Action) => void) {
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
      local({ type: 'local.reset' });
    });
    this.logScale.addEventListener('change', () => local({ type: 'local.toggleLogScale' }));
    this.live.addEventListener('change', () => post({ type: 'toggleLive' }));
    this.clear.addEventListener('click', () => {
      post({ type: 'clearRuns' });
      local({ type: 'local.clearRuns' });
    });
  }

  /** Coalesces progress at 20+ Hz into one paint per frame. */
  readonly schedule = perFrame((state: ViewState) => this.render(state));

  render(state: ViewState, themeChanged = false): void {
    if (themeChanged && !this.state) return;
    const s = themeChanged && this.state ? this.state : state;
    this.state = s;
    const doc = s.document;
    const { running, paused, busyElsewhere } = trainingOf(s);
    const blocked = !doc?.facts.trainable;
    this.play.disabled = blocked || (running && !paused);
    this.play.title = blocked ? 'Fix the errors in the spec to train' : running && paused ? 'Resume' : 'Train';
    this.pause.disabled = !running || paused;
    // (Step during a run pauses it first; Play or Step while another spec trains asks before stopping it)
    this.step.disabled = blocked;
    const run = currentRun(s.runs);
    this.reset.disabled = !running && !run;
    this.live.checked = s.live;
    this.logScale.checked = s.logScale;
    this.iteration.textContent = run ? formatInt(run.iteration) : '–';
    // the last cost computed (after a stop too); none before the first: never NaN
    this.cost.textContent = formatCost(run?.last?.[1]);
    this.status.textContent = statusText(s, busyElsewhere);
    this.trainAcc.textContent = formatPercent(run?.trainAccuracy);
    // (a stopped run has no accuracies: they arrive as null, which is not "no test set")
    this.testAcc.textContent = run?.finished && !run.cancelled && run.testAccuracy === null ? 'no test set' : formatPercent(run?.testAccuracy);
    const runs = s.runs.records;
    this.chartEmpty.hidden = runs.length > 0;
    this.canvas.parentElement?.classList.toggle('is-empty', runs.length === 0);
    this.clear.disabled = !runs.some((r) => r.finished);
    this.chart.update(runs, s.runs.currentId, s.logScale);
    // the chart in words, for screen readers (a canvas has no text of its own)
    this.canvas.setAttribute(
      'aria-label',
      runs.length
        ? `Cost per iteration: ${runs.map((r) => `${r.label}, cost ${formatCost(r.last?.[1])} at iteration ${formatInt(r.iteration)}${r.finished ? '' : ' (running)'}`).join('; ')}`
        : 'Cost per iteration: no runs yet',
    );
  }
}

function statusText(s: ViewState, busyElsewhere?: boolean): string {
  const run = currentRun(s.runs);
  const training = trainingOf(s);
  if (training.running) return training.paused ? 'Paused' : training.mode === 'preview' ? 'Previewing…' : 'Training…';
  if (busyElsewhere) return 'Another spec is training';
  if (!run) return 'Not trained';
  if (run.error) return 'Failed';
  if (run.cancelled) return 'Stopped';
  if (run.mode === 'preview' && run.finished) return `Preview: ${formatInt(run.iteration)} iterations`;
  if (run.mode === 'loaded') return run.seconds !== undefined ? `Saved model (trained in ${run.seconds.toFixed(1)} s)` : 'Saved model';
  if (run.finished) return run.seconds !== undefined ? `Done in ${run.seconds.toFixed(1)} s` : 'Done';
  return 'Waiting';
}
