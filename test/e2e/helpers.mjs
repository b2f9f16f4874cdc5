// Shared by the e2e tests (not a test file itself).

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

