// Runs the API-level integration suites (test/integration/suite) inside the real extension
// host of code-server, and reports each of them here as a node:test subtest. A browser
// connects so that the workbench starts the extension host.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM, LAUNCH_ARGS, until } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'integration');

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
    // what the workbench complained about, printed when a suite fails (a webview that never
    // loads, failed requests)
    const browserLog = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && browserLog.push(`${m.type()}: ${m.text().slice(0, 300)}`));
    page.on('requestfailed', (r) => browserLog.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('pageerror', (e) => browserLog.push(`page error: ${e}`));
    await page.goto(server.url);
    const report = await until(
      'the integration results',
      () => existsSync(results) && JSON.parse(readFileSync(results, 'utf8')).done && JSON.parse(readFileSync(results, 'utf8')),
      300_000,
      500,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-at-end.png') });
    if (report.results.some((r) => r.state !== 'passed')) console.error(`the workbench's console:\n${browserLog.join('\n')}`);
    assert.ok(report.results.length >= 15, `${report.results.length} integration tests ran`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state !== 'passed') assert.fail(r.error);
      });
    }
  });
});
