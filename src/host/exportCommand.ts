// nnspec: Export Model... (`nnspec.exportModel`): a saved model or a spec to NumPy, PyTorch,
// ONNX or the course's whole NumPy code. From the explorer's context menu on a `.model.json` or
// a `.nnspec` (the URI argument), the designer's menu or the palette (the spec in front).
// A quick pick chooses the format, a save dialog the path; a spec is exported with the model
// trained from its current text (saved beside it, or trained now in the worker) or untrained.
// The exporting itself is src/export (shared with `nnspec export`).

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  buildExport,
  defaultFileName,
  ExportError,
  exportModelOfSaved,
  exportTarget,
  fromSavedModel,
  isModelFile,
  runFacts,
  untrainedModel,
  writeExport,
  type ExportFormat,
  type ExportModel,
} from '../export';
import { DIAGNOSTICS, errorsOf } from '../shared/model/diagnostics';
import { AnalysisService } from './analysis';
import type { TrainingController } from './training/controller';

/** A choice of the quick pick: a format, and float32 for ONNX. */
interface FormatChoice extends vscode.QuickPickItem {
  format: ExportFormat;
  float?: boolean;
}

const FORMAT_CHOICES: FormatChoice[] = [
  { label: 'NumPy', description: '.npz + .py', detail: "W1, b1, … in the course's shapes, and a short script with L_model_forward and predict", format: 'numpy' },
  { label: 'PyTorch', description: '.py + .npz', detail: 'an nn.Sequential (float64) that loads the weights; inputs batch first (N, n_x)', format: 'pytorch' },
  { label: 'ONNX', description: '.onnx, float64', detail: 'opset 17: Gemm and an activation per layer; input X (N, n_x)', format: 'onnx' },
  { label: 'ONNX (float32)', description: '.onnx, float32', detail: 'the same graph in single precision', format: 'onnx', float: true },
  {
    label: 'Show as Course Code',
    description: '.py',
    detail: "the whole network in the course's NumPy style: initialisation, forward, cost, backward, update, training loop",
    format: 'course',
  },
];

/** Arguments for scripted use (tests): skip the quick picks and the save dialog. */
export interface ExportCommandArgs {
  format?: ExportFormat;
  float?: boolean;
  /** the main file's path, or a folder */
  out?: string;
  /** a spec: export its initial parameters */
  untrained?: boolean;
}

export function registerExportCommand(analysis: AnalysisService, controller: TrainingController): vscode.Disposable {
  return vscode.commands.registerCommand('nnspec.exportModel', (uri?: unknown, args?: ExportCommandArgs) =>
    exportCommand(analysis, controller, uri instanceof vscode.Uri ? uri : undefined, args ?? {}),
  );
}

/** The spec in front (or the first one visible). */
function activeSpec(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && AnalysisService.isSpec(editor.document)) return editor.document.uri;
  return vscode.window.visibleTextEditors.find((e) => AnalysisService.isSpec(e.document))?.document.uri;
}

async function exportCommand(analysis: AnalysisService, controller: TrainingController, uri: vscode.Uri | undefined, args: ExportCommandArgs): Promise<string[] | undefined> {
  let input = uri ?? activeSpec();
  if (!input) {
    [input] =
      (await vscode.window.showOpenDialog({
        title: 'nnspec: export which trained model or spec?',
        filters: { 'nnspec models and specs': ['json', 'nnspec'] },
        canSelectMany: false,
        openLabel: 'Export',
      })) ?? [];
    if (!input) return undefined;
  }
  const inputPath = input.scheme === 'file' ? input.fsPath : path.basename(input.path);
  let choice: FormatChoice | undefined = args.format ? { label: args.format, format: args.format, float: args.float } : undefined;
  choice ??= await vscode.window.showQuickPick(FORMAT_CHOICES, { title: `nnspec: export ${path.basename(inputPath)}`, placeHolder: 'Export as...' });
  if (!choice) return undefined;
  const { format } = choice;
  const fail = (message: string, actions: Record<string, () => unknown> = {}): undefined => {
    controller.output.appendLine(`[${new Date().toLocaleTimeString()}] Export of ${inputPath} failed: ${message}`);
    const names = Object.keys(actions);
    void vscode.window.showErrorMessage(`nnspec: cannot export ${path.basename(inputPath)}: ${message}`, ...names, 'Show Output').then((a) => {
      if (a === 'Show Output') controller.output.show(true);
      else if (a) void actions[a]();
    });
    return undefined;
  };
  let model: ExportModel | undefined;
  try {
    model = isModelFile(inputPath) ? await readSavedModel(input, inputPath) : await specModel(analysis, controller, input, format, args);
  } catch (err) {
    if (err instanceof ExportError && err.kind === 'model') return fail(err.message, { 'Open as Text': () => vscode.window.showTextDocument(input) });
    if (err instanceof ExportError && (err.kind === 'spec' || err.kind === 'data')) {
      return fail(err.message, { 'Show Problems': () => vscode.commands.executeCommand('workbench.actions.view.problems') });
    }
    return fail((err as Error).message);
  }
  if (!model) return undefined;
  let out = args.out;
  if (out === undefined) {
    const suggested = path.join(input.scheme === 'file' ? path.dirname(inputPath) : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? ''), defaultFileName(format, inputPath));
    const ext = path.extname(suggested).slice(1);
    const picked = await vscode.window.showSaveDialog({
      title: `nnspec: export ${model.name} as ${choice.label}`,
      defaultUri: vscode.Uri.file(suggested),
      filters: { [choice.label]: [ext] },
      saveLabel: 'Export',
    });
    if (!picked) return undefined;
    out = picked.fsPath;
  }
  const target = exportTarget(format, inputPath, out);
  let written: string[];
  try {
    const files = await buildExport(model, format, target, { float: choice.float, producerVersion: extensionVersion() });
    writeExport(files);
    written = files.map((f) => f.path);
  } catch (err) {
    return fail((err as Error).message, { 'Choose Another Location': () => exportCommand(analysis, controller, input, { ...args, format, float: choice.float, out: undefined }) });
  }
  const names = written.map((f) => path.basename(f)).join(', ');
  controller.output.appendLine(`[${new Date().toLocaleTimeString()}] Exported ${model.name} (${model.trained ? 'trained' : 'untrained'}) as ${choice.label}: ${written.join(', ')}`);
  const script = written.find((f) => f.endsWith('.py'));
  void vscode.window
    .showInformationMessage(`nnspec: exported ${model.name}${model.trained ? '' : ' (untrained)'} as ${choice.label}: ${names}`, ...(script ? ['Open'] : []), 'Reveal')
    .then((a) => {
      if (a === 'Open' && script) void vscode.window.showTextDocument(vscode.Uri.file(script));
      if (a === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(written[0]));
    });
  return written;
}

function extensionVersion(): string | undefined {
  return vscode.extensions.getExtension('nnspec.nnspec')?.packageJSON?.version;
}

async function readSavedModel(uri: vscode.Uri, file: string): Promise<ExportModel> {
  return exportModelOfSaved(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), file);
}

/**
 * A spec's model: its initial parameters (untrained, and for the course code, which trains
 * itself), else the model saved beside it when that was trained from the current text, else
 * (asked first) a run in the worker now.
 */
async function specModel(
  analysis: AnalysisService,
  controller: TrainingController,
  uri: vscode.Uri,
  format: ExportFormat,
  args: ExportCommandArgs,
): Promise<ExportModel | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const file = document.uri.scheme === 'file' ? document.uri.fsPath : document.fileName;
  const a = await analysis.refresh(document);
  const errors = errorsOf(a.diagnostics);
  // the initial parameters need a well-formed network, not data; the course code reads the data
  const blocking = args.untrained ? errors.filter((d) => DIAGNOSTICS[d.code].kind !== 'data') : errors;
  if (blocking.length) throw new ExportError(`${path.basename(file)} has ${blocking.length} error${blocking.length === 1 ? '' : 's'}: fix ${blocking.length === 1 ? 'it' : 'them'} first`, 'spec');
  if (args.untrained || format === 'course') return untrainedModel(a.parsed.spec, file);
  const saved = document.uri.scheme === 'file' ? savedFor(controller.modelPath(document.uri), document.getText()) : undefined;
  if (saved) return saved;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Train Now, Then Export', detail: `${a.parsed.spec.iterations} iterations in the background, as nnspec: Train Network does`, untrained: false },
      { label: 'Export Untrained', detail: 'the initial parameters (the spec\u2019s init and seed)', untrained: true },
    ],
    { title: `nnspec: ${path.basename(file)} has no model trained from its current text`, placeHolder: 'Train it first?' },
  );
  if (!pick) return undefined;
  if (pick.untrained) return untrainedModel(a.parsed.spec, file);
  const done = await controller.start(document, { mode: 'full', snapshots: { grid: 40, everyMs: 250 } });
  // a stopped or failed run has told the user already
  if (!done || done.cancelled || done.model.parameters.length === 0) return undefined;
  return { ...fromSavedModel(done.model, file, path.dirname(file)), provenance: `${path.basename(file)}, trained in VS Code (${runFacts(done.model)})` };
}

/** The model saved beside a spec, when it was trained from exactly this text. */
function savedFor(modelPath: string, source: string): ExportModel | undefined {
  if (!existsSync(modelPath)) return undefined;
  try {
    const model = exportModelOfSaved(readFileSync(modelPath, 'utf8'), modelPath);
    return model.source === source ? model : undefined;
  } catch {
    return undefined;
  }
}
