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

suite('editor features', () => {
  const BROKEN = 'input 2\ndense 4 tahn\ndense 1 sigmoid\ninit zeros\ndata train flower\n';

  test('a code lens above the first layer offers Train, Open designer, Shapes and Sweep', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: '# a comment\ninput 2\ndense 4 tanh\ndense 1 sigmoid\n' });
    const lenses = await poll('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l?.length ? l : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => l.command?.command),
      ['nnspec.train', 'nnspec.openDesigner', 'nnspec.showShapes', 'nnspec.runSweep'],
    );
    assert.equal(lenses[0].range.start.line, 2, 'above the first dense line');
  });

  test('inlay hints give W and the parameter count after each dense line', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: 'input 2\ndense 4 tanh   # hidden\ndense 1 sigmoid\n' });
    const hints = await poll('inlay hints', async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, 3, 0));
      return h?.length === 2 ? h : undefined;
    });
    const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
    assert.deepEqual(hints.map(label), ['W(4, 2) · 12 params', 'W(1, 4) · 5 params']);
    assert.deepEqual([hints[0].position.line, hints[0].position.character], [1, 12], 'after "dense 4 tanh", before the comment');
  });

  test('quick fixes: the misspelt activation and init zeros', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'nnspec', content: BROKEN });
    await poll('the diagnostics', () => vscode.languages.getDiagnostics(doc.uri).length >= 2 || undefined);
    const fixesAt = async (line: number): Promise<vscode.CodeAction[]> =>
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(line, 0, line, 20))) ?? [];
    const activation = await fixesAt(1);
    const change = activation.find((a) => a.title === "Change to 'tanh'");
    assert.ok(change?.edit, `fixes on line 2: ${activation.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.equal(doc.lineAt(1).text, 'dense 4 tanh');
    const init = (await fixesAt(3)).find((a) => /random 0\.01/.test(a.title));
    assert.ok(init?.edit, 'a fix for init zeros');
    assert.ok(await vscode.workspace.applyEdit(init.edit));
    assert.equal(doc.lineAt(3).text, 'init random 0.01');
    await poll('no problems left', () => vscode.languages.getDiagnostics(doc.uri).length === 0 || undefined);
  });
});
