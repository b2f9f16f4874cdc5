// Cost curves on one chart.js line chart, as the training chart and the sweep chart both draw
// them: iteration on x, cost J on y (linear or log), the theme's colours, a tooltip per
// iteration, no animation (cheap updates at 20 Hz, and calm for prefers-reduced-motion). The
// callers build the datasets; this draws them and follows theme changes.

import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import { cssVar } from './dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

/** The theme's chart colours, and what each is without a theme. */
export const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
export const FALLBACK = ['#3794ff', '#d18616', '#388a34', '#652d90', '#e51400', '#cca700'];

export type Point = { x: number; y: number };
export type CostDataset = ChartDataset<'line', Point[]>;

/** A run's [iteration, cost] pairs as points a log or linear axis can draw (no NaN, no 0 on log). */
export function costPoints(costs: readonly (readonly [number, number])[], logScale: boolean): Point[] {
  return costs.filter(([, c]) => Number.isFinite(c) && (!logScale || c > 0)).map(([x, y]) => ({ x, y }));
}

/**
 * What a drawing of `datasets` shows, as a string: two calls with the same key draw the same
 * picture. A run's points (appendCosts) change only at the end (a new cost, or a repeated
 * iteration replacing the last) or all at once when thinned (the count halves), so its count and
 * its first and last points stand for all of them. The one exception: a run that ends swaps in
 * its worker's list, the same points unless it was thinned, which a run recording about
 * CHART_POINTS costs never is; a differently thinned list of the same count would wait for the
 * next change to be drawn.
 */
export function drawKey(datasets: readonly CostDataset[], ...rest: (string | boolean)[]): string {
  const parts: unknown[] = [rest];
  for (const d of datasets) {
    const data = d.data;
    parts.push([d.label, d.borderColor, d.borderWidth, d.borderDash, data.length, data[0]?.x, data[0]?.y, data.at(-1)?.x, data.at(-1)?.y]);
  }
  return JSON.stringify(parts);
}

export class CostLines {
  private chart: Chart<'line', Point[]> | undefined;
  /** what the chart shows now (drawKey) */
  private shown = '';

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(datasets: CostDataset[], logScale: boolean, showLegend: boolean): void {
    const fg = cssVar('--vscode-foreground', '#616161');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
    const font = cssVar('--vscode-font-family', 'sans-serif');
    // progress without a new cost (most of a run's messages) leaves the picture as it is: no
    // layout, no repaint of the canvas
    const key = drawKey(datasets, logScale, showLegend, fg, grid, font);
    if (this.chart && key === this.shown) return;
    this.shown = key;
    const yType = logScale ? 'logarithmic' : 'linear';
    const legend = { display: showLegend, position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 2, color: fg, font: { family: font, size: 11 } } };
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

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.shown = '';
  }
}
