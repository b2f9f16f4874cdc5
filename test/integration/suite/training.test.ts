// Training commands through the real vscode API: a model file and a report; stop cancels.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DoneMessage } from '../../../src/shared/wire/training';
import { open, poll, workspaceDir, writeSpec } from './util';

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

  test('nnspec.openModel reads the saved model back: its report, the spec opened beside it', async () => {
    const model = vscode.Uri.file(path.join(workspaceDir(), 'short-run.model.json'));
    const saved = JSON.parse(readFileSync(model.fsPath, 'utf8'));
    assert.equal(saved.specPath, path.join(workspaceDir(), 'short-run.nnspec'), 'the model knows its spec');
    await open('planar.nnspec'); // another spec in front
    const report = await vscode.commands.executeCommand<{ iterations: number; trainAccuracy: number; modelPath: string; file: string }>('nnspec.openModel', model);
    assert.equal(report.iterations, 300);
    assert.equal(report.trainAccuracy, saved.trainAccuracy);
    assert.equal(report.modelPath, model.fsPath);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, report.file, 'the spec is open, for the designer to show the run');
    // a later session finds the report through the model file beside the spec
    const again = await vscode.commands.executeCommand<{ iterations: number }>('nnspec.showReport', vscode.Uri.file(report.file));
    assert.equal(again.iterations, 300);
  });

  test('Show Report reads a model saved beside a spec by an earlier session, even one that does not name its spec', async () => {
    const saved = JSON.parse(readFileSync(path.join(workspaceDir(), 'short-run.model.json'), 'utf8'));
    delete saved.specPath;
    delete saved.specDir;
    const spec = writeSpec('earlier-session.nnspec', PLANAR(300));
    writeFileSync(spec.fsPath.replace(/\.nnspec$/, '.model.json'), JSON.stringify(saved));
    const report = await vscode.commands.executeCommand<{ iterations: number; file: string; modelPath: string }>('nnspec.showReport', spec);
    assert.equal(report.iterations, 300);
    assert.equal(report.file, spec.fsPath, 'the report is the spec it was found beside');
    assert.equal(report.modelPath, spec.fsPath.replace(/\.nnspec$/, '.model.json'));
    // the report view finds it under the same key
    const view = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'nnspec-report' && d.uri.query === spec.toString());
    assert.ok(view, 'the report document is open');
    assert.match(view.getText(), /^# Training report: /);
    assert.match(view.getText(), /\| Iterations \| 300 \|/);
  });

  test('nnspec.openModel refuses a file that is not a model, without throwing', async () => {
    const bad = path.join(workspaceDir(), 'not-a-model.json');
    writeFileSync(bad, JSON.stringify({ format: 'something-else' }));
    const report = await vscode.commands.executeCommand('nnspec.openModel', vscode.Uri.file(bad));
    assert.equal(report, undefined);
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

suite('commands', () => {
  test('nnspec.newSpec writes a template and opens it; it checks clean', async () => {
    const file = path.join(workspaceDir(), 'from-template.nnspec');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('nnspec.newSpec', { template: 'planar', path: file });
    assert.equal(uri?.fsPath, file);
    assert.match(readFileSync(file, 'utf8'), /^dense 4 tanh/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    // showShapes runs the whole analysis (with the data) before it answers
    const table = await vscode.commands.executeCommand<{ m: number }>('nnspec.showShapes', uri);
    assert.equal(table.m, 400);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => d.message), []);
  });

  test('nnspec.showShapes returns the shape table with m from the data', async () => {
    const uri = writeSpec('shapes.nnspec', PLANAR(10));
    const table = await vscode.commands.executeCommand<{ m: number; layers: { W: number[]; Z: unknown[] }[]; total_params: number }>('nnspec.showShapes', uri);
    assert.equal(table.m, 400);
    assert.deepEqual(table.layers.map((l) => l.W), [[4, 2], [1, 4]]);
    assert.deepEqual(table.layers[0].Z, [4, 400]);
    assert.equal(table.total_params, 17);
  });
});
