// The packaged extension: `npm run package` makes a VSIX that installs into a real VS Code
// with --install-extension and works there (language features and the bundled worker).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM, LAUNCH_ARGS, hoverText } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = path.join(ROOT, 'nnspec.vsix');

describe('the VSIX', { timeout: 300_000 }, () => {
  let server;
  let browser;
  before(() => {
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    installCodeServer();
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });

  it('is small: under 2 MB', () => {
    assert.ok(existsSync(VSIX));
    const size = statSync(VSIX).size;
    assert.ok(size < 2 * 1024 * 1024, `VSIX is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  it('installs with --install-extension and checks a spec in the editor', async () => {
    server = await startCodeServer({ vsix: VSIX, theme: 'Default Light Modern' });
    assert.ok(existsSync(path.join(server.home, 'extensions')), 'extensions dir');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('cat-4layer.nnspec');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'cat-4layer.nnspec' }).first().waitFor();
    await page.keyboard.press('Enter');
    // the installed extension reads the HDF5 data (h5wasm from the VSIX) and knows m = 209
    const hint = page.locator('.monaco-editor .view-line', { hasText: 'W(20, 12288)' }).first();
    await hint.waitFor({ timeout: 60_000 });
    const line = page.locator('.monaco-editor .view-line', { hasText: 'dense 20 relu' }).first();
    const hover = await hoverText(page, line, /of 4 \(hidden layer\)/);
    assert.match(hover, /Z\[1\], A\[1\]\s+\(20, 209\)/);
  });
});
