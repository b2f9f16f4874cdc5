// Shared by the e2e tests (not a test file itself).

import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Polls `fn` until it returns a truthy value (never a fixed sleep). */
export async function until(what, fn, timeoutMs = 30_000, everyMs = 200) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/**
 * Hovers `line` until a hover whose title matches `title` shows, and returns the hover's text.
 * The mouse leaves and comes back every 2.5 s (longer than the hover delay) in case the first
 * hover came before the extension had activated.
 */
export async function hoverText(page, line, title) {
  let lastMove = 0;
  return until('the hover', async () => {
    if (Date.now() - lastMove > 2500) {
      const box = await line.boundingBox();
      if (!box) return false;
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x + 10, box.y + box.height / 2);
      await page.mouse.move(box.x + 15, box.y + box.height / 2);
      lastMove = Date.now();
    }
    const heading = page.getByText(title).first();
    if (!(await heading.isVisible())) return false;
    // the whole hover: the nearest ancestor that also holds the matrix table
    return heading.evaluate((el) => {
      let node = el;
      while (node && !/dW\[\d\]/.test(node.innerText)) node = node.parentElement;
      return node ? node.innerText : '';
    });
  }, 60_000);
}


/** code-server with the extension and a copy of examples/, and Chromium on it. */
export async function openVsCode(theme, options = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  installCodeServer();
  const server = await startCodeServer({ theme, ...options });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1500, height: 950 } });
  await page.goto(server.url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  return { server, browser, page };
}

/** Runs a command from the palette by its title. */
export async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a file of the workspace with Quick Open. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-line').first().waitFor();
}

/** The visible editor text (Monaco renders spaces as no-break spaces). */
export async function editorText(page) {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** The designer's frame (webviews are nested iframes): the first found, or the one `which` picks. */
export async function designerFrame(page, which = () => true) {
  return until('the designer webview', async () => {
    for (const frame of page.frames()) {
      if ((await frame.$('[data-testid="designer"]').catch(() => null)) && (await which(frame))) return frame;
    }
    return undefined;
  }, 60_000);
}

export function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
