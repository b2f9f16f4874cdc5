// The cost curve: one line per run (compare runs), linear or log y, themed colours, no
// animation (cheap updates at 20 Hz, and calm for prefers-reduced-motion).

import type { RunRecord } from '../src/shared/model/runs';
import { cssVar } from './dom';
import { costPoints, CostLines, FALLBACK, PALETTE, type CostDataset } from './costLines';

export class CostChart {
  private readonly lines: CostLines;

  constructor(canvas: HTMLCanvasElement) {
    this.lines = new CostLines(canvas);
  }

  update(runs: readonly RunRecord[], currentRunId: number | undefined, logScale: boolean): void {
    const datasets: CostDataset[] = runs.map((run, i) => {
      const color = cssVar(PALETTE[run.id % PALETTE.length], FALLBACK[run.id % FALLBACK.length]);
      const current = run.id === currentRunId || (currentRunId === undefined && i === runs.length - 1);
      return {
        label: run.label + (run.error ? ' (failed)' : run.cancelled ? ' (stopped)' : ''),
        data: costPoints(run.costs, logScale),
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
    this.lines.draw(datasets, logScale, true);
  }

  destroy(): void {
    this.lines.destroy();
  }
}
