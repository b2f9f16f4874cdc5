// The lab's commands: *Run Sweep...* (the key and values asked with a quick pick and an input
// box, a second key for a grid), *Check Gradients* (a cancellable progress notification, the
// verdict in a notification and the designer), *Predict an Image...* (an open dialog; the webview
// decodes the picture with the browser's decoders) and *Show Step Inspector*. Thin glue between
// the palette and the lab service, the sweep controller and the designer.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParsedSpec } from '../../language';
import { formatNumber, initText } from '../../language';
import { parseVary, SweepError } from '../../lab/sweep';
import { MAX_SWEEP_RUNS } from '../../shared/model/labState';
import { type DecodedImageMessage, type DecodeImageMessage, type LabAt } from '../../shared/wire/labMessages';
import { type GradientCheckResult, type SweepAxis, type SweepKey } from '../../shared/model/results';
import { currentRun } from '../../shared/model/runs';
import type { AnalysisService } from '../analysis';
import { mayRun } from '../training/controller';
import type { TrainingControllerApi } from '../training/api';
import { specDocument } from '../training/commands';
import { LabRefused, type LabService } from './labService';
import type { SweepController } from './sweeps';

/** The largest picture file Predict an Image reads. */
export const MAX_PICTURE_BYTES = 20 * 1024 * 1024;

export interface SweepKeyItem extends vscode.QuickPickItem {
  key: SweepKey;
  /** the spec's value now, as a sweep value is written */
  current: string;
}

/** The keys a sweep of this spec can vary, each with the file's current value. */
export function sweepKeyItems(parsed: ParsedSpec): SweepKeyItem[] {
  const { spec } = parsed;
  const items: SweepKeyItem[] = [];
  spec.layers.forEach((layer, i) => {
    const l = i + 1;
    const role = i === spec.layers.length - 1 ? 'output layer' : 'hidden layer';
    items.push({ key: `layer${l}.units`, current: String(layer.units), label: `layer${l}.units`, description: `${layer.units} now`, detail: `units of layer ${l} (dense ${layer.units} ${layer.activation}, the ${role})` });
    items.push({ key: `layer${l}.activation`, current: layer.activation, label: `layer${l}.activation`, description: `${layer.activation} now`, detail: `activation of layer ${l}: sigmoid, tanh, relu, leaky_relu, linear` });
  });
  const init = initText(spec.init);
  items.push(
    { key: 'learning_rate', current: formatNumber(spec.learningRate), label: 'learning_rate', description: `${formatNumber(spec.learningRate)} now`, detail: 'α, e.g. 1.2, 0.5, 0.05' },
    { key: 'iterations', current: String(spec.iterations), label: 'iterations', description: `${spec.iterations} now`, detail: 'gradient descent iterations' },
    { key: 'init', current: init, label: 'init', description: `${init} now`, detail: 'zeros, random 0.01, xavier, he' },
    { key: 'seed', current: String(spec.seed), label: 'seed', description: `${spec.seed} now`, detail: 'the random seed of the initial parameters' },
  );
  return items;
}

/** Why `text` is not a list of values of `key` (undefined when it is), for the input box. */
export function valuesProblem(key: SweepKey, text: string, otherRuns = 1): string | undefined {
  try {
    const axis = parseVary(`${key}=${text}`);
    const runs = axis.values.length * otherRuns;
    if (runs > MAX_SWEEP_RUNS) return `${runs} runs: a sweep may have at most ${MAX_SWEEP_RUNS}`;
    return undefined;
  } catch (err) {
    return err instanceof SweepError ? err.message : String(err);
  }
}

/** The ways a picture file begins: PNG and JPEG (what the browser decodes for us). */
export function pictureMime(bytes: Uint8Array): 'image/png' | 'image/jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/** The verdict in one line: the difference overall and per layer. */
export function gradcheckSummary(r: GradientCheckResult): string {
  const layers = r.layers.map((l) => `layer ${l.layer} ${l.difference.toExponential(2)}`).join(', ');
  const what = { passed: 'passed', warning: 'gave a warning', failed: 'failed' }[r.verdict];
  return `${what}: difference ${r.difference.toExponential(2)} (${layers}) at iteration ${r.iteration}, ${r.checked.toLocaleString('en-US')} of ${r.parameters.toLocaleString('en-US')} parameters on ${r.examples} examples`;
}

export interface LabCommandDeps {
  analysis: AnalysisService;
  controller: TrainingControllerApi;
  lab: LabService;
  sweeps: SweepController;
  /** has a designer view decode a picture (shown first if none is) */
  decodeImage(request: DecodeImageMessage): Promise<DecodedImageMessage>;
}

export function registerLabCommands(deps: LabCommandDeps): vscode.Disposable[] {
  const { analysis, lab, sweeps, controller } = deps;
  const noSpec = (): undefined => {
    void vscode.window.showWarningMessage('nnspec: open a .nnspec file first.');
    return undefined;
  };

  const askSweep = async (doc: vscode.TextDocument): Promise<SweepAxis[] | undefined> => {
    const items = sweepKeyItems(analysis.get(doc).parsed);
    const first = await vscode.window.showQuickPick(items, { title: 'nnspec: Run Sweep (1/3): what to vary', placeHolder: 'A setting to train with several values', matchOnDetail: true });
    if (!first) return undefined;
    const askValues = (item: SweepKeyItem, step: string, otherRuns: number): Thenable<string | undefined> =>
      vscode.window.showInputBox({
        title: `nnspec: Run Sweep (${step}): values of ${item.key}`,
        prompt: `Values separated by commas (now ${item.current}), e.g. ${item.key.endsWith('.units') ? '1,2,3,4,5,20,50' : item.key.endsWith('.activation') ? 'tanh,relu,sigmoid' : item.key === 'init' ? 'random 0.01,xavier,he' : item.key === 'learning_rate' ? '1.2,0.5,0.05' : item.key === 'seed' ? '1,2,3' : '1000,5000'}`,
        value: item.current,
        valueSelection: [item.current.length, item.current.length],
        validateInput: (text) => valuesProblem(item.key, text, otherRuns),
      });
    const firstValues = await askValues(first, '2/3', 1);
    if (firstValues === undefined) return undefined;
    const axes: SweepAxis[] = [parseVary(`${first.key}=${firstValues}`)];
    const none = { label: 'No second setting', description: `run the ${axes[0].values.length} value${axes[0].values.length === 1 ? '' : 's'} of ${first.key}`, key: undefined };
    const second = await vscode.window.showQuickPick([none, ...items.filter((i) => i.key !== first.key)], {
      title: 'nnspec: Run Sweep (3/3): a second setting for a grid?',
      placeHolder: 'Every value of the first with every value of the second, or none',
    });
    if (!second) return undefined;
    if (second.key !== undefined) {
      const values = await askValues(second as SweepKeyItem, '3/3', axes[0].values.length);
      if (values === undefined) return undefined;
      axes.push(parseVary(`${second.key}=${values}`));
    }
    return axes;
  };

  const runSweep = async (uri?: unknown, given?: SweepAxis[]) => {
    const doc = await specDocument(uri);
    if (!doc) return noSpec();
    if (!mayRun('lab')) return undefined;
    const axes = given ?? (await askSweep(doc));
    if (!axes) return undefined;
    // the designer beside the spec shows the curves and the table as the runs go
    void vscode.commands.executeCommand('nnspec.openDesignerToSide');
    return sweeps.run(doc, axes);
  };

  const checkGradients = async (uri?: unknown, at?: unknown) => {
    const doc = await specDocument(uri);
    if (!doc) return noSpec();
    const where: LabAt = at === 'run' ? 'run' : 'initial';
    const name = path.basename(doc.uri.path);
    const slot = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nnspec: checking the gradients of ${name}`, cancellable: true },
      (progress, token) => {
        progress.report({ message: 'backpropagation against the two-sided numerical gradient…' });
        return lab.gradcheck(doc, where, { onCancel: (listener) => token.onCancellationRequested(listener) });
      },
    );
    if (slot.status === 'failed') {
      if (slot.error !== 'Cancelled.') void vscode.window.showErrorMessage(`nnspec: cannot check the gradients of ${name}: ${slot.error}`);
    } else if (slot.value) {
      const text = `nnspec: the gradient check of ${name} ${gradcheckSummary(slot.value)}.`;
      const show = slot.value.verdict === 'passed' ? vscode.window.showInformationMessage : slot.value.verdict === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
      void show(text, 'Show in Designer').then((a) => a && vscode.commands.executeCommand('nnspec.openDesignerToSide'));
    }
    return slot;
  };

  const predictImage = async (uri?: unknown) => {
    const doc = await specDocument(uri);
    if (!doc) return noSpec();
    if (!mayRun('lab')) return undefined;
    const name = path.basename(doc.uri.path);
    // no dialog when there is nothing to predict with
    try {
      const subject = await lab.subject(doc, 'run');
      const d = subject.spec.inputDims;
      if (!d || d.length < 2) throw new LabRefused('Predict an Image is for image data: an `input HxWxC` spec.');
    } catch (err) {
      void vscode.window.showErrorMessage(`nnspec: cannot predict with ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const [file] =
      (await vscode.window.showOpenDialog({ title: 'nnspec: a picture for the network', canSelectMany: false, openLabel: 'Predict', filters: { Pictures: ['png', 'jpg', 'jpeg'] } })) ?? [];
    if (!file) return undefined;
    const picture = path.basename(file.path);
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(file);
      if (stat.size > MAX_PICTURE_BYTES) throw new Error(`it is ${(stat.size / 1024 / 1024).toFixed(1)} MB; pictures of up to ${MAX_PICTURE_BYTES / 1024 / 1024} MB are read`);
      bytes = await vscode.workspace.fs.readFile(file);
    } catch (err) {
      void vscode.window.showErrorMessage(`nnspec: cannot read ${picture}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const mime = pictureMime(bytes);
    if (!mime) {
      void vscode.window.showErrorMessage(`nnspec: ${picture} is not a PNG or JPEG picture.`);
      return undefined;
    }
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    const slot = await lab.predict(doc, picture, async (size) => {
      const reply = await deps.decodeImage({ type: 'decodeImage', name: picture, mime, data, ...size });
      if (reply.error !== undefined || !reply.pixels) throw new LabRefused(`The designer could not decode ${picture}: ${reply.error ?? 'no pixels'}.`);
      return { width: reply.width!, height: reply.height!, channels: reply.channels!, pixels: reply.pixels };
    });
    if (slot.status === 'failed') void vscode.window.showErrorMessage(`nnspec: cannot predict ${picture}: ${slot.error}`);
    else if (slot.value) {
      void vscode.window.showInformationMessage(`nnspec: ${picture}: the network says ${slot.value.label} (probability ${slot.value.probability.toFixed(4)} of label 1; ${slot.source}).`);
    }
    return slot;
  };

  const inspectStep = async (uri?: unknown) => {
    const doc = await specDocument(uri);
    if (!doc) return noSpec();
    await vscode.commands.executeCommand('nnspec.openDesignerToSide');
    // the current run when there is one whose parameters can be had, else the initial parameters
    const record = currentRun(controller.history.list(doc.uri.toString()));
    const live = !!record && controller.current?.id === record.id && !record.finished;
    const at: LabAt = live || (record && controller.trainedModel(record.id)) ? 'run' : 'initial';
    return lab.step(doc, at);
  };

  return [
    vscode.commands.registerCommand('nnspec.runSweep', runSweep),
    vscode.commands.registerCommand('nnspec.cancelSweep', () => sweeps.cancel()),
    vscode.commands.registerCommand('nnspec.checkGradients', checkGradients),
    vscode.commands.registerCommand('nnspec.predictImage', predictImage),
    vscode.commands.registerCommand('nnspec.inspectStep', inspectStep),
  ];
}
