// The designer through the real vscode API: the export crosses host -> webview -> host.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceDir, writeSpec } from './util';

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
});
