// Training commands through the real vscode API: a model file and a report; stop cancels.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DoneMessage } from '../../../src/shared/workerProtocol';
import { poll, writeSpec } from './util';

const PLANAR = (iterations: number) => `input 2
dense 4 tanh
dense 1 sigmoid
data train "data/flower.csv"
init random 0.01
seed 2
learning_rate 1.2
iterations ${iterations}
`;

suite('training', () => {
  test('nnspec.train writes a model next to the spec and nnspec.showReport shows it', async () => {
    const uri = writeSpec('short-run.nnspec', PLANAR(300));
    await vscode.window.showTextDocument(uri);
    const done = await vscode.commands.executeCommand<DoneMessage | undefined>('nnspec.train', uri);
    assert.ok(done, 'the run finished');
    assert.equal(done.iterations, 300);
    assert.equal(done.cancelled, false);
    const model = uri.fsPath.replace(/\.nnspec$/, '.model.json');
    assert.ok(existsSync(model), model);
    const saved = JSON.parse(readFileSync(model, 'utf8'));
    assert.equal(saved.format, 'nnspec-model');
    assert.equal(saved.parameters.length, 2);
    const report = await vscode.commands.executeCommand<{ iterations: number; modelPath: string }>('nnspec.showReport', uri);
    assert.equal(report.iterations, 300);
    assert.equal(report.modelPath, model);
  });

  test('nnspec.stopTraining cancels a long run: no model is written', async () => {
    const uri = writeSpec('long-run.nnspec', PLANAR(50_000_000));
    await vscode.window.showTextDocument(uri);
    const started = Date.now();
    const run = vscode.commands.executeCommand<DoneMessage | undefined>('nnspec.train', uri);
    await poll('the run to make progress', () => Date.now() - started > 1500, 10_000);
    await vscode.commands.executeCommand('nnspec.stopTraining');
    const result = await run;
    assert.equal(result, undefined, 'a cancelled run resolves without a result');
    assert.ok(Date.now() - started < 20_000, 'stopped promptly');
    assert.equal(existsSync(uri.fsPath.replace(/\.nnspec$/, '.model.json')), false);
  });
});
