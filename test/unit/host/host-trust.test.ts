// The host's trust model as units (no vscode needed): the data checks in Restricted Mode and
// for files outside the workspace or over the limits (src/host/dataChecks.ts), which actions
// Restricted Mode turns off (src/host/trust.ts), the designer's openFile allow-list
// (src/host/designer/openFileGuard.ts), the report's escaping (src/host/training/report.ts), and
// what package.json declares (capabilities, setting scopes, the data worker bundle).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dataChecks, RESTRICTED_DATA_MESSAGE, type AskData } from '../../../src/host/dataChecks';
import { OpenFileGuard } from '../../../src/host/designer/openFileGuard';
import { escapeMarkdown, reportMarkdown, type TrainingReport } from '../../../src/host/training/report';
import { refusal } from '../../../src/host/trust';
import { checkSpec, parseSpec } from '../../../src/language';
import type { FileDataSource } from '../../../src/shared/model/spec';
import type { InspectAnswer } from '../../../src/trainer/dataClient';

const ROOT = path.join(__dirname, '..', '..', '..');
const SPEC = 'input 2\ndense 4 tanh\ndense 1 sigmoid\ndata train "data/a.csv"\ndata test flower m=50\n';
const summary = { features: 2, m: 1000, labels: { binary: true, distinct: [0, 1] } };

/** A reader that records what it was asked and answers from a table by path. */
function reader(answers: Record<string, InspectAnswer>): { ask: AskData; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: async (source: FileDataSource) => {
      asked.push(source.path);
      return answers[source.path] ?? { summary, cached: false };
    },
  };
}

describe('data checks: Restricted Mode', () => {
  it('reads no data file, and says so with an information diagnostic on the data line', async () => {
    const parsed = parseSpec(SPEC);
    const { ask, asked } = reader({});
    const result = await dataChecks(parsed, { trusted: false }, ask);
    assert.deepEqual(asked, []);
    assert.deepEqual(result.diagnostics, [
      { severity: 'info', code: 'nnspec-data-restricted', message: RESTRICTED_DATA_MESSAGE, range: { start: { line: 3, character: 11 }, end: { line: 3, character: 23 } } },
    ]);
    // the generated test set needs no file: known in any mode
    assert.deepEqual(result.facts, { test: { features: 2, m: 50, labels: { binary: true, distinct: [0, 1] } } });
    assert.equal(Object.hasOwn(result.facts, 'train'), false);
    // and the language's checks run without the data: nothing else is reported
    assert.deepEqual(checkSpec(parsed, result.facts).map((d) => d.code), []);
  });

  it('in a trusted workspace the file is read and its facts reach the checks', async () => {
    const parsed = parseSpec(SPEC.replace('input 2', 'input 3'));
    const { ask, asked } = reader({});
    const result = await dataChecks(parsed, { trusted: true }, ask);
    assert.deepEqual(asked, ['data/a.csv']);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.facts.train, summary);
    assert.deepEqual(checkSpec(parsed, result.facts).map((d) => d.code), ['nnspec-input-mismatch', 'nnspec-input-mismatch']);
  });

  it('an untitled document (no folder) reads nothing and reports nothing', async () => {
    const result = await dataChecks(parseSpec(SPEC), { trusted: true }, undefined);
    assert.deepEqual([result.diagnostics, Object.keys(result.facts)], [[], ['test']]);
  });
});

describe('data checks: where the file is and how large', () => {
  const parsed = parseSpec(SPEC);
  const codes = async (answer: InspectAnswer) => {
    const { ask } = reader({ 'data/a.csv': answer });
    const result = await dataChecks(parsed, { trusted: true }, ask);
    return { result, codes: result.diagnostics.map((d) => `${d.severity} ${d.code}`) };
  };

  it('a file outside the workspace (real path, symlinks resolved) is read, with a warning naming where it is', async () => {
    const { result, codes: c } = await codes({ summary, cached: false, realPath: '/home/someone/.ssh/a.csv', outside: true });
    assert.deepEqual(c, ['warning nnspec-data-outside-workspace']);
    assert.equal(result.diagnostics[0].message, "The train data 'data/a.csv' is outside the workspace folder (it is /home/someone/.ssh/a.csv): nnspec reads it, but check that you meant it.");
    assert.deepEqual(result.facts.train, summary);
  });

  it('over the size limit: a warning and no facts; over the budget: an error; abandoned: a warning; unreadable: the checks report it', async () => {
    assert.deepEqual((await codes({ error: 'too big.', kind: 'data', refusal: 'file-too-large' })).codes, ['warning nnspec-data-too-large']);
    assert.deepEqual((await codes({ error: 'over.', kind: 'data', refusal: 'over-budget' })).codes, ['error nnspec-data-over-budget']);
    assert.deepEqual((await codes({ error: 'slow.', kind: 'timeout' })).codes, ['warning nnspec-data-not-checked']);
    assert.deepEqual((await codes({ error: 'oom.', kind: 'worker' })).codes, ['warning nnspec-data-not-checked']);
    const unreadable = await codes({ error: "Data file 'data/a.csv' line 3: ...", kind: 'data', realPath: '/w/data/a.csv', outside: false });
    assert.deepEqual(unreadable.codes, []);
    assert.deepEqual(unreadable.result.facts.train, { error: "Data file 'data/a.csv' line 3: ..." });
    assert.deepEqual(checkSpec(parsed, unreadable.result.facts).map((d) => d.code), ['nnspec-data-unreadable']);
    const big = await codes({ error: 'too big.', kind: 'data', refusal: 'file-too-large' });
    assert.equal(big.result.facts.train, undefined);
    assert.equal(big.result.diagnostics[0].message, 'too big. The checks against it are skipped.');
  });
});

describe('Restricted Mode: what is off', () => {
  it('training, the live preview and opening models are refused with a message in an untrusted workspace only', () => {
    for (const action of ['train', 'livePreview', 'openModel'] as const) {
      assert.equal(refusal(action, true), undefined);
      assert.match(refusal(action, false)!, /^nnspec: .*, so it is off in Restricted Mode\. Trust this workspace to use it\.$/);
    }
    assert.equal(refusal('train', false), 'nnspec: Training reads data files and writes the trained model, so it is off in Restricted Mode. Trust this workspace to use it.');
  });
});

describe("the designer's openFile: only what the host listed", () => {
  it('opens a listed spec file, refuses anything else', () => {
    const guard = new OpenFileGuard();
    assert.deepEqual(guard.check('file:///w/a.nnspec'), { refused: 'The designer can only open the spec files it lists.' });
    guard.listed(['file:///w/a.nnspec', 'file:///w/sub/b.nnspec']);
    assert.deepEqual(guard.check('file:///w/a.nnspec'), { uri: 'file:///w/a.nnspec' });
    assert.deepEqual(guard.check('file:///w/sub/b.nnspec'), { uri: 'file:///w/sub/b.nnspec' });
    for (const hostile of ['file:///etc/passwd', 'command:workbench.action.terminal.new', 'https://example.com/x', 'file:///w/a.nnspec#', 'FILE:///w/a.nnspec', 42, undefined, 'constructor', '__proto__']) {
      assert.ok('refused' in guard.check(hostile), String(hostile));
    }
    // listed earlier stays allowed (a state message in flight may still show it)
    guard.listed([]);
    assert.deepEqual(guard.check('file:///w/a.nnspec'), { uri: 'file:///w/a.nnspec' });
  });
});

describe('the training report escapes every string from the spec', () => {
  // VS Code's Markdown preview is markdown-it with HTML and linkify on
  const MarkdownIt = require('markdown-it');
  const md = new MarkdownIt({ html: true, linkify: true });
  const report = (name: string, file = '/w/a.nnspec', dataPath = 'data/a.csv'): TrainingReport => {
    const spec = parseSpec(`network "x"\ninput 2\ndense 1 sigmoid\ndata train "${dataPath}"\n`).spec;
    return { name, file, spec, costs: [[0, 0.69]], trainAccuracy: 1, testAccuracy: null, iterations: 1, seconds: 0.1, modelPath: '/w/a.model.json', date: '2025-01-01T00:00:00Z' };
  };

  it('a network named as an image renders as text and loads nothing', () => {
    const hostile = ['![](https://x/beacon.png)', '<img src="https://x/b.png">', '<script>alert(1)</script>', '[click](command:workbench.action.terminal.new)', '`code` *bold* _u_ # h', 'a\n\n![](https://x/2.png)'];
    for (const name of hostile) {
      const html = md.render(reportMarkdown(report(name)));
      assert.doesNotMatch(html, /<img|<script|<a |href=/i, name);
      // the heading shows the name as written (control characters escaped)
      const heading = /<h1>Training report: (.*)<\/h1>/.exec(html)![1];
      const text = heading.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      assert.equal(text, name.replace(/\n/g, '\\n'), name);
    }
  });

  it('paths (the spec, the model, the data) cannot break out either', () => {
    const html = md.render(reportMarkdown(report('ok', '/w/`a`<img src=x>.nnspec', 'x](https://y/z.png) ![a.csv')));
    assert.doesNotMatch(html, /<img|<a |href=/i);
    assert.match(html, /Spec: \/w\/`a`&lt;img src=x&gt;\.nnspec/);
  });

  it('escapeMarkdown keeps plain text readable and short', () => {
    assert.equal(escapeMarkdown('planar net 2'), 'planar net 2');
    assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
    assert.equal(escapeMarkdown('x'.repeat(300)), 'x'.repeat(200) + '…');
  });
});

describe('package.json: the trust model as declared', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('limited support in untrusted and virtual workspaces, with the settings a workspace may not set', () => {
    const { untrustedWorkspaces, virtualWorkspaces } = pkg.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.ok(untrustedWorkspaces.description.length > 40);
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations, ['nnspec.training.modelLocation', 'nnspec.training.memoryBudgetMB', 'nnspec.data.maxFileMB', 'nnspec.livePreview.enabled']);
    assert.equal(virtualWorkspaces.supported, 'limited');
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['nnspec.training.modelLocation'].scope, 'machine');
    assert.equal(props['nnspec.data.maxFileMB'].scope, 'machine');
    assert.equal(props['nnspec.data.maxFileMB'].default, 512);
  });

  it('the data worker is bundled and packaged', () => {
    assert.match(readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8'), /dataWorker: 'src\/trainer\/dataWorker\.ts'/);
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!dist\/dataWorker\.js$/m);
  });
});
