import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  return folder.uri.fsPath;
}

export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceDir(), name)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function writeSpec(name: string, text: string): vscode.Uri {
  const file = path.join(workspaceDir(), name);
  writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Polls until `fn` returns a truthy value; never a fixed sleep. */
export async function poll<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
