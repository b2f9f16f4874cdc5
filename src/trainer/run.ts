// One training run as a stepping object, so the same code serves the CLI (in process), the
// worker thread (chunked, between messages) and the tests.

import { totalmem } from 'node:os';
import * as path from 'node:path';
import { estimateTrainingMemory, formatBytes } from '../shared/model/memory';
import type { Activation, NetworkSpec } from '../shared/model/spec';
import type { BoundarySnapshot, CostPoint, Grid2D, PointSet } from '../shared/model/runs';
import type { DoneMessage } from '../shared/wire/training';
import type { SavedModel } from '../shared/model/results';
import type { Dataset } from './datasets';
import { DivergedError, MemoryError } from './errors';
import { typescriptBackend, type KernelBackend } from './backend';
import { matrix, type CancelCheck, type Matrix } from './kernels';
import type { StepDetail } from '../shared/model/results';
import { passAt, stepDetail } from './inspect';
import { confusionAccuracy, confusionMetrics } from './metrics';
import { forward, layerDims, Network, type LayerParams } from './model';
import { createWasmBackend } from './wasm/wasmBackend';

export { CancelledError, type CancelCheck } from './kernels';

export { DivergedError } from './errors';

export interface RunOptions {
  /** stop after this many iterations (default: spec.iterations) */
  maxIterations?: number;
  /** record the cost every this many iterations (default: spec.printEvery); the first and last are always recorded */
  recordEvery?: number;
  /**
   * Checked between layers and inside large matrix products; throws CancelledError to abort
   * the current iteration (the parameters are then those before it).
   */
  cancel?: CancelCheck;
  /** where the matrix products run (default: the TypeScript reference kernels) */
  backend?: KernelBackend;
}

/** Which kernels a run may use: the fastest available, or the TypeScript reference. */
export type KernelChoice = 'auto' | 'typescript';

export interface StartOptions extends Omit<RunOptions, 'backend'> {
  kernels?: KernelChoice;
  /** threads for the large products with the WebAssembly kernels (default 2) */
  threads?: 1 | 2;
  /** refuse (MemoryError) a run whose estimate (estimateTrainingMemory) is over this many bytes */
  memoryBudgetBytes?: number;
  /** where the budget comes from, for the message (default: "the memory budget") */
  memoryBudgetSource?: string;
  /** the machine's memory (default: os.totalmem()): a run over it is refused too */
  machineBytes?: number;
}

/**
 * Throws a MemoryError when a run of `spec` on these data sets needs more than the budget or the
 * machine (estimateTrainingMemory, the same estimate the editor shows), before anything is allocated.
 */
export function assertFitsInMemory(spec: NetworkSpec, train: Dataset, test: Dataset | undefined, options: Pick<StartOptions, 'memoryBudgetBytes' | 'memoryBudgetSource' | 'machineBytes'> = {}): void {
  const need = estimateTrainingMemory(layerDims(spec), train.X.cols, test?.X.cols ?? 0).total;
  const machine = options.machineBytes ?? totalmem();
  if (need > machine) {
    throw new MemoryError(`This run needs about ${formatBytes(need)} of memory, more than this machine has (${formatBytes(machine)}): use fewer units, fewer features or fewer examples.`);
  }
  const budget = options.memoryBudgetBytes;
  if (budget !== undefined && need > budget) {
    throw new MemoryError(
      `This run needs about ${formatBytes(need)} of memory, more than ${options.memoryBudgetSource ?? 'the memory budget'} allows (${formatBytes(budget)}): raise the budget, or use fewer units, features or examples.`,
    );
  }
}

/** Where a saved model came from: stored in it so that it can find its data again. */
export interface ModelOrigin {
  /** the spec's source text */
  source?: string;
  /** absolute path of the spec file */
  specPath?: string;
  /** absolute folder the data paths are relative to (default: the folder of specPath) */
  specDir?: string;
}

/** How long one slice of iterations runs before the CLI or the worker yields to its event loop (ms). */
export const SLICE_MS = 15;

export class TrainingRun {
  readonly params: LayerParams[];
  readonly network: Network;
  readonly activations;
  readonly total: number;
  readonly recordEvery: number;
  /** iterations done */
  iteration = 0;
  readonly costs: [number, number][] = [];
  /** the last cost computed, as [iteration, cost] */
  private lastKnown: [number, number] | undefined;
  private readonly startedAt = Date.now();
  private readonly cancel?: CancelCheck;

  constructor(
    readonly spec: NetworkSpec,
    readonly train: Dataset,
    readonly test?: Dataset,
    options: RunOptions = {},
  ) {
    this.activations = spec.layers.map((l) => l.activation);
    this.network = new Network(options.backend ?? typescriptBackend, layerDims(spec), this.activations, spec.loss, spec.init, spec.seed, train.X, train.Y);
    this.params = this.network.params;
    this.total = Math.min(spec.iterations, options.maxIterations ?? spec.iterations);
    this.recordEvery = Math.max(1, options.recordEvery ?? spec.printEvery);
    this.cancel = options.cancel;
  }

  get done(): boolean {
    return this.iteration >= this.total;
  }

  /**
   * One gradient descent iteration. Its cost (before the update) is computed when it is recorded
   * (every `recordEvery` iterations, the first and the last) or asked for (`lastCost`), and
   * whenever the output could make it infinite. Throws DivergedError, and CancelledError (from
   * the cancel check) with the iteration not done.
   */
  step(): void {
    const i = this.iteration;
    const record = i % this.recordEvery === 0 || i === this.total - 1;
    const cost = this.network.step(this.spec.learningRate, this.cancel, record);
    if (cost !== undefined && !Number.isFinite(cost)) throw new DivergedError(i, cost, { spec: this.spec, data: this.train });
    this.iteration++;
    if (cost !== undefined) this.lastKnown = [i, cost];
    if (record) this.costs.push([i, cost!]);
  }

  /**
   * The training loop of the CLI and the worker alike: iterations for about `ms` milliseconds (at
   * least one), at most `limit` of them, and not past the end. Returns how many ran; the costs
   * they recorded are the last ones of `costs`. Between two calls the caller yields to its event
   * loop (a stop, a pause or Ctrl-C gets through); within one, the cancel check stops it.
   */
  advance(ms = SLICE_MS, limit = Infinity): number {
    const until = Date.now() + ms;
    let done = 0;
    do {
      this.step();
      done++;
    } while (done < limit && !this.done && Date.now() < until);
    return done;
  }

  /** The cost of the last iteration done (computed now if it was not), as [iteration, cost]; undefined before the first. */
  lastCost(): [number, number] | undefined {
    const cost = this.network.lastCost();
    if (cost !== undefined) this.lastKnown = [this.iteration - 1, cost];
    return this.lastKnown;
  }

  get seconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  trainAccuracy(): number {
    return this.network.accuracy(this.train.X, this.train.Y, this.cancel);
  }

  testAccuracy(): number | null {
    return this.test ? this.network.accuracy(this.test.X, this.test.Y, this.cancel) : null;
  }

  /**
   * The accuracies with the confusion matrices and precision / recall / F1 behind them, from one
   * pass over each set (the metrics are null where the labels are not all 0/1, or there is no
   * test set).
   */
  evaluate(): Pick<SavedModel, 'trainAccuracy' | 'testAccuracy' | 'trainMetrics' | 'testMetrics'> {
    const train = this.network.confusion(this.train.X, this.train.Y, this.cancel);
    const test = this.test ? this.network.confusion(this.test.X, this.test.Y, this.cancel) : undefined;
    return {
      trainAccuracy: confusionAccuracy(train),
      testAccuracy: test ? confusionAccuracy(test) : null,
      trainMetrics: confusionMetrics(train),
      testMetrics: test ? confusionMetrics(test) : null,
    };
  }

  /**
   * The step inspector's pass at the current parameters (after `iteration` updates), on the run's
   * own network and buffers, without an update: the next step computes its pass again, and the
   * last cost is kept (computed first, from the output the pass overwrites).
   */
  inspect(maxSide?: number): StepDetail {
    this.lastCost();
    return stepDetail(passAt(this.network, this.iteration), maxSide);
  }

  /** A copy of the current parameters, as a saved model holds them. */
  parameters(): SavedModel['parameters'] {
    return this.params.map(({ W, b }) => ({
      W: Array.from({ length: W.rows }, (_, i) => Array.from(W.data.subarray(i * W.cols, (i + 1) * W.cols))),
      b: Array.from(b.data),
    }));
  }

  /** How the matrix products run, for the output channel ("WebAssembly SIMD, 2 threads"). */
  get kernels(): string {
    return this.network.backend.description;
  }

  /** Frees the run's buffers (the WebAssembly memory) and its helper thread. */
  dispose(): void {
    this.network.backend.dispose();
  }

  /**
   * A run on the fastest kernels available here: WebAssembly SIMD on two threads, or the
   * TypeScript reference kernels when WebAssembly SIMD is not available or the run does not fit in
   * the 4 GiB a WebAssembly memory holds; `notice` then says why. Results are the same either way.
   */
  static async start(
    spec: NetworkSpec,
    train: Dataset,
    test: Dataset | undefined,
    options: StartOptions = {},
  ): Promise<{ run: TrainingRun; notice?: string }> {
    const { kernels = 'auto', threads, memoryBudgetBytes, memoryBudgetSource, machineBytes, ...rest } = options;
    assertFitsInMemory(spec, train, test, { memoryBudgetBytes, memoryBudgetSource, machineBytes });
    if (kernels === 'typescript') return { run: new TrainingRun(spec, train, test, rest) };
    const { backend, reason } = await createWasmBackend({ threads });
    if (!backend) {
      return { run: new TrainingRun(spec, train, test, rest), notice: `WebAssembly SIMD is not available (${reason}): training with the TypeScript kernels, which are slower.` };
    }
    try {
      return { run: new TrainingRun(spec, train, test, { ...rest, backend }), ...(reason ? { notice: `${reason[0].toUpperCase()}${reason.slice(1)}.` } : {}) };
    } catch (err) {
      backend.dispose();
      if (!(err instanceof RangeError)) throw err;
      return { run: new TrainingRun(spec, train, test, rest), notice: `${err.message}: training with the TypeScript kernels, which are slower.` };
    }
  }

  /** The trained model with its accuracies (a string argument is the spec's source text). */
  toModel(origin: ModelOrigin | string = {}): SavedModel {
    const o = typeof origin === 'string' ? { source: origin } : origin;
    return {
      format: 'nnspec-model',
      version: 1,
      spec: this.spec,
      source: o.source,
      ...originPaths(o),
      parameters: this.parameters(),
      costs: this.costs,
      ...this.evaluate(),
      iterations: this.iteration,
      seconds: this.seconds,
      createdAt: new Date().toISOString(),
    };
  }

  /**
   * What a stopped run reports: the spec and the costs so far, without the parameters and
   * without accuracies (NaN), so that stopping costs no forward pass over the data.
   */
  toCancelledModel(origin: ModelOrigin = {}): SavedModel {
    return cancelledModel(this.spec, this.costs, this.iteration, this.seconds, origin, this.test !== undefined);
  }

  /** Decision boundary and hidden unit outputs over a grid (2-feature data only). */
  snapshot(size: number): BoundarySnapshot | undefined {
    return boundarySnapshot(this.params, this.activations, this.train, this.test, size, this.iteration);
  }
}

/**
 * The network's output and every hidden unit's activation over a size × size grid covering
 * the data (with a margin), laid out as Grid2D says (row 0 at the top). 2-feature data only.
 * Serves training runs and saved models alike.
 */
export function boundarySnapshot(
  params: LayerParams[],
  activations: Activation[],
  train: Dataset,
  test: Dataset | undefined,
  size: number,
  iteration: number,
): BoundarySnapshot | undefined {
  if (train.X.rows !== 2) return undefined;
  const range = (row: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const X of [train.X, test?.X]) {
      if (!X) continue;
      for (let j = 0; j < X.cols; j++) {
        const v = X.data[row * X.cols + j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const pad = (hi - lo) * 0.08 || 1;
    return [lo - pad, hi + pad];
  };
  const x1 = range(0);
  const x2 = range(1);
  const points: Matrix = matrix(2, size * size);
  const cols = size * size;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const k = r * size + c;
      points.data[k] = x1[0] + ((c + 0.5) / size) * (x1[1] - x1[0]);
      // row 0 at the top: x2 decreasing downwards, as on a plot
      points.data[cols + k] = x2[1] - ((r + 0.5) / size) * (x2[1] - x2[0]);
    }
  }
  const { caches } = forward(params, activations, points);
  const grid = (values: Float64Array): Grid2D => ({ size, x1, x2, values: Array.from(values) });
  const hidden = caches.slice(0, -1).map((cache) =>
    Array.from({ length: cache.A.rows }, (_, unit) => grid(cache.A.data.subarray(unit * cols, (unit + 1) * cols))),
  );
  return { iteration, output: grid(caches[caches.length - 1].A.data), hidden };
}

/** A 2-feature data set as the points the designer draws. */
export function pointSet(d: Dataset): PointSet {
  const m = d.X.cols;
  return { x1: Array.from(d.X.data.subarray(0, m)), x2: Array.from(d.X.data.subarray(m, 2 * m)), y: Array.from(d.Y.data) };
}

function originPaths(o: ModelOrigin): { specPath?: string; specDir?: string } {
  const specDir = o.specDir ?? (o.specPath ? path.dirname(o.specPath) : undefined);
  return { ...(o.specPath ? { specPath: o.specPath } : {}), ...(specDir ? { specDir } : {}) };
}

/**
 * The `done` of a run that ended as cancelled without the trained network: stopped before its
 * data had loaded (the worker), or not answering a stop in time (the client).
 */
export function cancelledDone(
  runId: number,
  spec: NetworkSpec,
  progress: { costs: [number, number][]; iterations: number; seconds: number; last?: CostPoint },
  origin: ModelOrigin,
  terminated?: boolean,
): DoneMessage {
  const { costs, iterations, seconds, last } = progress;
  const model = cancelledModel(spec, costs, iterations, seconds, origin);
  return {
    type: 'done',
    runId,
    cancelled: true,
    ...(terminated === undefined ? {} : { terminated }),
    iterations,
    costs,
    ...(last ? { last } : {}),
    trainAccuracy: model.trainAccuracy,
    testAccuracy: model.testAccuracy,
    seconds,
    model,
  };
}

/** The model a cancelled run reports (see TrainingRun.toCancelledModel). */
export function cancelledModel(
  spec: NetworkSpec,
  costs: [number, number][],
  iterations: number,
  seconds: number,
  origin: ModelOrigin = {},
  hasTest = spec.test !== undefined,
): SavedModel {
  return {
    format: 'nnspec-model',
    version: 1,
    spec,
    source: origin.source,
    ...originPaths(origin),
    parameters: [],
    costs,
    trainAccuracy: NaN,
    testAccuracy: hasTest ? NaN : null,
    iterations,
    seconds,
    createdAt: new Date().toISOString(),
  };
}
