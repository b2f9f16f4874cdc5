#!/usr/bin/env node
// `npm run bench:vscode [-- --reps N] [-- --json]`: the same job, the course's 4-layer cat net
// (examples/cat-4layer.nnspec, 2,500 iterations), from the command line and from the command
// palette of a real VS Code (code-server, driven by Playwright in Debian's Chromium), in turn,
// `reps` times (default 3), in the same run. The CLI is timed as a command (`nnspec train`, from
// start to exit); the palette from *nnspec: Train Network* to the saved model, once with the
// designer closed and once with it open beside the spec (the cost curve drawn as it goes).
// Prints the medians and the ratios palette / CLI, and the seconds each run's worker reported.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { designerFrame, openFile, openVsCode, runCommand, until } from '../test/e2e/helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const repsAt = argv.indexOf('--reps');
const reps = repsAt >= 0 ? Math.max(1, Number(argv[repsAt + 1]) || 3) : 3;
const json = argv.includes('--json');
const log = (line) => process.stderr.write(`bench:vscode: ${line}\n`);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `nnspec train` on the workspace's copy of the spec, timed as a command. */
function cli(spec, out) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', spec, '--out', out, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`nnspec train failed: ${r.stderr.trim().split('\n').pop()}`);
  return { seconds, worker: JSON.parse(r.stdout).seconds };
}

/** Train Network from the palette: seconds from the command to the saved model of 2,500 iterations. */
async function palette(page, modelFile) {
  rmSync(modelFile, { force: true });
  const start = performance.now();
  await runCommand(page, 'nnspec: Train Network');
  await until('the saved model', () => existsSync(modelFile) && JSON.parse(readFileSync(modelFile, 'utf8')).iterations === 2500, 600_000, 100);
  const seconds = (performance.now() - start) / 1000;
  return { seconds, worker: JSON.parse(readFileSync(modelFile, 'utf8')).seconds };
}

async function main() {
  spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { stdio: 'inherit' });
  const load = loadavg()[0];
  log(`load average ${load.toFixed(2)}${load > 1 ? ' (busy: ratios taken now are not comparable)' : ''}`);
  const ctx = await openVsCode('Default Light Modern');
  const tmp = mkdtempSync(path.join(tmpdir(), 'nnspec-bench-vscode-'));
  const rows = { cli: [], closed: [], open: [] };
  try {
    const { page, server } = ctx;
    const spec = path.join(server.workspace, 'cat-4layer.nnspec');
    const modelFile = path.join(server.workspace, 'cat-4layer.model.json');
    await openFile(page, 'cat-4layer.nnspec');
    // the extension is active and the data checked before the first timing
    await until('the spec checked', async () => (await page.locator('.statusbar-item[id="status.problems"]').innerText()).length > 0, 60_000);
    for (let r = 0; r < reps; r++) {
      rows.cli.push(cli(spec, path.join(tmp, 'cli.model.json')));
      log(`cli ${rows.cli.at(-1).seconds.toFixed(2)} s (training ${rows.cli.at(-1).worker.toFixed(2)} s)`);
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.press('Escape');
      await runCommand(page, 'View: Close Secondary Side Bar').catch(() => undefined);
      rows.closed.push(await palette(page, modelFile));
      log(`palette, designer closed ${rows.closed.at(-1).seconds.toFixed(2)} s (training ${rows.closed.at(-1).worker.toFixed(2)} s)`);
      await runCommand(page, 'nnspec: Open Designer to the Side');
      await designerFrame(page);
      rows.open.push(await palette(page, modelFile));
      log(`palette, designer open ${rows.open.at(-1).seconds.toFixed(2)} s (training ${rows.open.at(-1).worker.toFixed(2)} s)`);
      // back to the spec alone
      await runCommand(page, 'View: Close All Editor Groups');
      await openFile(page, 'cat-4layer.nnspec');
    }
  } finally {
    await ctx.browser.close();
    ctx.server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const cliS = median(rows.cli.map((r) => r.seconds));
  const result = {
    reps,
    load_average: load,
    cli_seconds: cliS,
    cli_worker_seconds: median(rows.cli.map((r) => r.worker)),
    palette_seconds: median(rows.closed.map((r) => r.seconds)),
    palette_worker_seconds: median(rows.closed.map((r) => r.worker)),
    palette_ratio: median(rows.closed.map((r) => r.seconds)) / cliS,
    designer_seconds: median(rows.open.map((r) => r.seconds)),
    designer_worker_seconds: median(rows.open.map((r) => r.worker)),
    designer_ratio: median(rows.open.map((r) => r.seconds)) / cliS,
  };
  if (json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const f = (x) => x.toFixed(2);
  process.stdout.write(
    [
      `cat-4layer, 2,500 iterations (medians of ${reps}; load average ${load.toFixed(2)} at the start)`,
      `  nnspec train (the command)                 ${f(result.cli_seconds)} s   (training ${f(result.cli_worker_seconds)} s)`,
      `  palette, designer closed (command → model) ${f(result.palette_seconds)} s   (training ${f(result.palette_worker_seconds)} s)   ${f(result.palette_ratio)} × the CLI`,
      `  palette, designer open   (command → model) ${f(result.designer_seconds)} s   (training ${f(result.designer_worker_seconds)} s)   ${f(result.designer_ratio)} × the CLI`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
