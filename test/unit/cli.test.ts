import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'nnspec-cli-'));
function spec(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

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
        message: json[0].message,
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

  it('says clearly when the file cannot be read', async () => {
    const r = await run('check', path.join(dir, 'nope.nnspec'));
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read .*nope\.nnspec: no such file/);
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
    });
  });

  it('uses "m" when the number of examples is unknown, and prints text', async () => {
    const file = spec('nodata.nnspec', 'input 3\ndense 1 sigmoid\n');
    const j = JSON.parse((await run('shapes', file, '--json')).out);
    assert.equal(j.m, null);
    assert.deepEqual(j.layers[0].Z, [1, 'm']);
    const t = await run('shapes', file);
    assert.match(t.out, /^layer  units  activation  W       b       Z, A    params$/m);
  });

  it('exits 1 when the network is incomplete', async () => {
    const file = spec('broken.nnspec', 'dense 4 tanh\n');
    const r = await run('shapes', file);
    assert.equal(r.code, 1);
    assert.match(r.err, /shape table is incomplete/);
  });
});
