// For people with internet access: runs the same integration suites in desktop VS Code
// through @vscode/test-cli (`npx vscode-test` after `npm run build && npm run build:integration`).
// On machines without internet, test/e2e/integration.test.mjs runs them in code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/integration/*.test.js',
  workspaceFolder: './examples',
  version: '1.100.0',
  mocha: { ui: 'tdd', timeout: 120000 },
});
