// `nnspec train`: text and --json output, --out (a model that round-trips, a folder checked
// before training, a missing value), divergence, and a clean stderr for a bad HDF5 file.
// Small generated or CSV data written to temp folders.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { main } from '../../../src/cli';
import { accuracySaved, loadModelData, parseSavedModel } from '../../../src/trainer/savedModel';

const { dir, spec } = tempSpecs('nnspec-train-cli-');

const PLANAR = 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower m=60\ninit random 0.01\nseed 2\nlearning_rate 1.2\niterations 25\nprint_every 10\n';

describe('nnspec train: output', () => {
  it('text: the cost at iteration 0, every print_every and the last, then the accuracy', async () => {
    const r = await run('train', spec('planar.nnspec', PLANAR));
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, 4).map((l) => l.replace(/: .*/, '')),
      ['Cost after iteration 0', 'Cost after iteration 10', 'Cost after iteration 20', 'Cost after iteration 24'],
    );
    assert.match(lines[0], /^Cost after iteration 0: 0\.69\d+$/);
    assert.match(lines[4], /^Train accuracy: \d+\.\d\d %$/);
    assert.match(lines[5], /^Train precision (\d\.\d{4}|–), recall \d\.\d{4}, F1 \d\.\d{4} \(TP \d+, FP \d+, TN \d+, FN \d+\)$/);
    assert.match(lines[6], /^25 iterations in \d+\.\d\d s$/);
    assert.equal(lines.length, 7);
    assert.equal(r.err, '');
  });

  it('--json prints exactly the contract keys, with the same costs', async () => {
    const text = await run('train', spec('planar.nnspec', PLANAR));
    const r = await run('train', spec('planar.nnspec', PLANAR), '--json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(Object.keys(json).sort(), ['costs', 'iterations', 'seconds', 'test_accuracy', 'test_metrics', 'train_accuracy', 'train_metrics']);
    assert.deepEqual(
      json.costs.map((c: [number, number]) => c[0]),
      [0, 10, 20, 24],
    );
    assert.equal(json.iterations, 25);
    assert.equal(json.test_accuracy, null);
    assert.ok(json.train_accuracy >= 0 && json.train_accuracy <= 1);
    assert.ok(json.seconds >= 0);
    // the same numbers as text mode prints
    assert.equal(`Cost after iteration 0: ${json.costs[0][1]}`, text.out.split('\n')[0]);
    const withTest = JSON.parse((await run('train', spec('tested.nnspec', PLANAR + 'data test flower m=30 seed=5\n'), '--json')).out);
    assert.equal(typeof withTest.test_accuracy, 'number');
  });
});

describe('nnspec train --out', () => {
  it('writes a model that round-trips: its parameters give the same accuracies, its data is found again', async () => {
    // the spec reads a CSV next to it; the model is saved in another folder
    const csvRows = ['x1,x2,y'];
    for (let i = 0; i < 40; i++) csvRows.push(`${Math.cos(i)},${Math.sin(i * 1.7)},${i % 3 === 0 ? 1 : 0}`);
    mkdirSync(path.join(dir, 'specs', 'data'), { recursive: true });
    writeFileSync(path.join(dir, 'specs', 'data', 'points.csv'), csvRows.join('\n') + '\n');
    const file = spec(
      'specs/csv.nnspec',
      'input 2\ndense 5 relu\ndense 1 sigmoid\ndata train "data/points.csv"\ndata test flower m=20\nlearning_rate 0.5\nseed 3\ninit he\niterations 40\n',
    );
    mkdirSync(path.join(dir, 'models'), { recursive: true });
    const out = path.join(dir, 'models', 'csv.model.json');
    const r = await run('train', file, '--json', '--out', out);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    const model = parseSavedModel(readFileSync(out, 'utf8'));
    assert.equal(model.specPath, file);
    assert.equal(model.specDir, path.dirname(file));
    assert.equal(model.source, readFileSync(file, 'utf8'));
    assert.deepEqual(model.costs, json.costs);
    assert.equal(model.trainAccuracy, json.train_accuracy);
    const data = await loadModelData(model);
    const again = { trainAccuracy: accuracySaved(model, data.train!), testAccuracy: data.test ? accuracySaved(model, data.test) : null };
    assert.deepEqual(again, { trainAccuracy: json.train_accuracy, testAccuracy: json.test_accuracy });
  });

  it('a folder that does not exist fails before training, with a clear message', async () => {
    // 200000 iterations would take far longer than the test allows, had it trained first
    const file = spec('long.nnspec', PLANAR.replace('iterations 25', 'iterations 200000'));
    const missing = path.join(dir, 'no', 'such', 'folder', 'm.json');
    const started = Date.now();
    const r = await run('train', file, '--json', '--out', missing);
    assert.ok(Date.now() - started < 3000, 'it trained before checking --out');
    assert.equal(r.code, 1);
    assert.equal(r.err, `nnspec: cannot save the model to ${missing}: the folder ${path.dirname(missing)} does not exist (create it first)\n`);
    assert.deepEqual(Object.keys(JSON.parse(r.out)), ['error', 'kind']);
    assert.equal(existsSync(path.dirname(missing)), false);
  });

  it('--out without a file name is a usage error (exit 2)', async () => {
    const file = spec('planar.nnspec', PLANAR);
    for (const argv of [['train', file, '--out'], ['train', file, '--out', '--json'], ['train', file, '--out=']]) {
      const r = await run(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /^nnspec: --out needs a file name, e.g\. --out model\.json\n\nUsage: nnspec/);
      assert.equal(r.out, '');
    }
  });
});

describe('nnspec train: failures', () => {
  it('a learning rate of 1e6 diverges: a clear message, exit 1, and {"error"} with --json', async () => {
    const file = spec('diverge.nnspec', PLANAR.replace('learning_rate 1.2', 'learning_rate 1e6').replace('iterations 25', 'iterations 50'));
    const t = await run('train', file);
    assert.equal(t.code, 1);
    assert.match(t.err, /^nnspec: The cost became (NaN|infinite) at iteration \d+: the learning rate \(1000000\) is probably too high, or the output saturated\. Try a smaller learning_rate\.\n$/);
    const j = await run('train', file, '--json');
    assert.equal(j.code, 1);
    const json = JSON.parse(j.out);
    assert.match(json.error, /^The cost became (NaN|infinite) at iteration \d+: the learning rate \(1000000\)/);
    assert.equal(json.kind, 'diverged');
  });

  it('a bad data file stops the run with kind "data" and the diagnostics', async () => {
    const file = spec('missing-data.nnspec', 'input 2\ndense 1 sigmoid\ndata train "nope.csv"\n');
    const r = await run('train', file, '--json');
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    assert.equal(json.kind, 'data');
    assert.match(json.diagnostics[0], /Data file 'nope\.csv' not found/);
  });

  it('a .h5 file that is not HDF5: our message on stderr and nothing from HDF5 (separate process)', async () => {
    writeFileSync(path.join(dir, 'fake.h5'), 'x');
    const file = spec('fake.nnspec', 'input 2\ndense 1 sigmoid\ndata train "fake.h5" x=a y=b\n');
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli.ts');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--require', require.resolve('tsx/cjs'), cli, 'train', file, '--json'], (err, stdout, stderr) =>
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
      );
    });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `${file}:3:12: error: Data file 'fake.h5' is not a readable HDF5 file (not an hdf5 file). [nnspec-data-unreadable]\n` +
        `nnspec: ${file} has 1 error: fix it before training\n`,
    );
    assert.equal(JSON.parse(stdout).kind, 'data');
  });
});

describe('nnspec train: memory, refused before anything is allocated', () => {
  // n_x = 2, a hidden layer of 1,000,000 units, m = 400: caches alone are 8·400·4·1,000,001 bytes
  const WIDE = 'input 2\ndense 1000000 relu\ndense 1 sigmoid\ndata train flower\n';

  it('over the 2 GB default budget: kind "memory", the numbers in the message, at once', async () => {
    const file = spec('wide.nnspec', WIDE);
    const started = Date.now();
    const r = await run('train', file, '--json');
    assert.ok(Date.now() - started < 3000, 'it allocated or trained before refusing');
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    assert.equal(json.kind, 'memory');
    assert.match(json.error, /^Training this network needs about 15\.3 GB of memory \(parameters 30\.5 MB, gradients 30\.5 MB, caches 15\.3 GB and data 21\.9 KB for m = 400\), more than (the memory budget of 2\.0 GB|this machine has)/);
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
    assert.match(r.err, /^nnspec: Training this network needs about 15\.3 GB/);
  });

  it('--memory-budget MB sets the budget: a small one refuses the planar net, a malformed one is a usage error', async () => {
    const file = spec('planar.nnspec', PLANAR);
    const r = await run('train', file, '--json', '--memory-budget', '0.01');
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).kind, 'memory');
    assert.match(JSON.parse(r.out).error, /more than the memory budget of 10\.2 KB \(set with --memory-budget MB\)/);
    assert.equal((await run('train', file, '--json', '--memory-budget=64')).code, 0);
    for (const bad of [['--memory-budget'], ['--memory-budget', '-5'], ['--memory-budget=lots'], ['--memory-budget', '0']]) {
      const u = await run('train', file, ...bad);
      assert.equal(u.code, 2, bad.join(' '));
      assert.match(u.err, /^nnspec: --memory-budget needs a positive number of MB/);
    }
  });

  it('two wide layers (16 TB) are more than any machine: an error, kind "memory", exit 1, no stack trace', async () => {
    const file = spec('huge.nnspec', 'input 2\ndense 1000000 relu\ndense 1000000 relu\ndense 1 sigmoid\ndata train flower\n');
    const c = await run('check', file, '--json');
    assert.equal(c.code, 1);
    const d = JSON.parse(c.out).find((x: { code: string }) => x.code === 'nnspec-memory-too-large');
    assert.equal(d.severity, 'error');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /needs about 14\.6 TB of memory \(parameters 7\.3 TB, .* more than this machine has \(/);
    const r = await run('train', file, '--json');
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).kind, 'memory');
    assert.doesNotMatch(r.err, /\n\s+at /);
  });
});

describe('nnspec train: Ctrl-C', () => {
  const LONG = 'input 2\ndense 20 tanh\ndense 1 sigmoid\ndata train flower\ndata test flower m=50\nlearning_rate 0.5\niterations 100000000\nprint_every 200\n';

  it('in process: an abort after the first progress gives the partial result with "stopped": true', async () => {
    const file = spec('long.nnspec', LONG);
    const stop = new AbortController();
    let out = '';
    let err = '';
    const code = await main(['train', file, '--json'], {
      stdout: (s) => (out += s),
      stderr: (s) => {
        err += s;
        if (s.startsWith('Cost after iteration')) stop.abort();
      },
      signal: stop.signal,
    });
    assert.equal(code, 130);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json).sort(), ['costs', 'iterations', 'seconds', 'stopped', 'test_accuracy', 'test_metrics', 'train_accuracy', 'train_metrics']);
    assert.equal(json.stopped, true);
    assert.deepEqual(json.costs[0][0], 0);
    assert.ok(json.iterations >= 1 && json.iterations < 100000000);
    assert.ok(json.train_accuracy >= 0 && json.train_accuracy <= 1);
    assert.equal(typeof json.test_accuracy, 'number');
    assert.match(err, /^Cost after iteration 0: 0\.69\d+\n/);
    assert.match(err, new RegExp(`nnspec: stopped at iteration ${json.iterations} of 100000000 \\(cost [0-9.e-]+\\)\\n$`));
  });

  it('a real SIGINT to the built CLI: exit 130, the JSON with the costs so far; without --json one line', async () => {
    const root = path.join(__dirname, '..', '..', '..');
    // npm run build: the test runs the bundle users run
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root });
    const cli = path.join(root, 'dist', 'cli.js');
    const file = spec('long.nnspec', LONG);
    const interrupted = (json: boolean) =>
      new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'train', file, ...(json ? ['--json'] : [])]);
        let stdout = '';
        let stderr = '';
        let sentAt = 0;
        const progress = (): void => {
          if (!sentAt && /Cost after iteration 0/.test(json ? stderr : stdout)) {
            sentAt = Date.now();
            child.kill('SIGINT');
          }
        };
        child.stdout.on('data', (b) => ((stdout += b), progress()));
        child.stderr.on('data', (b) => ((stderr += b), progress()));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - sentAt }));
      });
    const j = await interrupted(true);
    assert.equal(j.code, 130, j.stderr);
    assert.ok(j.ms < 5000, `stopping took ${j.ms} ms`);
    const json = JSON.parse(j.stdout);
    assert.equal(json.stopped, true);
    assert.deepEqual(json.costs[0][0], 0);
    assert.equal(json.iterations > 0, true);
    assert.doesNotMatch(j.stderr, /\n\s+at /);
    const t = await interrupted(false);
    assert.equal(t.code, 130, t.stderr);
    const last = t.stdout.trim().split('\n').pop();
    assert.match(last ?? '', /^Stopped at iteration \d+ of 100000000 \(cost [0-9.e-]+\)$/);
    assert.equal(t.stderr, '');
  });
});
