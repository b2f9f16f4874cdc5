// For people with internet access: runs the same integration suites in desktop VS Code
// through @vscode/test-cli (`npx vscode-test` after `npm run build && npm run build:integration`).
// On machines without internet, test/e2e/integration.test.mjs runs them in code-server.
// The suites write files into the workspace, so it is a fresh copy of examples/ each run.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const workspace = path.join(mkdtempSync(path.join(tmpdir(), 'nnspec-vscode-test-')), 'workspace');
cpSync('examples', workspace, { recursive: true });

export default defineConfig({
  files: 'out/integration/*.test.js',
  workspaceFolder: workspace,
  version: '1.100.0',
  mocha: { ui: 'tdd', timeout: 120000 },
});
