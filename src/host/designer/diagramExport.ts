// Export Network Diagram as SVG / PNG: the webview draws the diagram (with the theme's colours
// resolved) in reply to an `exportRequest`; the host saves it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportRequestMessage, ExportResultMessage } from '../../shared/wire/designer';

/** What the export needs of the designer. */
export interface ExportSource {
  document(): vscode.TextDocument | undefined;
  /**
   * Asks a designer view to render the diagram: a view that is loaded, or loading (a request
   * stands until the view answers; one that reloads gets it again), or shown first.
   */
  render(request: ExportRequestMessage): Promise<ExportResultMessage>;
}

/** Renders the diagram in the designer and saves it; `target` (a path or Uri) skips the dialog. */
export async function exportDiagram(source: ExportSource, format: 'svg' | 'png', target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
  const doc = source.document();
  if (!doc) {
    if (target) throw new Error('Could not export the diagram: no .nnspec file is open');
    void vscode.window.showInformationMessage('Open a .nnspec file to export its network diagram.');
    return undefined;
  }
  try {
    const result = await source.render({ type: 'exportRequest', format });
    if (result.data === undefined) throw new Error(result.error ?? 'the designer could not render the diagram');
    let uri: vscode.Uri | undefined;
    if (typeof target === 'string') uri = vscode.Uri.file(target);
    else if (target instanceof vscode.Uri) uri = target;
    else {
      const base = path.basename(doc.uri.path).replace(/\.nnspec$/i, '');
      uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(doc.uri, '..', `${base}.${format}`),
        filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
        saveLabel: 'Export Diagram',
      });
    }
    if (!uri) return undefined;
    const bytes = format === 'svg' ? Buffer.from(result.data, 'utf8') : Buffer.from(result.data.replace(/^data:image\/png;base64,/, ''), 'base64');
    await vscode.workspace.fs.writeFile(uri, bytes);
    if (!target) void vscode.window.showInformationMessage(`Network diagram saved to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri;
  } catch (err) {
    const message = `Could not export the diagram: ${err instanceof Error ? err.message : String(err)}`;
    // a caller that named the file (a script, a test) gets the error; a user gets a message
    if (target) throw new Error(message, { cause: err });
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
}
