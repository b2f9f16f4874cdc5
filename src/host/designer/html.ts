// The designer's HTML shell: strict CSP (scripts by nonce, styles from files only), resources
// from dist/, media/ and the codicons folder. No state in the page: VS Code reloads this same
// HTML whenever the hidden view is shown again, so the webview asks for the state (`ready`).

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64url');
}

export function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [
    vscode.Uri.joinPath(extensionUri, 'dist'),
    vscode.Uri.joinPath(extensionUri, 'media'),
    vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist'),
  ];
}

export function designerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="${uri('node_modules', '@vscode', 'codicons', 'dist', 'codicon.css')}">
<link rel="stylesheet" href="${uri('media', 'designer.css')}">
<title>nnspec Designer</title>
</head>
<body>
<main id="root" data-testid="designer"></main>
<script nonce="${n}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
}
