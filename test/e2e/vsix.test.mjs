// The packaged extension: `npm run package` makes a VSIX that installs into a real VS Code
// with --install-extension and works there (language features, the bundled worker and its
// WebAssembly kernels).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM, LAUNCH_ARGS, hoverText, until } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = path.join(ROOT, 'nnspec.vsix');

describe('the VSIX', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let page;
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
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
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
    // the data is read in the data worker: until it is, the hover says (20, m)
    const hover = await until('the hover with m = 209', async () => {
      const text = await hoverText(page, line, /of 4 \(hidden layer\)/);
      await page.mouse.move(5, 5);
      return /\(20, 209\)/.test(text) && text;
    }, 90_000, 1000);
    assert.match(hover, /Z\[1\], A\[1\]\s+\(20, 209\)/);
  });

  it('trains with the packaged WebAssembly kernels on two threads', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('planar.nnspec');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'planar.nnspec' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'planar.nnspec' }).waitFor();
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>nnspec: Train Network');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'nnspec: Train Network' }).first().waitFor();
    await page.keyboard.press('Enter');
    const modelFile = path.join(server.workspace, 'planar.model.json');
    await until('planar.model.json', () => existsSync(modelFile) && JSON.parse(readFileSync(modelFile, 'utf8')).iterations === 10000, 120_000, 500);
    assert.equal((JSON.parse(readFileSync(modelFile, 'utf8')).trainAccuracy * 100).toFixed(2), '90.75');
    // the output channel names the kernels the run used
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Output: Show Output Channels');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Output Channels' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'nnspec' }).first().click();
    const output = await until('the output channel', async () => {
      // the Output view is an editor in the panel; its lines as the page shows them
      const text = await page.evaluate(() => Array.from(document.querySelectorAll('.view-line'), (l) => l.textContent ?? '').join('\n'));
      return /matrix products:/.test(text.replace(/\u00a0/g, ' ')) && text.replace(/\u00a0/g, ' ');
    }, 30_000);
    assert.match(output, /matrix products: WebAssembly SIMD, 2 threads/);
  });
});
