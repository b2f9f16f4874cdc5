// Language features through the real vscode API (in the extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, poll } from './util';

suite('language features', () => {
  test('the extension activates on a .nnspec file', async () => {
    const doc = await open('planar.nnspec');
    assert.equal(doc.languageId, 'nnspec');
    const ext = vscode.extensions.getExtension('nnspec.nnspec');
    assert.ok(ext, 'extension installed');
    await poll('activation', () => ext.isActive);
  });

  test('diagnostics appear for a broken spec and clear when fixed', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'nnspec',
      content: 'input 2\ndense 4 tanh\ndense 1 sigmoid\nloss binary_cross_entropy\nlearning_rate -1\n',
    });
    const errors = await poll('an error on line 4', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      return d.length ? d : undefined;
    });
    assert.equal(errors[0].range.start.line, 4);
    assert.equal(errors[0].source, 'nnspec');
    assert.equal(errors[0].code, 'nnspec-invalid-learning-rate');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(4, 14, 4, 16), '0.1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await poll('the error to clear', () =>
      vscode.languages.getDiagnostics(doc.uri).every((x) => x.severity !== vscode.DiagnosticSeverity.Error),
    );
  });

  test('hover shows the shapes of a layer', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: 'input 2\ndense 4 tanh\ndense 1 sigmoid\n' });
    const hovers = await poll('a hover', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 1));
      return h?.length ? h : undefined;
    });
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\| W\[1\] \| \(4, 2\) \|/);
    assert.match(text, /\| b\[1\] \| \(4, 1\) \|/);
  });

  test('completion offers statements and activations', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: '\ndense 4 ' });
    const atStart = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 0));
    assert.ok(atStart.items.some((i) => i.label === 'dense'));
    const afterUnits = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 8));
    assert.ok(afterUnits.items.some((i) => i.label === 'relu'));
  });

  test('the outline lists the layers', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: 'input 2\ndense 4 tanh\ndense 1 sigmoid\n' });
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['input 2', 'Layer 1: dense 4 tanh', 'Layer 2: dense 1 sigmoid'],
    );
  });

  test('formatting aligns a misaligned spec', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: 'input   2\ndense 4 tanh\ndense 1 sigmoid\n' });
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits.length > 0);
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.getText(), 'input 2\ndense 4 tanh\ndense 1 sigmoid\n');
  });
});
