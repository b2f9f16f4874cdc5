// Renders the marketplace icon (media/icon.png, 128x128) from an SVG with Debian's Chromium.
// Run once after changing the design: node scripts/make-icon.mjs
import { chromium } from 'playwright-core';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1e2a44"/>
  <g stroke="#8fb3ff" stroke-opacity="0.55" stroke-width="3">
    <path d="M28 40 L64 26 M28 40 L64 64 M28 40 L64 102 M28 88 L64 26 M28 88 L64 64 M28 88 L64 102 M64 26 L100 64 M64 64 L100 64 M64 102 L100 64"/>
  </g>
  <circle cx="28" cy="40" r="10" fill="#7aa2f7"/><circle cx="28" cy="88" r="10" fill="#7aa2f7"/>
  <circle cx="64" cy="26" r="10" fill="#9ece6a"/><circle cx="64" cy="64" r="10" fill="#9ece6a"/><circle cx="64" cy="102" r="10" fill="#9ece6a"/>
  <circle cx="100" cy="64" r="12" fill="#f7768e"/>
</svg>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: 'media/icon.png', omitBackground: true });
await browser.close();
