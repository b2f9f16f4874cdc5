// The cost curve: one line per run (compare runs), linear or log y, themed colours, no
// animation (cheap updates at 20 Hz, and calm for prefers-reduced-motion).

import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { cssVar } from './dom';
import type { RunRecord } from '../src/shared/runs';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#388a34', '#652d90', '#e51400', '#cca700'];

type Point = { x: number; y: number };

export class CostChart {
  private chart: Chart<'line', Point[]> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  update(runs: readonly RunRecord[], currentRunId: number | undefined, logScale: boolean): void {
    const fg = cssVar('--vscode-foreground', '#616161');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
    const font = cssVar('--vscode-font-family', 'sans-serif');
    const datasets: ChartDataset<'line', Point[]>[] = runs.map((run, i) => {
      const color = cssVar(PALETTE[run.id % PALETTE.length], FALLBACK[run.id % FALLBACK.length]);
      const current = run.id === currentRunId || (currentRunId === undefined && i === runs.length - 1);
      return {
        label: run.label + (run.error ? ' (failed)' : run.cancelled ? ' (stopped)' : ''),
        data: run.costs
          .filter(([, c]) => Number.isFinite(c) && (!logScale || c > 0))
          .map(([x, y]) => ({ x, y })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: current ? 2 : 1.25,
        // older runs dashed: the difference does not rely on colour alone
        borderDash: current ? [] : [5, 3],
        pointRadius: 0,
        pointHitRadius: 6,
        tension: 0,
      };
    });
    const yType = logScale ? 'logarithmic' : 'linear';
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
            legend: { display: true, position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, color: fg, font: { family: font, size: 11 } } },
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
    const legend = chart.options.plugins?.legend?.labels;
    if (legend) legend.color = fg;
    chart.update('none');
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
