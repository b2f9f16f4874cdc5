// Sweeps (`nnspec sweep`, src/lab/sweep.ts): the --vary grammar, the grid order, the settings
// written into the spec as the designer's edits, combinations that do not check, the runs in
// worker threads (one kernel thread each when two train at once) giving exactly what
// `nnspec train` gives, and stopping: SweepRunner.cancel() and Ctrl-C in the CLI.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { trainWorkerScript } from '../../../src/cli/labCli';
import { applySettings, grid, parseVary, planSweep, settingsEdits, SweepError, SweepRunner } from '../../../src/lab/sweep';
import { applyTextEdits, checkSpec, parseSpec } from '../../../src/language';
import { runCli as run, tempSpecs } from '../harness/cliHarness';

const { dir, spec } = tempSpecs('nnspec-lab-sweep-');
const ROOT = path.join(__dirname, '..', '..', '..');
const PLANAR_EXAMPLE = readFileSync(path.join(ROOT, 'examples', 'planar.nnspec'), 'utf8');

/** A small planar net on the generated flower (no file to read), with a test set. */
const SMALL = `network "small"
input 2
dense 4 tanh      # hidden
dense 1 sigmoid
data train flower m=80
data test flower m=40 seed=5
init random 0.01
seed 2
learning_rate 1.2
iterations 60
print_every 20
`;

describe('sweep: --vary', () => {
  it('KEY=V1,V2,...: the keys, the values typed and written as the spec writes them', () => {
    assert.deepEqual(parseVary('layer1.units=1,2, 3'), { key: 'layer1.units', values: ['1', '2', '3'] });
    assert.deepEqual(parseVary('learning_rate=1.2,0.5,1e-3,1/100'), { key: 'learning_rate', values: ['1.2', '0.5', '0.001', '0.01'] });
    assert.deepEqual(parseVary('layer12.activation=tanh,relu'), { key: 'layer12.activation', values: ['tanh', 'relu'] });
    assert.deepEqual(parseVary('init=zeros,random:0.01,random 0.5,xavier,he'), { key: 'init', values: ['zeros', 'random 0.01', 'random 0.5', 'xavier', 'he'] });
  });

  it('bad keys and values are usage errors that say what is allowed', () => {
    const cases: [string, RegExp][] = [
      ['units=1,2', /cannot vary 'units': the keys are layerL\.units, layerL\.activation/],
      ['layer0.units=1', /cannot vary 'layer0\.units'/],
      ['layer1.units', /--vary needs KEY=V1,V2,\.\.\./],
      ['layer1.units=1,,2', /a value is empty/],
      ['layer1.units=two', /layer1\.units: 'two' is not a number/],
      ['layer1.activation=tnah', /'tnah' is not an activation: sigmoid, tanh, relu, leaky_relu, linear/],
      ['init=random', /random needs a scale, written random:0\.01/],
      ['init=he:2', /he takes no scale/],
      ['init=gaussian', /'gaussian' is not an init scheme/],
    ];
    for (const [arg, message] of cases) assert.throws(() => parseVary(arg), (e: unknown) => e instanceof SweepError && message.test((e as Error).message), arg);
  });

  it('the grid: every combination, the first key varying slowest', () => {
    const g = grid([parseVary('layer1.units=1,2'), parseVary('learning_rate=0.1,0.2,0.3'), parseVary('init=he,random:0.1')]);
    assert.equal(g.length, 12);
    assert.deepEqual(g[0], { 'layer1.units': 1, learning_rate: 0.1, init: 'he' });
    assert.deepEqual(g[1], { 'layer1.units': 1, learning_rate: 0.1, init: 'random 0.1' });
    assert.deepEqual(g[2], { 'layer1.units': 1, learning_rate: 0.2, init: 'he' });
    assert.deepEqual(g[11], { 'layer1.units': 2, learning_rate: 0.3, init: 'random 0.1' });
  });
});

describe('sweep: the settings as edits of the spec', () => {
  it('each setting replaces its token; comments and aligned columns stay; a missing setting gets a line', () => {
    const out = applySettings(PLANAR_EXAMPLE, { 'layer1.units': 20, 'layer1.activation': 'relu', learning_rate: 0.5, init: 'he', seed: 3 });
    const changed = out.split('\n').filter((l, i) => l !== PLANAR_EXAMPLE.split('\n')[i]);
    assert.deepEqual(changed, [
      // (as the designer writes it: a single space after a token is not a column to keep)
      'dense 20 relu                # n[1] = 4 hidden units',
      'init he                     # W = np.random.randn(n[l], n[l-1]) * 0.01',
      'seed 3                      # the notebook seeds 2 before initialising',
      'learning_rate 0.5',
    ]);
    assert.equal(out.split('\n').length, PLANAR_EXAMPLE.split('\n').length);
    const added = applySettings('input 2\ndense 1 sigmoid\ndata train flower\n', { iterations: 50, init: 'random 0.1' });
    assert.equal(added, 'input 2\ndense 1 sigmoid\ndata train flower\niterations 50\ninit random 0.1\n');
  });

  it('settingsEdits: all against the original text (one undo step in the editor), the same result', () => {
    const parsed = parseSpec(PLANAR_EXAMPLE);
    const settings = { 'layer1.units': 5, learning_rate: 0.05, iterations: 10 };
    const edits = settingsEdits(parsed, settings);
    assert.equal(edits.length, 3);
    assert.equal(applyTextEdits(PLANAR_EXAMPLE, edits), applySettings(PLANAR_EXAMPLE, settings));
    assert.deepEqual(parseSpec(applyTextEdits(PLANAR_EXAMPLE, edits)).spec.layers[0], { units: 5, activation: 'tanh' });
  });

  it('CRLF files keep CRLF', () => {
    assert.equal(applySettings('input 2\r\ndense 1 sigmoid\r\n', { seed: 4 }), 'input 2\r\ndense 1 sigmoid\r\nseed 4\r\n');
  });

  it('a combination that does not check is a run with an error; a bad axis refuses the sweep', async () => {
    const plan = await planSweep(SMALL, [parseVary('layer2.activation=sigmoid,relu'), parseVary('learning_rate=1,0')], (p) => checkSpec(p));
    const codes = (d?: string[]): string[] | undefined => d?.map((x) => /\[([\w-]+)\]$/.exec(x)![1]);
    assert.deepEqual(
      plan.runs.map((r) => [r.settings, r.error?.kind, codes(r.error?.diagnostics)]),
      [
        [{ 'layer2.activation': 'sigmoid', learning_rate: 1 }, undefined, undefined],
        [{ 'layer2.activation': 'sigmoid', learning_rate: 0 }, 'spec', ['nnspec-invalid-learning-rate']],
        [{ 'layer2.activation': 'relu', learning_rate: 1 }, 'spec', ['nnspec-output-activation']],
        [{ 'layer2.activation': 'relu', learning_rate: 0 }, 'spec', ['nnspec-output-activation', 'nnspec-invalid-learning-rate']],
      ],
    );
    // the line and column in the spec as the run writes it
    assert.match(plan.runs[2].error!.diagnostics![0], /^4:9: error: .*\[nnspec-output-activation\]$/);
    assert.match(plan.runs[2].source.split('\n')[3], /^dense 1 relu$/);
    assert.match(plan.runs[3].error!.message, /^with these settings the spec does not check: .* \(and 1 more error\)$/);
    assert.equal(plan.runs[0].spec?.learningRate, 1);
    await assert.rejects(planSweep(SMALL, [parseVary('layer3.units=1')]), /layer3\.units: the spec has 2 layers \(dense lines\), numbered 1 to 2/);
    await assert.rejects(planSweep(SMALL, [parseVary('seed=1'), parseVary('seed=2')]), /seed is varied twice/);
    const many = Array.from({ length: 40 }, (_, i) => i + 1).join(',');
    await assert.rejects(planSweep(SMALL, [parseVary(`seed=${many}`), parseVary(`iterations=${many}`)]), /the grid has 1,600 runs; a sweep may have at most 1000/);
  });
});

describe('nnspec sweep', () => {
  it('--json: the runs in grid order with the contract keys; each run is what nnspec train gives with its settings', async () => {
    const file = spec('small.nnspec', SMALL);
    const r = await run('sweep', file, '--vary', 'layer1.units=1,3', '--vary', 'init=random:0.01,he', '--json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(Object.keys(json), ['runs']);
    assert.deepEqual(
      json.runs.map((x: { settings: unknown }) => x.settings),
      [
        { 'layer1.units': 1, init: 'random 0.01' },
        { 'layer1.units': 1, init: 'he' },
        { 'layer1.units': 3, init: 'random 0.01' },
        { 'layer1.units': 3, init: 'he' },
      ],
    );
    for (const x of json.runs) {
      for (const k of ['settings', 'final_cost', 'train_accuracy', 'test_accuracy', 'iterations', 'seconds', 'costs']) assert.ok(k in x, k);
      assert.equal('error' in x, false);
      const alone = spec(`alone-${x.settings['layer1.units']}-${x.settings.init}.nnspec`, applySettings(SMALL, x.settings));
      const t = JSON.parse((await run('train', alone, '--json')).out);
      assert.deepEqual(x.costs, t.costs);
      assert.equal(x.final_cost, t.costs[t.costs.length - 1][1]);
      assert.equal(x.train_accuracy, t.train_accuracy);
      assert.equal(x.test_accuracy, t.test_accuracy);
      assert.deepEqual(x.train_metrics, t.train_metrics);
      assert.equal(x.iterations, 60);
    }
    assert.deepEqual(
      json.runs[0].costs.map((c: number[]) => c[0]),
      [0, 20, 40, 59],
    );
    assert.match(r.err, /^nnspec: 4 runs, 2 at a time\n/);
    assert.equal(r.err.match(/^nnspec: \[\d\/4\] layer1\.units=\d init=\S+( \S+)?: final cost /gm)?.length, 4);
  });

  it('a run that does not check or diverges gets an error entry; the others train; exit status 1', async () => {
    const file = spec('errors.nnspec', SMALL);
    const r = await run('sweep', file, '--vary', 'learning_rate=1.2,0,1e200', '--json');
    assert.equal(r.code, 1, r.err);
    const [ok, refused, diverged] = JSON.parse(r.out).runs;
    assert.equal(typeof ok.final_cost, 'number');
    assert.equal(refused.kind, 'spec');
    assert.match(refused.error, /^with these settings the spec does not check: The learning rate must be positive, not 0\.$/);
    assert.match(refused.diagnostics[0], /\[nnspec-invalid-learning-rate\]$/);
    assert.deepEqual([refused.final_cost, refused.train_accuracy, refused.iterations, refused.costs], [null, null, 0, []]);
    assert.equal(diverged.kind, 'diverged');
    assert.match(diverged.error, /learning rate/);
    assert.equal(diverged.final_cost, null);
  });

  it('a data file that cannot be read: every run has an error of kind data, no worker trains', async () => {
    const file = spec('nofile.nnspec', 'input 2\ndense 1 sigmoid\ndata train "missing.csv"\n');
    const r = await run('sweep', file, '--vary', 'seed=1,2', '--json');
    assert.equal(r.code, 1, r.err);
    const runs = JSON.parse(r.out).runs;
    assert.deepEqual(
      runs.map((x: { kind: string }) => x.kind),
      ['data', 'data'],
    );
    assert.match(runs[0].diagnostics[0], /\[nnspec-data-unreadable\]$/);
  });

  it('text: a table of the settings, final cost, accuracies and seconds', async () => {
    const file = spec('table.nnspec', SMALL);
    const r = await run('sweep', file, '--vary', 'learning_rate=1.2,0', '--workers', '1');
    assert.equal(r.code, 1);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^learning_rate {2}final cost {4}train {5}test {2}seconds$/);
    assert.match(lines[1], /^1\.2 {14}0\.\d{5,6} {2}\d+\.\d\d % {2}\d+\.\d\d % {5}\d+\.\d\d$/);
    assert.match(lines[2], /^0 {14}error: with these settings the spec does not check: The learning rate must be positive/);
    assert.match(r.err, /^nnspec: 2 runs, 1 at a time\n/);
  });

  it('usage errors: exit 2, one line', async () => {
    const file = spec('usage.nnspec', SMALL);
    for (const [argv, message] of [
      [[], /sweep needs at least one --vary KEY=V1,V2/],
      [['--vary', 'layer9.units=2'], /layer9\.units: the spec has 2 layers/],
      [['--vary', 'momentum=0.9'], /cannot vary 'momentum'/],
      [['--vary'], /--vary needs a value/],
      [['--vary', 'seed=1', '--workers', '0'], /--workers needs a whole number from 1 to 64/],
      [['--vary', 'seed=1', '--iteration', '3'], /unknown option --iteration for sweep/],
    ] as const) {
      const r = await run('sweep', file, ...argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});

describe('SweepRunner', () => {
  const runners: SweepRunner[] = [];
  after(() => runners.forEach((r) => r.cancel()));
  const worker = trainWorkerScript();

  it('two workers: one kernel thread per run; callbacks per run: started, progress, done', async () => {
    const plan = await planSweep(SMALL, [parseVary('seed=1,2,3')]);
    const runner = new SweepRunner(plan, { ...worker, specDir: dir, workers: 2, progressEveryMs: 0 });
    runners.push(runner);
    const events: string[] = [];
    const kernels = new Set<string | undefined>();
    const outcome = await runner.start({
      onRunEvent: (e) => {
        events.push(`${e.kind} ${e.id}`);
        if (e.kind !== 'started') return;
        kernels.add(e.kernels);
        assert.equal(e.start.m, 80);
        assert.equal(e.start.testM, 40);
      },
      onRunDone: (r) => events.push(`done ${r.index}`),
    });
    assert.equal(outcome.stopped, false);
    assert.deepEqual(
      outcome.results.map((r) => r.index),
      [0, 1, 2],
    );
    for (const i of [0, 1, 2]) {
      const mine = events.filter((e) => e.endsWith(` ${i}`));
      assert.equal(mine[0], `started ${i}`);
      assert.equal(mine[mine.length - 1], `done ${i}`);
      assert.ok(mine.includes(`progress ${i}`));
    }
    assert.deepEqual([...kernels], ['WebAssembly SIMD, 1 thread']);
    const single = new SweepRunner(await planSweep(SMALL, [parseVary('seed=1')]), { ...worker, specDir: dir });
    let kernel: string | undefined;
    await single.start({ onRunEvent: (e) => e.kind === 'started' && (kernel = e.kernels) });
    assert.equal(single.workers, 1);
    assert.equal(kernel, 'WebAssembly SIMD, 2 threads');
  });

  it('cancel(): the runs under way end at once and are dropped, the rest do not start', async () => {
    const plan = await planSweep(SMALL, [parseVary('iterations=30,30,50000000,50000000,50000000')]);
    const runner = new SweepRunner(plan, { ...worker, specDir: dir, workers: 2 });
    runners.push(runner);
    const started: number[] = [];
    let cancelledAt = 0;
    const outcome = await runner.start({
      onRunEvent: (e) => {
        if (e.kind !== 'started') return;
        const i = e.id;
        started.push(i);
        if (i === 3) {
          // both long runs are training: stop the sweep
          setTimeout(() => {
            cancelledAt = Date.now();
            runner.cancel();
          }, 100);
        }
      },
    });
    const took = Date.now() - cancelledAt;
    assert.equal(outcome.stopped, true);
    assert.deepEqual(
      outcome.results.map((r) => r.index),
      [0, 1],
    );
    assert.ok(!started.includes(4), `run 4 started: ${started}`);
    assert.ok(took < 1500, `the sweep took ${took} ms to stop`);
  });
});

describe('nnspec sweep: Ctrl-C', () => {
  it('SIGINT prints the runs that ended, with "stopped": true, and exits with 130', async () => {
    // a small learning rate: the long runs must still be training when the signal comes (at 1.2
    // this net saturates, and its cost becomes NaN, within a second of training)
    const file = spec('sigint.nnspec', SMALL.replace('learning_rate 1.2', 'learning_rate 0.01'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'sweep', file, '--vary', 'iterations=20,20,90000000,90000000', '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress after 60 s: ${err}`)), 60_000);
      child.stderr.on('data', (d) => {
        err += d;
        if ((err.match(/\[\d\/4\]/g) ?? []).length === 2) {
          clearTimeout(timer);
          // the two long runs have started (the short ones are done): give them a moment, then stop
          setTimeout(resolve, 300);
        }
      });
    });
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, err);
    assert.ok(Date.now() - sent < 3000, `took ${Date.now() - sent} ms to stop`);
    const json = JSON.parse(out);
    assert.equal(json.stopped, true);
    assert.deepEqual(
      json.runs.map((r: { settings: unknown }) => r.settings),
      [{ iterations: 20 }, { iterations: 20 }],
    );
    assert.doesNotMatch(err, /\n\s+at /);
  });
});
