// `nnspec export`: file names, the --json contract, what is exported (trained, from a model,
// untrained), and every error as one line with the right exit status and kind.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseSavedModel } from '../../../src/trainer/savedModel';
import { initializeParameters } from '../../../src/trainer/model';
import { runCli, tempSpecs } from '../harness/cliHarness';
import { readNpz } from '../harness/exportHarness';

const { dir, spec: write } = tempSpecs('nnspec-export-cli-');

const PLANAR = `network "tiny planar"
input 2
dense 3 tanh
dense 1 sigmoid
data train flower m=100
init random 0.5
seed 4
learning_rate 0.5
iterations 60
print_every 20
`;

const json = (out: string): Record<string, unknown> => JSON.parse(out);

describe('nnspec export: files and the --json contract', () => {
  it('trains a spec, writes NAME.npz and NAME.py beside it, and prints {"format", "files", "untrained"}', async () => {
    const spec = write('beside/tiny.nnspec', PLANAR);
    const r = await runCli('export', spec, '--format', 'numpy', '--json');
    assert.equal(r.code, 0, r.err);
    const out = json(r.out);
    assert.deepEqual(Object.keys(out), ['format', 'files', 'untrained']);
    assert.deepEqual(out, { format: 'numpy', files: [path.join(dir, 'beside/tiny.npz'), path.join(dir, 'beside/tiny.py')], untrained: false });
    for (const f of out.files as string[]) assert.ok(existsSync(f), f);
  });

  it('exports what `nnspec train --out` saves: the same trained parameters, W[l] (n[l], n[l-1]) and b[l] (n[l], 1)', async () => {
    const spec = write('same/tiny.nnspec', PLANAR);
    const model = path.join(dir, 'same/tiny.model.json');
    assert.equal((await runCli('train', spec, '--out', model)).code, 0);
    const saved = parseSavedModel(readFileSync(model, 'utf8'));
    for (const input of [spec, model]) {
      const r = await runCli('export', input, '--format', 'numpy', '--out', path.join(dir, 'same', path.basename(input) + '.npz'), '--json');
      assert.equal(r.code, 0, r.err);
      const arrays = readNpz(readFileSync((json(r.out).files as string[])[0]));
      assert.deepEqual(Object.keys(arrays), ['W1', 'b1', 'W2', 'b2']);
      assert.deepEqual(arrays.W1.shape, [3, 2]);
      assert.deepEqual(arrays.b1.shape, [3, 1]);
      assert.deepEqual(arrays.W2.shape, [1, 3]);
      assert.deepEqual(Array.from(arrays.W1.data), saved.parameters[0].W.flat(), `W1 from ${path.basename(input)}`);
      assert.deepEqual(Array.from(arrays.b2.data), saved.parameters[1].b);
    }
  });

  it('--untrained exports the initial parameters (the spec\u2019s init and seed) without training or data', async () => {
    const spec = write('untrained/nodata.nnspec', 'input 2\ndense 3 relu\ndense 1 sigmoid\ninit he\nseed 9\n');
    const r = await runCli('export', spec, '--format', 'numpy', '--untrained', '--json');
    assert.equal(r.code, 0, r.err);
    assert.equal(json(r.out).untrained, true);
    const arrays = readNpz(readFileSync((json(r.out).files as string[])[0]));
    const init = initializeParameters([2, 3, 1], { kind: 'he' }, 9);
    assert.deepEqual(Array.from(arrays.W1.data), Array.from(init[0].W.data));
    assert.deepEqual(Array.from(arrays.W2.data), Array.from(init[1].W.data));
    assert.deepEqual(Array.from(arrays.b1.data), [0, 0, 0]);
    assert.match(readFileSync((json(r.out).files as string[])[1], 'utf8'), /From nodata\.nnspec, untrained: the initial parameters \(init he, seed 9\)/);
  });

  it('names the files per format: NAME_torch.py + .npz, NAME.onnx, NAME_course.py', async () => {
    const spec = write('names/net.nnspec', PLANAR);
    const files = async (...args: string[]): Promise<string[]> => {
      const r = await runCli('export', spec, ...args, '--untrained', '--json');
      assert.equal(r.code, 0, r.err);
      return (json(r.out).files as string[]).map((f) => path.relative(dir, f));
    };
    assert.deepEqual(await files('--format', 'pytorch'), ['names/net_torch.py', 'names/net_torch.npz']);
    assert.deepEqual(await files('--format', 'onnx'), ['names/net.onnx']);
    assert.deepEqual(await files('--format=onnx', '--float'), ['names/net.onnx']);
    // the course code reads the generated set from a data .npz beside it
    assert.deepEqual(await files('--format', 'course'), ['names/net_course.py', 'names/net_course_data.npz']);
    mkdirSync(path.join(dir, 'names/out'));
    assert.deepEqual(await files('--format', 'numpy', '--out', path.join(dir, 'names/out')), ['names/out/net.npz', 'names/out/net.py']);
    // --out names the main file; its extension may be left off, or be the other file's
    assert.deepEqual(await files('--format', 'numpy', '--out', path.join(dir, 'names/weights')), ['names/weights.npz', 'names/weights.py']);
    assert.deepEqual(await files('--format', 'numpy', '--out', path.join(dir, 'names/w2.py')), ['names/w2.npz', 'names/w2.py']);
    assert.deepEqual(await files('--format', 'pytorch', '--out', path.join(dir, 'names/torchnet.py')), ['names/torchnet.py', 'names/torchnet.npz']);
  });

  it('prints one line per file without --json (and what training gave)', async () => {
    const spec = write('text/tiny.nnspec', PLANAR);
    const r = await runCli('export', spec, '--format', 'onnx');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Trained tiny\.nnspec: 60 iterations, train accuracy \d+\.\d\d %\nWrote .*tiny\.onnx\n$/);
  });
});

describe('nnspec export: errors', () => {
  const spec = write('err/tiny.nnspec', PLANAR);

  const usage: [string, string[], RegExp][] = [
    ['no --format', [], /export needs --format: one of numpy, pytorch, onnx, course/],
    ['an unknown format', ['--format', 'tensorflow'], /unknown export format 'tensorflow': use one of numpy, pytorch, onnx, course/],
    ['--float without onnx', ['--format', 'numpy', '--float'], /--float applies to --format onnx only/],
  ];
  for (const [what, args, message] of usage) {
    it(`${what}: a usage error, exit status 2, {"error", "kind": "usage"}`, async () => {
      const r = await runCli('export', spec, ...args, '--json');
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
      assert.deepEqual(Object.keys(json(r.out)), ['error', 'kind']);
      assert.equal(json(r.out).kind, 'usage');
    });
  }

  it('--untrained on a saved model: a usage error (exit 2)', async () => {
    const model = path.join(dir, 'err/tiny.model.json');
    assert.equal((await runCli('train', spec, '--out', model)).code, 0);
    const r = await runCli('export', model, '--format', 'onnx', '--untrained');
    assert.equal(r.code, 2);
    assert.match(r.err, /--untrained applies to a spec: tiny\.model\.json is a saved model/);
  });

  it('--format without a value, and the export options on other commands, are usage errors', async () => {
    const r = await runCli('export', spec, '--format');
    assert.equal(r.code, 2);
    assert.match(r.err, /--format needs a value/);
    const train = await runCli('train', spec, '--float');
    assert.equal(train.code, 2);
    assert.match(train.err, /unknown option --float/);
  });

  const failures: [string, () => string[], string, RegExp][] = [
    ['a missing file', () => [path.join(dir, 'nope.nnspec')], 'usage', /cannot read .*nope\.nnspec: no such file/],
    ['an --out folder that does not exist', () => [spec, '--out', path.join(dir, 'missing/x.npz')], 'usage', /cannot write to .*missing: the folder does not exist/],
    ['a model file that is not a model', () => [write('err/bad.model.json', '{"format": "nnspec-model", "version": 1, "spec": {"inputSize": 2, "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "mse", "init": {"kind": "random", "scale": 0.01}, "seed": 1, "learningRate": 0.1, "iterations": 10, "printEvery": 1}, "parameters": [{"W": [[1]], "b": [0]}]}')], 'model', /bad\.model\.json is not a usable model: W\[1\] must be \(1, 2\), but row 0 has 1 values instead of 2/],
    ['a spec without training data (and without --untrained)', () => [write('err/nodata.nnspec', 'input 2\ndense 1 sigmoid\n')], 'data', /has no training data: add a `data train \.\.\.` line, or export the initial parameters with --untrained/],
    ['a course export of a spec without training data', () => [write('err/nodata-course.nnspec', 'network "no data"\ninput 2\ndense 1 sigmoid\n'), '--format', 'course'], 'data', /no data has no training data \(a `data train \.\.\.` line\): the course code trains on it/],
    ['a course export whose CSV is missing', () => [write('err/nocsv.nnspec', 'input 2\ndense 1 sigmoid\ndata train "gone.csv"\n'), '--format', 'course'], 'data', /has 1 error/],
  ];
  for (const [what, args, kind, message] of failures) {
    it(`${what}: exit status 1, kind '${kind}', one line`, async () => {
      const a = args();
      const r = await runCli('export', a[0], ...(a.includes('--format') ? [] : ['--format', 'numpy']), ...a.slice(1), '--json');
      assert.equal(r.code, 1, r.err);
      const out = json(r.out);
      assert.equal(out.kind, kind);
      assert.match(String(out.error), message);
      assert.match(r.err, message);
    });
  }

  it('a spec with errors: kind "spec" and its diagnostics, as `nnspec check` prints them', async () => {
    const bad = write('err/bad.nnspec', 'input 2\ndense 3 tahn\ndense 1 sigmoid\n');
    const r = await runCli('export', bad, '--format', 'onnx', '--untrained', '--json');
    assert.equal(r.code, 1);
    const out = json(r.out);
    assert.equal(out.kind, 'spec');
    assert.match(String(out.error), /bad\.nnspec has 1 error: fix it before exporting/);
    assert.deepEqual(out.diagnostics, [`${bad}:2:9: error: Unknown activation 'tahn'. Did you mean 'tanh'? [nnspec-unknown-activation]`]);
  });
});
