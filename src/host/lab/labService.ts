// The lab's questions about a spec, answered off the extension host's thread: the step
// inspector's pass (by the training worker on a run's own network while the run is under way,
// else by the lab worker), logistic regression's graph, the gradient check, the mislabelled test
// images (the lab worker, src/lab/labWorker.ts) and a picture's prediction. Each answer goes into
// the spec's lab state (labStore.ts) as a slot: pending, then done or failed; the designer shows
// it. The parameters are the spec's initial ones, or the current run's: a run under way is asked
// for its own (it is not disturbed), a finished run's are its trained model's.

import * as path from 'node:path';
import type * as vscode from 'vscode';
import { predictImage } from '../../lab/images';
import { LabError, type LabClient } from '../../lab/labClient';
import { givenParameters } from '../../lab/labJobs';
import { passTargets } from '../../shared/model/facts';
import type { Limits } from '../../shared/model/limits';
import type { LabAt } from '../../shared/wire/labMessages';
import type { LabParameters } from '../../shared/wire/labWorker';
import type { LabSlot, LabTopic, LabValues, PicturePrediction } from '../../shared/model/labState';
import { currentRun } from '../../shared/model/runs';
import type { NetworkSpec } from '../../shared/model/spec';
import type { AnalysisService } from '../analysis';
import type { TrainingControllerApi } from '../training/api';
import type { LabStore } from './labStore';

/** A question that cannot be asked as it is (no run, errors in the spec): the message says why. */
export class LabRefused extends Error {}

/** The parameters a question is about, and the spec they belong to. */
export interface LabSubject {
  spec: NetworkSpec;
  specDir: string;
  at: LabParameters;
  /** in words, for the designer: "the initial parameters", "Run 2 at iteration 120 (paused)" */
  source: string;
  /** the run under way (its own worker answers the step inspector) */
  live: boolean;
}

export interface LabServiceDeps {
  store: LabStore;
  controller: TrainingControllerApi;
  analysis: Pick<AnalysisService, 'get'>;
  client: LabClient;
  /** the user's limits for reading data */
  limits(): Limits;
  /** undefined when the lab may read data now; otherwise why not (Restricted Mode), already told to the user */
  refused(): string | undefined;
}

/** A cancellation the caller may give (a progress notification's Cancel). */
export interface LabCancel {
  onCancel(listener: () => void): void;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export class LabService {
  constructor(private readonly deps: LabServiceDeps) {}

  /** Which parameters `at` means for the document now; throws LabRefused when there are none. */
  async subject(doc: vscode.TextDocument, at: LabAt): Promise<LabSubject> {
    const uri = doc.uri.toString();
    const specDir = path.dirname(doc.uri.fsPath);
    const name = path.basename(doc.uri.path);
    const { parsed, facts } = this.deps.analysis.get(doc);
    const { controller } = this.deps;
    const record = currentRun(controller.history.list(uri));
    // the designer's buttons follow the same rule
    const can = passTargets(facts, record);
    if (at === 'initial') {
      if (!can.initial) throw new LabRefused(`Fix the ${plural(facts.errors, 'error')} in ${name} first.`);
      return { spec: parsed.spec, specDir, at: { kind: 'initial' }, source: 'the initial parameters (iteration 0)', live: false };
    }
    if (!record) throw new LabRefused(`${name} has no run yet: train it first (Play in the designer, or nnspec: Train Network), or use the initial parameters.`);
    if (!can.run) {
      if (record.error) throw new LabRefused(`${record.label} failed (${record.error.message}): train again.`);
      throw new LabRefused(`${record.label} was stopped, and a stopped run keeps no parameters: train again, or pause it next time.`);
    }
    const current = controller.current;
    if (current && current.id === record.id && !record.finished) {
      let inspected;
      try {
        inspected = await controller.inspect({ parameters: true });
      } catch (err) {
        throw new LabRefused(`${record.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const state = controller.paused ? 'paused' : 'running';
      return {
        spec: current.spec,
        specDir,
        at: { kind: 'given', iteration: inspected.iteration, parameters: inspected.parameters ?? [] },
        source: `${record.label} at iteration ${inspected.iteration.toLocaleString('en-US')} (${state})`,
        live: true,
      };
    }
    const model = controller.trainedModel(record.id);
    if (!model) throw new LabRefused(`${record.label}'s parameters are no longer kept: train again.`);
    const what = record.mode === 'loaded' ? 'saved' : 'trained';
    return {
      spec: model.spec,
      specDir,
      at: { kind: 'given', iteration: model.iterations, parameters: model.parameters },
      source: `${record.label} (${what}, ${plural(model.iterations, 'iteration')})`,
      live: false,
    };
  }

  private set<K extends LabTopic>(uri: string, topic: K, slot: LabSlot<LabValues[K]>): LabSlot<LabValues[K]> {
    this.deps.store.apply(uri, { kind: 'slot', topic, slot } as never);
    return slot;
  }

  /** Runs a question into its slot: pending, then done or failed (never throws). */
  private async answer<K extends LabTopic>(doc: vscode.TextDocument, topic: K, at: LabAt, compute: (subject: LabSubject) => Promise<LabValues[K]>): Promise<LabSlot<LabValues[K]>> {
    const uri = doc.uri.toString();
    const refused = this.deps.refused();
    if (refused) return this.set(uri, topic, { status: 'failed', error: refused });
    this.set(uri, topic, { status: 'pending' });
    let source: string | undefined;
    try {
      const subject = await this.subject(doc, at);
      source = subject.source;
      this.set(uri, topic, { status: 'pending', source });
      return this.set(uri, topic, { status: 'done', value: await compute(subject), source });
    } catch (err) {
      return this.set(uri, topic, { status: 'failed', error: err instanceof Error ? err.message : String(err), source });
    }
  }

  private job(subject: LabSubject): { spec: NetworkSpec; specDir: string; limits: Limits; at: LabParameters } {
    return { spec: subject.spec, specDir: subject.specDir, limits: this.deps.limits(), at: subject.at };
  }

  /** The step inspector: forward and backward propagation at the initial parameters, or the current run's. */
  step(doc: vscode.TextDocument, at: LabAt): Promise<LabSlot<LabValues['step']>> {
    return this.answer(doc, 'step', at, async (subject) => {
      // a run under way answers on its own network, without an update
      if (subject.live) {
        const inspected = await this.deps.controller.inspect({ detail: true });
        if (!inspected.detail) throw new LabError('The run gave no pass.', 'worker');
        return inspected.detail;
      }
      return (await this.deps.client.ask({ type: 'step', ...this.job(subject) })).detail;
    });
  }

  gradcheck(doc: vscode.TextDocument, at: LabAt, cancel?: LabCancel): Promise<LabSlot<LabValues['gradcheck']>> {
    return this.answer(doc, 'gradcheck', at, async (subject) => (await this.deps.client.ask({ type: 'gradcheck', ...this.job(subject) }, cancel)).result);
  }

  graph(doc: vscode.TextDocument, example: number, at: LabAt): Promise<LabSlot<LabValues['graph']>> {
    return this.answer(doc, 'graph', at, async (subject) => (await this.deps.client.ask({ type: 'graph', example, ...this.job(subject) })).graph);
  }

  /** The test images the current run's network gets wrong (at most `limit` of them). */
  mislabelled(doc: vscode.TextDocument, limit = 60): Promise<LabSlot<LabValues['mislabelled']>> {
    return this.answer(doc, 'mislabelled', 'run', async (subject) => {
      const { layout, examples, total } = await this.deps.client.ask({ type: 'mislabelled', limit, ...this.job(subject) });
      const testM = currentRun(this.deps.controller.history.list(doc.uri.toString()))?.start?.testM;
      return { layout, examples, total, ...(testM ? { testM } : {}) };
    });
  }

  /**
   * A picture's prediction with the current run's network: `decode` has the webview decode and
   * resize it with the browser's decoders; the spec's scale is applied and the network run here
   * (one example: a forward pass of microseconds).
   */
  predict(doc: vscode.TextDocument, name: string, decode: (size: { width: number; height: number; channels: number }) => Promise<{ width: number; height: number; channels: number; pixels: number[] }>): Promise<LabSlot<LabValues['prediction']>> {
    return this.answer(doc, 'prediction', 'run', async (subject) => {
      const d = subject.spec.inputDims;
      if (!d || d.length < 2 || d.length > 3) throw new LabRefused('Predict an Image is for image data: an `input HxWxC` spec.');
      const size = { height: d[0], width: d[1], channels: d[2] ?? 1 };
      const picture = await decode(size);
      if (picture.width !== size.width || picture.height !== size.height || picture.channels !== size.channels) {
        throw new LabRefused(`The picture came back ${picture.width}×${picture.height}×${picture.channels}, not ${size.width}×${size.height}×${size.channels}.`);
      }
      if (subject.at.kind !== 'given') throw new LabRefused('Train the network first.');
      const params = givenParameters(subject.spec, subject.at.parameters);
      const p = predictImage({ spec: subject.spec, params }, picture.pixels);
      const value: PicturePrediction = { name, ...size, pixels: picture.pixels, ...p };
      return value;
    });
  }
}
