// nnspec: Export Model... (src/host/exportCommand.ts) against a stand-in for the `vscode` module:
// which model it exports (a .model.json, the model trained from the spec's current text, a run
// now, or the initial parameters), the quick pick and save dialog it shows, the files it
// writes, and its errors as notifications with an action. The real workbench runs the same
// command in the integration suites; these tests need no code-server.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { checkSpec, parseSpec } from '../../../src/language';
import type { DoneMessage } from '../../../src/shared/wire/training';
import type { SavedModel } from '../../../src/shared/model/results';
import { loadDataset } from '../../../src/trainer/datasets';
import { TrainingRun } from '../../../src/trainer/run';
import { runCli, tempSpecs } from '../harness/cliHarness';
import { readNpz } from '../harness/exportHarness';

// ---------------------------------------------------------------------------- a stand-in for vscode

class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

interface Shown {
  kind: 'info' | 'error' | 'warning';
  message: string;
  actions: string[];
}

const ui = {
  /** answers to quick picks, by the label to pick (undefined: dismissed) */
  picks: [] as (string | undefined)[],
  pickTitles: [] as string[],
  /** answers to save dialogs */
  saves: [] as (string | undefined)[],
  shown: [] as Shown[],
  executed: [] as string[],
  activeEditor: undefined as { document: FakeDocument } | undefined,
};

interface FakeDocument {
  uri: Uri;
  fileName: string;
  languageId: string;
  version: number;
  isClosed: boolean;
  getText(): string;
}

function documentOf(uri: Uri): FakeDocument {
  return { uri, fileName: uri.fsPath, languageId: uri.fsPath.endsWith('.nnspec') ? 'nnspec' : 'json', version: 1, isClosed: false, getText: () => readFileSync(uri.fsPath, 'utf8') };
}

const commands = new Map<string, (...args: unknown[]) => unknown>();
const show = (kind: Shown['kind']) => (message: string, ...actions: string[]) => {
  ui.shown.push({ kind, message, actions });
  return Promise.resolve(undefined);
};
const fakeVscode = {
  Uri,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  window: {
    get activeTextEditor() {
      return ui.activeEditor;
    },
    get visibleTextEditors() {
      return ui.activeEditor ? [ui.activeEditor] : [];
    },
    showQuickPick: async <T extends { label: string }>(items: T[], options: { title: string }) => {
      ui.pickTitles.push(options.title);
      assert.ok(ui.picks.length, `an unexpected quick pick: ${options.title}`);
      const label = ui.picks.shift();
      if (label === undefined) return undefined;
      const item = items.find((i) => i.label === label);
      assert.ok(item, `no item '${label}' in ${items.map((i) => i.label).join(', ')}`);
      return item;
    },
    showSaveDialog: async (options: { defaultUri: Uri }) => {
      assert.ok(ui.saves.length, `an unexpected save dialog (default ${options.defaultUri.fsPath})`);
      const answer = ui.saves.shift();
      return answer === undefined ? undefined : Uri.file(answer === '' ? options.defaultUri.fsPath : answer);
    },
    showOpenDialog: async () => undefined,
    showInformationMessage: show('info'),
    showErrorMessage: show('error'),
    showWarningMessage: show('warning'),
    showTextDocument: async () => undefined,
  },
  commands: {
    registerCommand: (name: string, fn: (...args: unknown[]) => unknown) => {
      commands.set(name, fn);
      return { dispose: () => commands.delete(name) };
    },
    executeCommand: async (name: string) => {
      ui.executed.push(name);
    },
  },
  workspace: {
    openTextDocument: async (uri: Uri) => documentOf(uri),
    fs: { readFile: async (uri: Uri) => readFileSync(uri.fsPath) },
    workspaceFolders: undefined,
  },
  extensions: { getExtension: () => ({ packageJSON: { version: '0.0.0-test' } }) },
};

// the host modules import 'vscode': give them the stand-in
const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = moduleInternals._load;
moduleInternals._load = function (request, parent, isMain) {
  return request === 'vscode' ? fakeVscode : load.call(this, request, parent, isMain);
};
const { registerExportCommand } = require('../../../src/host/exportCommand') as typeof import('../../../src/host/exportCommand');

// ---------------------------------------------------------------------------- the analysis and the controller

const analysis = {
  refresh: async (doc: FakeDocument) => {
    const parsed = parseSpec(doc.getText());
    return { parsed, diagnostics: checkSpec(parsed) };
  },
};

const runs: string[] = [];
const controller = {
  output: { appendLine: () => undefined, show: () => undefined },
  modelPath: (uri: Uri) => uri.fsPath.replace(/\.nnspec$/, '.model.json'),
  /** trains in process, as the worker would, and saves the model beside the spec as the controller does */
  start: async (doc: FakeDocument): Promise<DoneMessage> => {
    runs.push(doc.fileName);
    const parsed = parseSpec(doc.getText());
    const run = new TrainingRun(parsed.spec, await loadDataset(parsed.spec.train!, path.dirname(doc.fileName)));
    while (!run.done) run.step();
    const model = run.toModel({ source: doc.getText(), specPath: doc.fileName });
    writeFileSync(controller.modelPath(doc.uri), JSON.stringify(model));
    return { type: 'done', runId: 1, cancelled: false, iterations: run.iteration, costs: run.costs, trainAccuracy: model.trainAccuracy, testAccuracy: null, seconds: 0, model };
  },
};

registerExportCommand(analysis as never, controller as never);
const exportModel = (uri?: Uri, args?: object): Promise<string[] | undefined> => commands.get('nnspec.exportModel')!(uri, args) as Promise<string[] | undefined>;

// ---------------------------------------------------------------------------- tests

const { dir, spec: write } = tempSpecs('nnspec-export-host-');
const SPEC = `network "host net"
input 2
dense 3 tanh
dense 1 sigmoid
data train flower m=80
init random 0.5
seed 6
learning_rate 0.5
iterations 40
`;

beforeEach(() => {
  ui.picks = [];
  ui.pickTitles = [];
  ui.saves = [];
  ui.shown = [];
  ui.executed = [];
  ui.activeEditor = undefined;
  runs.length = 0;
});

describe('nnspec.exportModel', () => {
  it('exports a .model.json (the explorer menu) as the format picked, to the path saved, and says so', async () => {
    const spec = write('from-model/net.nnspec', SPEC);
    const model = path.join(dir, 'from-model/net.model.json');
    assert.equal((await runCli('train', spec, '--out', model)).code, 0);
    ui.picks = ['ONNX'];
    ui.saves = ['']; // the suggested path: net.onnx beside the model
    const files = await exportModel(Uri.file(model));
    assert.deepEqual(files, [path.join(dir, 'from-model/net.onnx')]);
    assert.ok(existsSync(files![0]));
    assert.deepEqual(ui.shown, [{ kind: 'info', message: 'nnspec: exported host net as ONNX: net.onnx', actions: ['Reveal'] }]);
  });

  it('exports the spec in front with the model trained from its current text, without asking to train', async () => {
    const spec = write('saved/net.nnspec', SPEC);
    await runCli('train', spec, '--out', path.join(dir, 'saved/net.model.json'));
    const saved = JSON.parse(readFileSync(path.join(dir, 'saved/net.model.json'), 'utf8')) as SavedModel;
    saved.source = SPEC; // as the extension saves it
    writeFileSync(path.join(dir, 'saved/net.model.json'), JSON.stringify(saved));
    ui.activeEditor = { document: documentOf(Uri.file(spec)) };
    ui.picks = ['NumPy'];
    ui.saves = [path.join(dir, 'saved/weights.npz')];
    const files = await exportModel();
    assert.deepEqual(files, [path.join(dir, 'saved/weights.npz'), path.join(dir, 'saved/weights.py')]);
    assert.equal(ui.pickTitles.length, 1, 'only the format was asked');
    assert.equal(runs.length, 0, 'nothing was trained');
    assert.deepEqual(Array.from(readNpz(readFileSync(files![0])).W1.data), saved.parameters[0].W.flat());
    assert.deepEqual(ui.shown[0].actions, ['Open', 'Reveal']);
  });

  it('asks whether to train a spec without a current model: Train Now runs it, then exports the result', async () => {
    const spec = write('train-now/net.nnspec', SPEC);
    ui.picks = ['PyTorch', 'Train Now, Then Export'];
    ui.saves = [''];
    const files = await exportModel(Uri.file(spec));
    assert.deepEqual(files, [path.join(dir, 'train-now/net_torch.py'), path.join(dir, 'train-now/net_torch.npz')]);
    assert.deepEqual(runs, [spec]);
    assert.match(ui.pickTitles[1], /net\.nnspec has no model trained from its current text/);
    const trained = JSON.parse(readFileSync(path.join(dir, 'train-now/net.model.json'), 'utf8')) as SavedModel;
    assert.deepEqual(Array.from(readNpz(readFileSync(files![1])).W2.data), trained.parameters[1].W.flat());
    assert.match(readFileSync(files![0], 'utf8'), /trained in VS Code \(40 iterations/);
  });

  it('Export Untrained writes the initial parameters and says "(untrained)"', async () => {
    const spec = write('untrained/net.nnspec', SPEC);
    ui.picks = ['ONNX (float32)', 'Export Untrained'];
    ui.saves = [''];
    const files = await exportModel(Uri.file(spec));
    assert.deepEqual(files, [path.join(dir, 'untrained/net.onnx')]);
    assert.equal(runs.length, 0);
    assert.equal(ui.shown[0].message, 'nnspec: exported host net (untrained) as ONNX (float32): net.onnx');
    assert.match(readFileSync(files![0]).toString('latin1'), /nnspec\.dtype.{2}float32/);
  });

  it('Show as Course Code needs no model: it writes the course script (and its data) at once', async () => {
    const spec = write('course/net.nnspec', SPEC);
    ui.picks = ['Show as Course Code'];
    ui.saves = [''];
    const files = await exportModel(Uri.file(spec));
    assert.deepEqual(files, [path.join(dir, 'course/net_course.py'), path.join(dir, 'course/net_course_data.npz')]);
    assert.match(readFileSync(files![0], 'utf8'), /def L_model_backward\(AL, Y, caches\):/);
  });

  it('a broken model file: an error notification with Open as Text, and nothing written', async () => {
    const bad = write('broken/bad.model.json', '{"format": "nnspec-model", "version": 7}');
    ui.picks = ['NumPy'];
    assert.equal(await exportModel(Uri.file(bad)), undefined);
    assert.equal(ui.shown.length, 1);
    assert.equal(ui.shown[0].kind, 'error');
    assert.match(ui.shown[0].message, /^nnspec: cannot export bad\.model\.json: bad\.model\.json is not a usable model: Model version 7 is not supported/);
    assert.deepEqual(ui.shown[0].actions, ['Open as Text', 'Show Output']);
    assert.equal(existsSync(path.join(dir, 'broken/bad.npz')), false);
  });

  it('a spec with errors: an error notification with Show Problems', async () => {
    const spec = write('errors/net.nnspec', SPEC.replace('dense 3 tanh', 'dense 3 tahn'));
    ui.picks = ['ONNX'];
    assert.equal(await exportModel(Uri.file(spec)), undefined);
    assert.match(ui.shown[0].message, /net\.nnspec has 1 error: fix it first/);
    assert.deepEqual(ui.shown[0].actions, ['Show Problems', 'Show Output']);
  });

  it('dismissing the format pick or the save dialog exports nothing, silently', async () => {
    const spec = write('dismissed/net.nnspec', SPEC);
    ui.picks = [undefined];
    assert.equal(await exportModel(Uri.file(spec)), undefined);
    ui.picks = ['Show as Course Code'];
    ui.saves = [undefined];
    assert.equal(await exportModel(Uri.file(spec)), undefined);
    assert.deepEqual(ui.shown, []);
    assert.equal(existsSync(path.join(dir, 'dismissed/net_course.py')), false);
  });

  it('takes the format, the path and --untrained as arguments, for scripts and tests', async () => {
    const spec = write('args/net.nnspec', SPEC);
    const files = await exportModel(Uri.file(spec), { format: 'numpy', untrained: true, out: path.join(dir, 'args') + path.sep });
    assert.deepEqual(files, [path.join(dir, 'args/net.npz'), path.join(dir, 'args/net.py')]);
    assert.deepEqual(ui.pickTitles, []);
  });
});
