import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli as run, tempSpecs } from '../harness/cliHarness';
import { main } from '../../../src/cli';
import { checkFile } from '../../../src/cli/check';
import { inspectData } from '../../../src/trainer/datasets';

const { dir, spec } = tempSpecs('nnspec-cli-');

describe('nnspec check', () => {
  it('prints compiler-style diagnostics and exits 1 on errors', async () => {
    const file = spec('bad.nnspec', 'input 2\ndense 4 rleu\ndense 1 sigmoid\ndata train flower\n');
    const r = await run('check', file);
    assert.equal(r.code, 1);
    assert.equal(
      r.out,
      `${file}:2:9: error: Unknown activation 'rleu'. Did you mean 'relu'? [nnspec-unknown-activation]\n` +
        `${file}: 1 error, 0 warnings, 0 hints\n`,
    );
  });

  it('prints the JSON contract', async () => {
    const file = spec('warn.nnspec', 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\ninit zeros\nlearning_rate -1\n');
    const r = await run('check', file, '--json');
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out);
    assert.deepEqual(json, [
      {
        severity: 'warning',
        message:
          'With `init zeros` every hidden unit of a layer computes the same function and gets the same gradient, so they stay identical (symmetry is never broken). Use random initialisation.',
        code: 'nnspec-zeros-init',
        range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } },
      },
      {
        severity: 'error',
        message: 'The learning rate must be positive, not -1.',
        code: 'nnspec-invalid-learning-rate',
        range: { start: { line: 5, character: 14 }, end: { line: 5, character: 16 } },
      },
    ]);
  });

  it('exits 0 with no problems on a clean spec', async () => {
    const file = spec('ok.nnspec', 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower\n');
    const r = await run('check', file);
    assert.deepEqual(r, { code: 0, out: `${file}: no problems\n`, err: '' });
    const j = await run('check', file, '--json');
    assert.equal(j.out.trim(), '[]');
  });

  it('says clearly when the file cannot be read: one line, exit 1, the JSON error object with --json', async () => {
    const file = path.join(dir, 'nope.nnspec');
    for (const command of ['check', 'shapes', 'train']) {
      const r = await run(command, file);
      assert.deepEqual(r, { code: 1, out: '', err: `nnspec: cannot read ${file}: no such file\n` }, command);
      const j = await run(command, file, '--json');
      assert.equal(j.code, 1, command);
      assert.deepEqual(JSON.parse(j.out), { error: `cannot read ${file}: no such file`, kind: 'usage' }, command);
      // a folder is no spec either
      const d = await run(command, dir, '--json');
      assert.deepEqual(JSON.parse(d.out), { error: `cannot read ${dir}: it is a folder`, kind: 'usage' }, command);
      assert.equal(d.err, `nnspec: cannot read ${dir}: it is a folder\n`);
    }
  });

  it('an error inside a command is one line on stderr, exit 1, and the JSON error object; never a stack trace', async () => {
    const file = spec('ok2.nnspec', 'input 2\ndense 1 sigmoid\ndata train flower\n');
    for (const json of [false, true]) {
      let err = '';
      let out = '';
      let first = true;
      const code = await main(['check', file, ...(json ? ['--json'] : [])], {
        // the first write fails (a closed pipe, a full disk): the command cannot finish
        stdout: (s) => {
          if (first) {
            first = false;
            throw new Error('write failed\n    at Object.<anonymous> (cli.js:1:1)');
          }
          out += s;
        },
        stderr: (s) => (err += s),
      });
      assert.equal(code, 1);
      assert.equal(err, 'nnspec: internal error: write failed at Object.<anonymous> (cli.js:1:1)\n');
      assert.equal(out, json ? '{"error":"internal error: write failed at Object.<anonymous> (cli.js:1:1)","kind":"internal"}\n' : '');
    }
  });

  it('rejects unknown commands and options with the usage', async () => {
    const a = await run('frobnicate', 'x');
    assert.equal(a.code, 2);
    assert.match(a.err, /unknown command 'frobnicate'/);
    const b = await run('check', 'x', '--jsno');
    assert.equal(b.code, 2);
    assert.match(b.err, /unknown option --jsno/);
    const h = await run('--help');
    assert.equal(h.code, 0);
    assert.match(h.out, /Usage: nnspec <command> FILE/);
  });
});

describe('nnspec shapes', () => {
  it('prints the JSON shape table with m from a generated set', async () => {
    const file = spec('planar.nnspec', 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train flower m=400\n');
    const r = await run('shapes', file, '--json');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), {
      m: 400,
      input: 2,
      layers: [
        { layer: 1, units: 4, activation: 'tanh', W: [4, 2], b: [4, 1], Z: [4, 400], params: 12 },
        { layer: 2, units: 1, activation: 'sigmoid', W: [1, 4], b: [1, 1], Z: [1, 400], params: 5 },
      ],
      total_params: 17,
      // 8 bytes a number: 17 parameters, 17 gradients; Z, A, dZ, dA of 5 units for 400
      // examples; X and two packed copies of it (400 is a multiple of 4), Y
      memory: { parameters: 136, gradients: 136, caches: 78400, data: 22400, total: 101072 },
    });
  });

  it('uses "m" when the number of examples is unknown, and prints text', async () => {
    const file = spec('nodata.nnspec', 'input 3\ndense 1 sigmoid\n');
    const j = JSON.parse((await run('shapes', file, '--json')).out);
    assert.equal(j.m, null);
    assert.deepEqual(j.layers[0].Z, [1, 'm']);
    const t = await run('shapes', file);
    assert.match(t.out, /^layer {2}units {2}activation {2}W {7}b {7}Z, A {4}params$/m);
  });

  it('exits 1 when the network is incomplete', async () => {
    const file = spec('broken.nnspec', 'dense 4 tanh\n');
    const r = await run('shapes', file);
    assert.equal(r.code, 1);
    assert.match(r.err, /shape table is incomplete/);
  });

  it("keeps the file's layer numbers when a layer is malformed, and leaves unknown shapes out of the JSON", async () => {
    const file = spec('malformed.nnspec', 'input 2\ndense 4 tanh\ndense x tanh\ndense 1 sigmoid\n');
    const j = await run('shapes', file, '--json');
    assert.equal(j.code, 1);
    assert.match(j.err, /shape table is incomplete/);
    assert.deepEqual(JSON.parse(j.out), {
      m: null,
      input: 2,
      layers: [{ layer: 1, units: 4, activation: 'tanh', W: [4, 2], b: [4, 1], Z: [4, 'm'], params: 12 }],
      total_params: 12,
      memory: null,
    });
    const t = await run('shapes', file);
    assert.equal(t.code, 1);
    const rows = t.out.split('\n');
    assert.match(rows[2], /^1 +4 +tanh +\(4, 2\)/);
    assert.match(rows[3], /^2 +\? +tanh +\(\?, 4\) .* \?$/);
    assert.match(rows[4], /^3 +1 +sigmoid +\(1, \?\) .* \?$/);
    assert.doesNotMatch(t.out, /\(1, 4\)/);
  });

  it('without an input line, layer 1 is unknown rather than W (4, 0)', async () => {
    const file = spec('noinput.nnspec', 'dense 4 tanh\ndense 1 sigmoid\n');
    const j = await run('shapes', file, '--json');
    assert.equal(j.code, 1);
    const table = JSON.parse(j.out);
    assert.equal(table.input, null);
    assert.deepEqual(table.layers.map((l: { layer: number; W: number[] }) => [l.layer, l.W]), [[2, [1, 4]]]);
    const t = await run('shapes', file);
    assert.match(t.out, /^1 +4 +tanh +\(4, \?\)/m);
    assert.doesNotMatch(t.out, /, 0\)/);
  });
});

describe('nnspec check with real data files', () => {
  const csv = (name: string, text: string): string => {
    writeFileSync(path.join(dir, name), text);
    return name;
  };
  const CAT_H5 = path.resolve(__dirname, '..', '..', '..', 'examples', 'data', 'train_catvnoncat.h5');
  const CAT_TEST_H5 = path.resolve(__dirname, '..', '..', '..', 'examples', 'data', 'test_catvnoncat.h5');

  it('a CSV with 3 features when input says 2: input mismatch on the input token, with the fix', async () => {
    csv('three.csv', 'a,b,c,y\n1,2,3,0\n4,5,6,1\n7,8,9,0\n1,1,1,1\n');
    const file = spec('three.nnspec', 'input 2\ndense 1 sigmoid\ndata train "three.csv"\n');
    const { diagnostics, dataFacts: facts } = await checkFile(file, inspectData);
    assert.deepEqual(facts.train, { features: 3, m: 4, labels: { binary: true, distinct: [0, 1] } });
    assert.deepEqual(diagnostics.map((d) => d.code), ['nnspec-input-mismatch']);
    const range = { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } };
    assert.deepEqual(diagnostics[0].range, range);
    assert.deepEqual(diagnostics[0].fixes?.[0].edits, [{ range, newText: '3' }]);
    const r = await run('check', file, '--json');
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.out).map((d: { code: string; range: unknown }) => [d.code, d.range]), [['nnspec-input-mismatch', range]]);
  });

  it('a CSV with labels 0/1/2: labels not binary, on the path', async () => {
    csv('multi.csv', 'x1,x2,label\n0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,2\n');
    const file = spec('multi.nnspec', 'input 2\ndense 1 sigmoid\ndata train "multi.csv"\n');
    const { diagnostics } = await checkFile(file, inspectData);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range]), [
      ['nnspec-labels-not-binary', { start: { line: 2, character: 11 }, end: { line: 2, character: 22 } }],
    ]);
    assert.match(diagnostics[0].message, /0, 1, 2/);
    // label= names the label column when it is not the last one
    csv('first.csv', 'y,a,b\n0,5,6\n1,7,8\n');
    const named = await checkFile(spec('first.nnspec', 'input 2\ndense 1 sigmoid\ndata train "first.csv" label=y\n'), inspectData);
    assert.deepEqual(named.diagnostics, []);
    const last = await checkFile(spec('first-last.nnspec', 'input 2\ndense 1 sigmoid\ndata train "first.csv"\n'), inspectData);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['nnspec-labels-not-binary']);
  });

  it('a real HDF5 file: the feature count is read, label= is warned as unused, a wrong dataset is unreadable', async () => {
    const cat = (input: string, keys: string) =>
      `input ${input}\ndense 7 relu\ndense 1 sigmoid\ndata train ${JSON.stringify(CAT_H5)} ${keys}\ndata test ${JSON.stringify(CAT_TEST_H5)} x=test_set_x y=test_set_y scale=1/255\n`;
    const good = await checkFile(spec('cat.nnspec', cat('64x64x3', 'x=train_set_x y=train_set_y scale=1/255')), inspectData);
    assert.deepEqual(good.diagnostics, []);
    assert.deepEqual(good.dataFacts.train, { features: 12288, m: 209, labels: { binary: true, distinct: [0, 1] } });

    const wrong = await checkFile(spec('cat-wrong.nnspec', cat('12000', 'x=train_set_x y=train_set_y')), inspectData);
    assert.deepEqual(wrong.diagnostics.map((d) => [d.code, d.range.start.line]), [
      ['nnspec-input-mismatch', 0],
      ['nnspec-input-mismatch', 0],
    ]);
    assert.deepEqual(wrong.diagnostics[0].fixes?.[0].edits[0].newText, '12288');

    const label = await checkFile(spec('cat-label.nnspec', cat('12288', 'x=train_set_x y=train_set_y label=y')), inspectData);
    assert.deepEqual(label.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['nnspec-unused-key', 'warning', 3]]);

    const missing = await checkFile(spec('cat-missing.nnspec', cat('12288', 'x=train_set_x y=nope')), inspectData);
    assert.deepEqual(missing.diagnostics.map((d) => [d.code, d.range.start.line]), [['nnspec-data-unreadable', 3]]);
    assert.match(missing.diagnostics[0].message, /nope/);
  });
});
