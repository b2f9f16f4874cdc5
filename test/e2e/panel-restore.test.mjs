// The designer beside the spec (nnspec: Open Designer to the Side) in a real VS Code
// (code-server) driven by Chromium: after a window reload VS Code restores the panel through the
// extension's webview panel serializer, showing the spec. Screenshot in test-artifacts/e2e/.

import { after, before, describe, it } from 'node:test';
import { designerFrame, openFile, openVsCode, runCommand, shot, until } from './helpers.mjs';

describe('the designer panel across a window reload', { timeout: 300_000 }, () => {
  let ctx;
  before(async () => {
    ctx = await openVsCode('Default Light Modern', { viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await ctx?.browser.close();
    ctx?.server.stop();
  });

  it('comes back after a reload, showing the spec', async () => {
    const { page } = ctx;
    await openFile(page, 'planar.nnspec');
    await runCommand(page, 'nnspec: Open Designer to the Side');
    // the panel (wider than the sidebar's designer) shows planar's first layer: 4 units
    const panel = () => designerFrame(page, async (frame) => (await frame.evaluate(() => document.documentElement.clientWidth)) > 420);
    const showsPlanar = async (frame) => {
      const units = frame.locator('[data-testid="units-1"]');
      return (await units.count()) > 0 && (await units.evaluate((el) => el.value)) === '4';
    };
    const before = await panel();
    await until('the panel with the planar net', () => showsPlanar(before), 60_000);

    // as a user reloads: the workbench saves its state (the open editors, the panel) first
    await Promise.all([page.waitForNavigation({ timeout: 90_000 }), runCommand(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const restored = await panel().catch(async (err) => {
      await shot(page, 'designer-panel-restore-failed');
      throw err;
    });
    await until('the planar net in the restored panel', () => showsPlanar(restored), 60_000);
    await shot(page, 'designer-panel-restored');
  });
});
