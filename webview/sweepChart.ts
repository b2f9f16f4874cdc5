// A sweep's cost curves overlaid: one colour per run (the theme's six chart colours, then evenly
// spaced hues), a legend naming each run's settings, log or linear y. No animation.

import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import type { SweepRunView, SweepSettings } from '../src/shared/labProtocol';
import { cssVar } from './dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#388a34', '#652d90', '#e51400', '#cca700'];
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

type Point = { x: number; y: number };

export class SweepChart {
  private chart: Chart<'line', Point[]> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  update(runs: readonly SweepRunView[], logScale: boolean): void {
    const fg = cssVar('--vscode-foreground', '#616161');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
    const font = cssVar('--vscode-font-family', 'sans-serif');
    const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
    const datasets: ChartDataset<'line', Point[]>[] = runs.map((run, i) => {
      const color = runColor(i, runs.length, dark);
      return {
        label: settingsLabel(run.settings) + (run.status === 'failed' ? ' (failed)' : ''),
        data: run.costs.filter(([, c]) => Number.isFinite(c) && (!logScale || c > 0)).map(([x, y]) => ({ x, y })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 6,
        tension: 0,
      };
    });
    const yType = logScale ? 'logarithmic' : 'linear';
    const legend = { display: runs.length <= LEGEND_MAX, position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 2, color: fg, font: { family: font, size: 11 } } };
    if (!this.chart) {
      this.chart = new Chart<'line', Point[]>(this.canvas, {
        type: 'line',
        data: { datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          parsing: false,
          normalized: true,
          interaction: { mode: 'nearest', intersect: false, axis: 'x' },
          plugins: {
            legend,
            tooltip: {
              callbacks: {
                title: (items) => (items.length ? `iteration ${items[0].parsed.x}` : ''),
                label: (item) => `${item.dataset.label}: ${Number(item.parsed.y).toPrecision(5)}`,
              },
            },
          },
          scales: {
            x: { type: 'linear', title: { display: true, text: 'iteration', color: fg }, ticks: { color: fg, maxTicksLimit: 6 }, grid: { color: grid } },
            y: { type: yType, title: { display: true, text: 'cost J', color: fg }, ticks: { color: fg, maxTicksLimit: 6 }, grid: { color: grid } },
          },
        },
      });
      return;
    }
    const chart = this.chart;
    chart.data.datasets = datasets;
    const scales = chart.options.scales as Record<string, { type?: string; ticks?: { color?: string }; grid?: { color?: string }; title?: { color?: string } }>;
    scales.y.type = yType;
    for (const axis of [scales.x, scales.y]) {
      if (axis.ticks) axis.ticks.color = fg;
      if (axis.grid) axis.grid.color = grid;
      if (axis.title) axis.title.color = fg;
    }
    if (chart.options.plugins) chart.options.plugins.legend = { ...chart.options.plugins.legend, ...legend };
    chart.update('none');
  }
}
