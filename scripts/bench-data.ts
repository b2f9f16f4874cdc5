// `npm run bench:data [-- MB]`: what checking a large CSV costs the editor. Writes a CSV of
// MB megabytes (default 100; x1,x2,y rows) to a temporary folder, then reads it for the checks
// twice, each in a fresh process: on the main thread (inspectData, as the host did before the
// data worker) and through the data worker (DataClient, as the extension does). Prints the
// wall time, the longest the main thread's event loop was blocked, and the process's peak RSS.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataClient } from '../src/trainer/dataClient';
import { inspectData } from '../src/trainer/datasets';

const ROOT = path.resolve(__dirname, '..');

/** One measurement, in this process: `mode` is 'main' or 'worker'. */
async function measure(mode: string, file: string): Promise<void> {
  const source = { kind: 'file' as const, split: 'train' as const, path: path.basename(file), scale: 1 };
  // a timer that must keep running (the editor's own work): the longest gap between its ticks
  let last = performance.now();
  let blockedMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    blockedMs = Math.max(blockedMs, now - last);
    last = now;
  }, 5);
  const started = Date.now();
  let summary: unknown;
  if (mode === 'main') summary = await inspectData(source, path.dirname(file), { memoryBudgetBytes: 4096 * 1024 * 1024 });
  else {
    const tsx = require.resolve('tsx/cjs');
    const worker = path.join(ROOT, 'src', 'trainer', 'dataWorker.ts');
    const client = new DataClient(worker, {
      timeoutMs: 600_000,
      createWorker: (f, o) => new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(f)});`, { ...o, eval: true }),
    });
    summary = await client.inspect(source, path.dirname(file), { memoryBudgetBytes: 4096 * 1024 * 1024 });
    client.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 20)); // one more tick after the work
  clearInterval(ticker);
  const rss = process.resourceUsage().maxRSS / 1024;
  const m = (summary as { summary?: { m: number }; m?: number }).summary?.m ?? (summary as { m?: number }).m;
  process.stdout.write(JSON.stringify({ mode, seconds, blockedMs, rssMB: rss, m }) + '\n');
}

function writeCsv(file: string, megabytes: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, 'x1,x2,y\n');
  let size = 0;
  let chunk = '';
  for (let i = 0; size < megabytes * 1e6; i++) {
    const row = `${(((i * 7919) % 10007) / 10007).toFixed(8)},${(((i * 104729) % 1000003) / 100000 - 5).toFixed(8)},${i % 2}\n`;
    chunk += row;
    size += row.length;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (mode === 'main' || mode === 'worker') return measure(mode, file);
  const megabytes = Number(process.argv[2] ?? 100) || 100;
  const tmp = mkdtempSync(path.join(tmpdir(), 'nnspec-bench-data-'));
  try {
    const csv = path.join(tmp, 'big.csv');
    writeCsv(csv, megabytes);
    console.log(`A ${megabytes} MB CSV (x1,x2,y), read for the editor's checks:\n`);
    console.log('| where | seconds | main thread blocked (longest) | peak RSS |');
    console.log('|---|---|---|---|');
    for (const where of ['main', 'worker']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, where, csv], { cwd: ROOT, encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      const label = where === 'main' ? 'main thread (inspectData)' : 'data worker (DataClient)';
      console.log(`| ${label} | ${r.seconds.toFixed(1)} | ${Math.round(r.blockedMs)} ms | ${Math.round(r.rssMB)} MB |`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
