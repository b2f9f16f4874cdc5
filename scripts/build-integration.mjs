// Bundles the integration suites (test/integration/suite/*.test.ts) for the extension host:
// out/integration/*.test.js, with vscode external. Used by test/e2e/integration.test.mjs and
// by .vscode-test.mjs (desktop VS Code through @vscode/test-cli).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const dir = 'test/integration/suite';
await esbuild.build({
  entryPoints: readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`),
  outdir: 'out/integration',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
});
