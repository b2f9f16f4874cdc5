// The designer through the real vscode API: the export crosses host -> webview -> host, from the
// sidebar and from the panel beside the spec (nnspec: Open Designer to the Side).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { poll, workspaceDir, writeSpec } from './util';

const SPEC = `input 2
dense 4 tanh
dense 1 sigmoid
data train "data/flower.csv"
`;

suite('designer', () => {
  test('the designer exports the diagram as a standalone SVG (host -> webview -> host)', async () => {
    const uri = writeSpec('export.nnspec', SPEC);
    await vscode.window.showTextDocument(uri);
    const target = path.join(workspaceDir(), 'export.svg');
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('nnspec.exportDiagramSvg', target);
    assert.equal(saved?.fsPath, target);
    const svg = readFileSync(target, 'utf8');
    assert.match(svg, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /n\[1\] = 4/);
    assert.match(svg, /W \(4, 2\)/);
    assert.doesNotMatch(svg, /var\(--/);
  });

  test('Open Designer to the Side shows the same designer in a panel beside the spec', async () => {
    const uri = writeSpec('side.nnspec', SPEC.replace('dense 4 tanh', 'dense 6 tanh'));
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('nnspec.openDesignerToSide');
    // (the workbench tells the extension host about the new tab a moment later)
    await poll('the designer panel among the tabs', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nnspec.designerPanel')),
    );
    // the panel is the visible designer: the diagram of the spec comes from it
    const target = path.join(workspaceDir(), 'side.svg');
    await vscode.commands.executeCommand('nnspec.exportDiagramSvg', target);
    assert.match(readFileSync(target, 'utf8'), /n\[1\] = 6/);
  });
});

