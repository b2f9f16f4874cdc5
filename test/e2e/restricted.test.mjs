// Restricted Mode in a real VS Code (code-server with workspace trust on, the examples folder not
// trusted): the language works without the data, data files are not read (an information
// diagnostic on the data line says so), and training is refused with a Manage Workspace Trust
// action. Screenshots in test-artifacts/e2e/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { CHROMIUM, LAUNCH_ARGS, hoverText, until } from './helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

describe('nnspec in Restricted Mode (an untrusted workspace)', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let page;
  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    installCodeServer();
    server = await startCodeServer({ theme: 'Default Light Modern', restricted: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(server.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });

  async function quickOpen(prefix, text) {
    await page.keyboard.press(prefix === '>' ? 'Control+Shift+P' : 'Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(prefix === '>' ? `>${text}` : text);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
    await page.keyboard.press('Enter');
  }

  it('the window is in Restricted Mode', async () => {
    await until('the Restricted Mode indicator', async () => (await page.getByText('Restricted Mode').count()) > 0, 60_000);
  });

  it('checks and hovers the spec without reading its data, and says so on the data line', async () => {
    await quickOpen('', 'cat-2layer.nnspec');
    await page.locator('.tab.active', { hasText: 'cat-2layer.nnspec' }).waitFor();
    // the hover works (shapes with m unknown: the data was not read)
    const line = page.locator('.monaco-editor .view-line', { hasText: 'dense 7 relu' }).first();
    const hover = await hoverText(page, line, 'Layer 1');
    assert.match(hover, /W\[1\]/);
    await page.mouse.move(5, 5);
    // the Problems panel: an information about the data lines, no error
    await quickOpen('>', 'View: Focus Problems');
    const problems = await until('the Restricted Mode note in the Problems panel', async () => {
      const text = await page.locator('.markers-panel').innerText().catch(() => '');
      return /Restricted Mode/i.test(text) && text;
    }, 60_000);
    assert.match(problems, /not read/i);
    await page.screenshot({ path: path.join(ARTIFACTS, 'restricted-mode.png') });
  });

  it('refuses to train, with a Manage Workspace Trust action', async () => {
    await quickOpen('', 'cat-2layer.nnspec');
    await quickOpen('>', 'nnspec: Train Network');
    const toast = page.locator('.notification-toast', { hasText: /trust/i }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.ok(await toast.getByRole('button', { name: 'Manage Workspace Trust' }).isVisible());
    assert.ok(!existsSync(path.join(server.workspace, 'cat-2layer.model.json')), 'no model written');
    await page.screenshot({ path: path.join(ARTIFACTS, 'restricted-train.png') });
  });
});
