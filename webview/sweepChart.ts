// A sweep's cost curves overlaid: one colour per run (the theme's six chart colours, then evenly
// spaced hues), a legend naming each run's settings, log or linear y. No animation.

import { sweepRunStatus, type SweepRunView } from '../src/shared/model/labState';
import type { SweepSettings } from '../src/shared/model/results';
import { costPoints, CostLines, FALLBACK, PALETTE, type CostDataset } from './costLines';
import { cssVar } from './dom';
/** Beyond this many runs the legend would fill the chart: the table's swatches name them instead. */
const LEGEND_MAX = 12;

/** The colour of run `index` of `count`: the theme's chart colours for up to six runs, else hues around the circle. */
export function runColor(index: number, count: number, dark: boolean): string {
  if (count <= PALETTE.length) return cssVar(PALETTE[index], FALLBACK[index]);
  const hue = Math.round((index * 360) / count + 210) % 360;
  return `hsl(${hue}, 70%, ${dark ? 62 : 42}%)`;
}

/** `layer1.units=3`, or `layer1.units=3, learning_rate=0.5` for a grid. */
export function settingsLabel(settings: SweepSettings): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export class SweepChart {
  private readonly lines: CostLines;

  constructor(canvas: HTMLCanvasElement) {
    this.lines = new CostLines(canvas);
  }

  update(runs: readonly SweepRunView[], logScale: boolean): void {
    const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
    const datasets: CostDataset[] = runs.map((run, i) => {
      const color = runColor(i, runs.length, dark);
      return {
        label: settingsLabel(run.settings) + (sweepRunStatus(run) === 'failed' ? ' (failed)' : ''),
        data: costPoints(run.run.costs, logScale),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 6,
        tension: 0,
      };
    });
    this.lines.draw(datasets, logScale, runs.length <= LEGEND_MAX);
  }
}
