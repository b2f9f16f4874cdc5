// The course's lab in a real VS Code (code-server) driven by Chromium, each feature end to end
// from the command palette or the designer, its numbers checked against the built CLI on the same
// files: a sweep (quick pick, input box prefilled, the designer's curves and table, a row written
// into the spec and undone in one step), the step inspector (iteration 0 and a paused run), the
// gradient check (notification and designer), logistic regression's graph, the pictures
// (mislabelled test images after training, Predict an Image with a PNG) and the metrics (designer
// and report). Screenshots go to test-artifacts/e2e/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { designerFrame, editorText, openFile, openVsCode, ROOT, runCommand, shot, until } from './helpers.mjs';

const CLI = path.join(ROOT, 'dist', 'cli.js');
function cli(...args) {
  try {
    return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // a gradient check that fails, a sweep with an error: exit status 1, the output is still the answer
    if (err.stdout) return err.stdout;
    throw err;
  }
}

/** As the designer and `nnspec step` print a statistic (src/shared/model/numbers.ts statText). */
function statText(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(6).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Answers the quick input: types `text` and presses Enter (a pick's label, or a value). */
async function quickInput(page, text, { pick } = {}) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  if (pick) await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The designer panel beside the editor (wider than the sidebar's). */
function panelFrame(page) {
  return designerFrame(page, async (frame) => (await frame.evaluate(() => document.documentElement.clientWidth)) > 420);
}

/** Opens a spec in the first editor group, with the designer panel beside it. */
async function openSpec(page, name) {
  await page.keyboard.press('Control+1');
  await openFile(page, name);
  await runCommand(page, 'nnspec: Open Designer to the Side');
  return panelFrame(page);
}

/** A screenshot without the notifications over the designer. */
async function cleanShot(page, name) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await shot(page, name);
}

async function labTab(frame, tab) {
  await frame.locator(`[data-testid="lab-tab-${tab}"]`).click();
  await frame.locator('[data-testid="lab"]').scrollIntoViewIfNeeded();
}

describe('the lab in a real VS Code', { timeout: 900_000 }, () => {
  let ctx;
  before(async () => {
    ctx = await openVsCode('Default Light Modern', { viewport: { width: 1600, height: 1000 } });
    // a short logistic regression on the cat pictures, for the pictures and the metrics
    const spec = readFileSync(path.join(ctx.server.workspace, 'logistic-regression.nnspec'), 'utf8').replace('iterations 2000', 'iterations 300');
    writeFileSync(path.join(ctx.server.workspace, 'cat-short.nnspec'), spec);
    // the editor and the designer beside it share the window
    await runCommand(ctx.page, 'View: Toggle Primary Side Bar Visibility');
  });
  after(async () => {
    await ctx?.browser.close();
    ctx?.server.stop();
  });

  it('Run Sweep...: the key from a quick pick, the values in an input box prefilled with the file’s, the runs in the designer as the CLI gives them; a row writes its settings, one undo puts them back', async () => {
    const { page, server } = ctx;
    await openFile(page, 'planar.nnspec');
    await runCommand(page, 'nnspec: Run Sweep...');
    await quickInput(page, 'layer1.units', { pick: 'layer1.units' });
    const input = page.locator('.quick-input-widget input');
    await until('the values prefilled with the file’s', async () => (await input.inputValue()) === '4');
    await quickInput(page, '1,2,3');
    await quickInput(page, 'No second', { pick: 'No second setting' });
    const frame = await panelFrame(page);
    await until('the sweep to finish', async () => /^3 runs done in [\d.]+ s/.test(await frame.locator('[data-testid="sweep-status"]').innerText()), 120_000);
    const expected = JSON.parse(cli('sweep', path.join(server.workspace, 'planar.nnspec'), '--vary', 'layer1.units=1,2,3', '--json'));
    for (let i = 0; i < 3; i++) {
      const row = await frame.locator(`[data-testid="sweep-row-${i}"]`).innerText();
      const r = expected.runs[i];
      assert.match(row, new RegExp(`^\\s*${i + 1}\\s+${r.final_cost.toPrecision(6).replace('.', '\\.')}\\s+${(r.train_accuracy * 100).toFixed(2).replace('.', '\\.')} %`), `row ${i}: ${row}`);
    }
    assert.match(await frame.locator('[data-testid="sweep-chart"]').getAttribute('aria-label'), /layer1\.units=3: final cost/);
    await frame.locator('[data-testid="lab"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await cleanShot(page, 'lab-sweep');
    await frame.locator('[data-testid="sweep-use-2"]').click();
    await until('dense 3 tanh in the editor', async () => /^dense 3 tanh/m.test(await editorText(page)));
    await page.locator('.monaco-editor .view-line', { hasText: 'dense 3 tanh' }).first().click();
    await page.keyboard.press('Control+Z');
    await until('one undo to put it back', async () => /^dense 4 tanh/m.test(await editorText(page)));
  });

  it('Show Step Inspector: forward then backward at iteration 0, and at a paused run’s iteration, as `nnspec step` prints them', async () => {
    const { page, server } = ctx;
    await openFile(page, 'planar.nnspec');
    await runCommand(page, 'nnspec: Show Step Inspector');
    const frame = await panelFrame(page);
    await until('the pass at iteration 0', async () => /^Iteration 0: the initial parameters/.test(await frame.locator('[data-testid="step-status"]').innerText()), 60_000);
    const file = path.join(server.workspace, 'planar.nnspec');
    const check = async (iteration) => {
      const json = JSON.parse(cli('step', file, '--iteration', String(iteration), '--json'));
      for (const [q, l] of [['Z', 1], ['dW', 2], ['db', 1]]) {
        const s = json.layers[l - 1][q];
        const text = await frame.locator(`[data-testid="step-${q}-${l}"]`).innerText();
        assert.ok(text.includes(`(${s.shape[0]}, ${s.shape[1]})`), text);
        assert.match(text, new RegExp(`min\\s+${statText(s.min).replace(/[.+-]/g, '\\$&')}\\s+mean\\s+${statText(s.mean).replace(/[.+-]/g, '\\$&')}\\s+max\\s+${statText(s.max).replace(/[.+-]/g, '\\$&')}`), `${q}[${l}] at ${iteration}: ${text}`);
      }
      assert.equal(await frame.locator('[data-testid="step-cost"]').innerText(), statText(json.cost));
    };
    await check(0);
    await frame.locator('[data-testid="lab"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await cleanShot(page, 'lab-step');
    // Step in the designer: a run paused after one iteration; its own worker answers
    await frame.locator('[data-testid="step"]').click();
    await until('the run paused at iteration 1', async () => (await frame.locator('[data-testid="iteration-value"]').innerText()) === '1');
    await frame.locator('[data-testid="lab-tab-step"]').click();
    await frame.locator('[data-testid="step-current"]').click();
    await until('the pass of the paused run', async () => /^Iteration 1: Run \d+ at iteration 1 \(paused\)/.test(await frame.locator('[data-testid="step-status"]').innerText()), 60_000);
    await check(1);
    await frame.locator('[data-testid="reset"]').click();
  });

  it('Check Gradients: a progress notification, the verdict in a notification and in the designer, the CLI’s difference', async () => {
    const { page, server } = ctx;
    await openSpec(page, 'planar.nnspec');
    await runCommand(page, 'nnspec: Check Gradients');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'the gradient check of planar.nnspec' });
    await toast.first().waitFor({ timeout: 120_000 });
    const json = JSON.parse(cli('gradcheck', path.join(server.workspace, 'planar.nnspec'), '--json'));
    const text = await toast.first().innerText();
    assert.match(text, new RegExp(`${json.verdict === 'passed' ? 'passed' : json.verdict === 'warning' ? 'gave a warning' : 'failed'}: difference ${json.difference.toExponential(2).replace(/[.+-]/g, '\\$&')} \\(layer 1`));
    const frame = await panelFrame(page);
    await until('the verdict in the designer', async () => (await frame.locator('[data-testid="gradcheck-difference"]').count()) > 0);
    assert.equal(await frame.locator('[data-testid="gradcheck-difference"]').innerText(), json.difference.toExponential(3));
    await cleanShot(page, 'lab-gradcheck');
  });

  it('logistic regression as a computation graph: an example chosen in the designer, its values those of `nnspec step --graph`', async () => {
    const { page, server } = ctx;
    const frame = await openSpec(page, 'logistic-regression.nnspec');
    await until('the designer on the logistic regression', async () => (await frame.locator('[data-testid="lab-tab-graph"]').isVisible()));
    await labTab(frame, 'graph');
    const example = frame.locator('[data-testid="graph-example"] input');
    await example.fill('3');
    await example.press('Enter');
    await until('the graph of example 3', async () => /^Example 3, y = [01], at the initial parameters/.test(await frame.locator('[data-testid="graph-status"]').innerText()), 60_000);
    const json = JSON.parse(cli('step', path.join(server.workspace, 'logistic-regression.nnspec'), '--graph', '--example', '3', '--json'));
    for (const k of ['z', 'a', 'loss', 'dz', 'db']) {
      const shown = (await frame.locator(`[data-testid="graph-${k}"] td.num`).innerText()).trim();
      assert.equal(shown, statText(json[k]), `${k}`);
    }
    await frame.locator('[data-testid="graph-next"]').click();
    await until('example 4', async () => /^Example 4,/.test(await frame.locator('[data-testid="graph-status"]').innerText()), 60_000);
    await frame.locator('[data-testid="graph-body"]').scrollIntoViewIfNeeded();
    await cleanShot(page, 'lab-graph');
  });

  it('after training an image spec: the mislabelled test images, Predict an Image with a PNG, and the metrics in the designer and the report', async () => {
    const { page, server } = ctx;
    await openSpec(page, 'cat-short.nnspec');
    await runCommand(page, 'nnspec: Train Network');
    const modelFile = path.join(server.workspace, 'cat-short.model.json');
    await until('the trained model', () => existsSync(modelFile) && JSON.parse(readFileSync(modelFile, 'utf8')).iterations === 300, 180_000, 500);
    const model = JSON.parse(readFileSync(modelFile, 'utf8'));
    const frame = await panelFrame(page);
    await labTab(frame, 'pictures');
    const wrong = Math.round((1 - model.testAccuracy) * 50);
    await until('the mislabelled test images', async () => (await frame.locator('.picture-card').count()) === wrong, 60_000);
    assert.match(await frame.locator('[data-testid="mislabelled-status"]').innerText(), new RegExp(`^${wrong} test images are mislabelled of 50`));
    // the first mistake, as the designer drew it (64×64, exactly its pixels), saved as a PNG
    const card = frame.locator('.picture-card').first();
    const label = await card.getAttribute('aria-label');
    const [, index, probability] = /^Test example (\d+): label [01], the network gives ([\d.]+) for label 1/.exec(label);
    const png = await card.locator('canvas').evaluate((c) => c.toDataURL('image/png'));
    const picture = path.join(server.workspace, 'mistake.png');
    writeFileSync(picture, Buffer.from(png.split(',')[1], 'base64'));
    await card.scrollIntoViewIfNeeded();
    await cleanShot(page, 'lab-mislabelled');
    // Predict an Image: the open dialog (code-server's own), the picture decoded in the webview
    await runCommand(page, 'nnspec: Predict an Image...');
    // code-server's open dialog: a quick input that starts at a folder's path
    const dialog = page.locator('.quick-input-widget input');
    await until('the open dialog', async () => (await dialog.isVisible()) && (await dialog.inputValue()).startsWith('/'), 30_000).catch(async (err) => {
      await shot(page, 'lab-predict-failed');
      throw err;
    });
    await quickInput(page, picture);
    await until('the prediction', async () => (await frame.locator('[data-testid="prediction-probability"]').count()) > 0, 60_000);
    assert.equal(await frame.locator('[data-testid="prediction-probability"]').innerText(), probability, `test example ${index} as a PNG: the network's probability for it`);
    await frame.locator('[data-testid="prediction"]').scrollIntoViewIfNeeded();
    await cleanShot(page, 'lab-predict');
    // the metrics, as the saved model (and `nnspec train --json`) has them
    await labTab(frame, 'metrics');
    for (const [set, m] of [['train', model.trainMetrics], ['test', model.testMetrics]]) {
      for (const k of ['tp', 'fp', 'tn', 'fn']) assert.equal(await frame.locator(`[data-testid="${set}-${k}"]`).innerText(), String(m[k]), `${set} ${k}`);
      for (const k of ['precision', 'recall', 'f1']) assert.equal(await frame.locator(`[data-testid="${set}-${k}"]`).innerText(), m[k] === null ? '–' : m[k].toFixed(4), `${set} ${k}`);
    }
    await cleanShot(page, 'lab-metrics');
    // and the training report
    await runCommand(page, 'nnspec: Show Last Training Report');
    const report = await until('the report with its metrics', async () => {
      for (const f of page.frames()) {
        const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (/Precision TP \/ \(TP \+ FP\)/.test(text)) return text;
      }
      return undefined;
    }, 60_000);
    assert.match(report, new RegExp(`Precision TP / \\(TP \\+ FP\\)\\s+${model.trainMetrics.precision === null ? '–' : model.trainMetrics.precision.toFixed(4)}`));
  });
});
