// Runs the API-level integration suites (test/integration/suite) inside the real extension
// host of code-server, and reports each of them here as a node:test subtest. A browser
// connects so that the workbench starts the extension host.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM, LAUNCH_ARGS, until } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('integration suites in the real extension host', { timeout: 600_000 }, () => {
  let server;
  let browser;
  after(async () => {
    await browser?.close();
    server?.stop();
  });

  it('runs every suite against the real vscode API', async (t) => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-integration.mjs')], { cwd: ROOT, stdio: 'inherit' });
    installCodeServer();
    const results = path.join(mkdtempSync(path.join(tmpdir(), 'nnspec-it-')), 'results.json');
    server = await startCodeServer({
      env: { NNSPEC_INTEGRATION_RESULTS: results },
      extraExtensions: [path.join(ROOT, 'test', 'integration', 'runner')],
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const page = await browser.newPage();
    await page.goto(server.url);
    const report = await until(
      'the integration results',
      () => existsSync(results) && JSON.parse(readFileSync(results, 'utf8')).done && JSON.parse(readFileSync(results, 'utf8')),
      300_000,
      500,
    );
    assert.ok(report.results.length >= 14, `${report.results.length} integration tests ran`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state !== 'passed') assert.fail(r.error);
      });
    }
  });
});
