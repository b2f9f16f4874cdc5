// Sweeps: the same spec trained with some settings varied over a grid (the course's planar
// notebook with 1, 2, 3, 4, 5, 20 and 50 hidden units; tuning the learning rate).
//
// Each run's spec is the file's text with its settings written in as the designer's edits
// (src/language/edits.ts), parsed and checked again: a combination that does not check becomes
// a run with an `error`, not a failed sweep. The runs train in worker threads (the training
// worker, through TrainerClient), one worker per core; when several train at once, each run's
// WebAssembly kernels use one thread. The sweep can be cancelled as a whole.
//
// No vscode import: the CLI (`nnspec sweep`) and the extension (src/host/lab/sweeps.ts) drive it
// through the same callbacks (a run started, its progress, its result).

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { applyTextEdits, checkSpec, editToTextEdits, formatDiagnostic, formatNumber, initText, parseSpec, type Diagnostic, type ParsedSpec, type TextEdit } from '../language';
import { parseNumber } from '../shared/model/numbers';
import { errorsKind, errorsOf } from '../shared/model/diagnostics';
import { PROGRESS_EVERY_MS, type ProgressEvent, type StartedEvent } from '../shared/model/runs';
import type { NetworkEdit } from '../shared/model/edits';
import { MAX_SWEEP_RUNS } from '../shared/model/labState';
import { isSweepKey, type SweepAxis, type SweepKey, type SweepRunResult, type SweepSettings } from '../shared/model/results';
import { ACTIVATIONS, type Activation, type InitScheme, type NetworkSpec } from '../shared/model/spec';
import type { DoneMessage, StartMessage } from '../shared/wire/training';
import { TrainerClient, TrainingError } from '../trainer/trainerClient';

/** A sweep that cannot run as asked (a bad key or value): a usage error, before anything trains. */
export class SweepError extends Error {}

/** The keys a sweep may vary, for messages. */
export const SWEEP_KEYS_TEXT = 'layerL.units, layerL.activation (L as numbered in the file), learning_rate, iterations, init, seed';

/**
 * `KEY=V1,V2,...` (the argument of `--vary`) as an axis. Values are separated by commas; an
 * init with a scale is written `random:0.01` (or quoted, `"random 0.01"`).
 */
export function parseVary(arg: string): SweepAxis {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SweepError(`--vary needs KEY=V1,V2,... (e.g. --vary layer1.units=1,2,4), not '${arg}'`);
  const key = arg.slice(0, eq).trim();
  if (!isSweepKey(key)) throw new SweepError(`cannot vary '${key}': the keys are ${SWEEP_KEYS_TEXT}`);
  const values = arg
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (values.some((v) => v === '')) throw new SweepError(`--vary ${key}: a value is empty in '${arg.slice(eq + 1)}' (values are separated by commas)`);
  return { key, values: values.map((v) => settingText(key, parseValue(key, v))) };
}

/** The layer a key is about (`layer2.units` → 2), or undefined. */
function layerOf(key: string): number | undefined {
  const m = /^layer(\d+)\./.exec(key);
  return m ? Number(m[1]) : undefined;
}

function parseInit(raw: string): InitScheme {
  const [kind, scale, ...rest] = raw.split(/[\s:]+/).filter(Boolean);
  if (kind === 'zeros' || kind === 'xavier' || kind === 'he') {
    if (scale !== undefined) throw new SweepError(`init: '${raw}': ${kind} takes no scale`);
    return { kind };
  }
  if (kind === 'random') {
    const s = scale === undefined ? NaN : parseNumber(scale);
    if (rest.length || !Number.isFinite(s)) throw new SweepError(`init: '${raw}': random needs a scale, written random:0.01 (or "random 0.01")`);
    return { kind, scale: s };
  }
  throw new SweepError(`init: '${raw}' is not an init scheme: zeros, random:SCALE (e.g. random:0.01), xavier or he`);
}

/** A value of a key, typed: a number, an activation, an init scheme. */
export function parseValue(key: SweepKey, raw: string): number | Activation | InitScheme {
  if (key === 'init') return parseInit(raw);
  if (key.endsWith('.activation')) {
    if (!(ACTIVATIONS as readonly string[]).includes(raw)) throw new SweepError(`${key}: '${raw}' is not an activation: ${ACTIVATIONS.join(', ')}`);
    return raw as Activation;
  }
  const v = parseNumber(raw);
  if (!Number.isFinite(v)) throw new SweepError(`${key}: '${raw}' is not a number`);
  return v;
}

/** How a value shows in the settings: numbers as numbers, the init as the spec writes it. */
function settingValue(key: SweepKey, value: number | Activation | InitScheme): number | string {
  if (key === 'init') return initText(value as InitScheme);
  return value as number | string;
}

function settingText(key: SweepKey, value: number | Activation | InitScheme): string {
  const v = settingValue(key, value);
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** The designer's edit that writes `key = value` into the spec. */
export function settingEdit(key: SweepKey, value: number | string): NetworkEdit {
  const typed = typeof value === 'number' ? value : parseValue(key, value);
  const layer = layerOf(key);
  if (layer !== undefined) {
    return key.endsWith('.units') ? { op: 'setUnits', layer, units: typed as number } : { op: 'setActivation', layer, activation: typed as Activation };
  }
  switch (key) {
    case 'learning_rate':
      return { op: 'setLearningRate', learningRate: typed as number };
    case 'iterations':
      return { op: 'setIterations', iterations: typed as number };
    case 'seed':
      return { op: 'setSeed', seed: typed as number };
    case 'init':
      return { op: 'setInit', init: typed as InitScheme };
  }
  throw new SweepError(`cannot vary '${key}'`);
}

/**
 * The text edits that write `settings` into the document `parsed` came from, all against that
 * text, for one undo step in the editor (which applies two insertions at the same place in the
 * order given, as applySettings does). Throws SweepError for a layer the file does not have.
 */
export function settingsEdits(parsed: ParsedSpec, settings: SweepSettings, eol = '\n'): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (!isSweepKey(key)) throw new SweepError(`cannot vary '${key}': the keys are ${SWEEP_KEYS_TEXT}`);
    const layer = layerOf(key);
    if (layer !== undefined && (layer < 1 || layer > parsed.layers.length)) {
      throw new SweepError(`${key}: the spec has ${parsed.layers.length} layer${parsed.layers.length === 1 ? '' : 's'} (dense lines), numbered 1 to ${parsed.layers.length}`);
    }
    edits.push(...editToTextEdits(parsed, settingEdit(key, value), { eol }));
  }
  return edits;
}

/** The spec text with `settings` written in, one after the other (a setting the file lacks gets a line after the last one). */
export function applySettings(text: string, settings: SweepSettings): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  for (const [key, value] of Object.entries(settings)) text = applyTextEdits(text, settingsEdits(parseSpec(text), { [key]: value }, eol));
  return text;
}

/** Every combination of the axes, the first axis varying slowest. */
export function grid(axes: SweepAxis[]): SweepSettings[] {
  let combos: SweepSettings[] = [{}];
  for (const axis of axes) {
    const next: SweepSettings[] = [];
    for (const c of combos) for (const raw of axis.values) next.push({ ...c, [axis.key]: settingValue(axis.key, parseValue(axis.key, raw)) });
    combos = next;
  }
  return combos;
}

/** One run of the plan: its spec, or why it cannot train. */
export interface PlannedRun {
  index: number;
  settings: SweepSettings;
  source: string;
  spec?: NetworkSpec;
  error?: SweepRunResult['error'];
}

export interface SweepPlan {
  axes: SweepAxis[];
  runs: PlannedRun[];
}

/**
 * The runs of a sweep over `axes` of the spec `text`: each combination written in and checked
 * (with `check`, by default the checks without the data). Throws SweepError for a bad axis: a
 * key given twice, a layer the spec does not have, more than MAX_SWEEP_RUNS runs.
 */
export async function planSweep(
  text: string,
  axes: SweepAxis[],
  check: (parsed: ParsedSpec) => Diagnostic[] | Promise<Diagnostic[]> = (p) => checkSpec(p),
): Promise<SweepPlan> {
  if (!axes.length) throw new SweepError('a sweep needs at least one --vary KEY=V1,V2,...');
  const keys = axes.map((a) => a.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new SweepError(`${twice} is varied twice: give its values in one --vary ${twice}=V1,V2,...`);
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_SWEEP_RUNS) throw new SweepError(`the grid has ${count.toLocaleString('en-US')} runs; a sweep may have at most ${MAX_SWEEP_RUNS}`);
  const runs: PlannedRun[] = [];
  for (const [index, settings] of grid(axes).entries()) {
    const source = applySettings(text, settings);
    const parsed = parseSpec(source);
    const errors = errorsOf(await check(parsed));
    if (errors.length) {
      runs.push({
        index,
        settings,
        source,
        error: {
          message: `with these settings the spec does not check: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : ''}`,
          kind: errorsKind(errors.map((d) => d.code)),
          diagnostics: errors.map((d) => formatDiagnostic(d)),
        },
      });
    } else runs.push({ index, settings, source, spec: parsed.spec });
  }
  return { axes, runs };
}

export interface SweepRunnerOptions {
  /** the training worker's script (dist/worker.js) */
  workerPath: string;
  /** makes a worker (default `new Worker(workerPath)`); the tests run the TypeScript source */
  createWorker?: (workerPath: string) => Worker;
  /** the folder the spec's data paths are relative to */
  specDir: string;
  specPath?: string;
  /** workers training at once (default: one per core, at most one per run) */
  workers?: number;
  kernels?: 'auto' | 'typescript';
  /** least time between a run's progress callbacks (ms, default PROGRESS_EVERY_MS.sweep) */
  progressEveryMs?: number;
  /** the user's limits for each run (the extension's settings; the CLI has none) */
  limits?: StartMessage['limits'];
  /** how often each run records its cost (default: the spec's print_every) */
  recordEvery?: (spec: NetworkSpec) => number;
}

export interface SweepCallbacks {
  /** each run's events as the worker sends them (`started`, then `progress`; their id is the run's index) */
  onRunEvent?: (event: StartedEvent | ProgressEvent) => void;
  /** every run that ends (trained, failed or refused), in the order they end */
  onRunDone?: (result: SweepRunResult) => void;
}

export interface SweepOutcome {
  /** the runs that ended, in grid order (all of them unless stopped) */
  results: SweepRunResult[];
  stopped: boolean;
}

/** A result with no numbers (the run did not train). */
function failed(run: PlannedRun, error: NonNullable<SweepRunResult['error']>, progress: { iterations: number; costs: [number, number][]; seconds: number }): SweepRunResult {
  return {
    index: run.index,
    settings: run.settings,
    finalCost: null,
    trainAccuracy: null,
    testAccuracy: null,
    trainMetrics: null,
    testMetrics: null,
    iterations: progress.iterations,
    seconds: progress.seconds,
    costs: progress.costs,
    error,
  };
}

function trained(run: PlannedRun, done: DoneMessage): SweepRunResult {
  return {
    index: run.index,
    settings: run.settings,
    finalCost: done.costs.length ? done.costs[done.costs.length - 1][1] : null,
    trainAccuracy: done.trainAccuracy,
    testAccuracy: done.testAccuracy,
    trainMetrics: done.model.trainMetrics ?? null,
    testMetrics: done.model.testMetrics ?? null,
    iterations: done.iterations,
    seconds: done.seconds,
    costs: done.costs,
  };
}

/** Runs a plan: `start()` once, `cancel()` at any time. */
export class SweepRunner {
  readonly workers: number;
  private readonly clients: TrainerClient[] = [];
  private cancelled = false;
  private started = false;

  constructor(
    readonly plan: SweepPlan,
    private readonly options: SweepRunnerOptions,
  ) {
    const training = plan.runs.filter((r) => r.spec).length;
    this.workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), training));
  }

  get stopped(): boolean {
    return this.cancelled;
  }

  /**
   * Stops the sweep: the runs under way end at once (their results are dropped), the others do
   * not start. `start()`'s promise then resolves with the runs that had ended and `stopped`.
   */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const c of this.clients) c.stop();
  }

  async start(callbacks: SweepCallbacks = {}): Promise<SweepOutcome> {
    if (this.started) throw new Error('a sweep runs once');
    this.started = true;
    const queue = [...this.plan.runs];
    const results: SweepRunResult[] = [];
    // two runs at once: one kernel thread each, so that they do not compete for the same cores
    const threads: 1 | 2 = this.workers > 1 ? 1 : 2;
    const finish = (r: SweepRunResult): void => {
      results.push(r);
      callbacks.onRunDone?.(r);
    };
    const work = async (client: TrainerClient): Promise<void> => {
      for (let run = queue.shift(); run && !this.cancelled; run = queue.shift()) {
        if (!run.spec) {
          finish(failed(run, run.error!, { iterations: 0, costs: [], seconds: 0 }));
          continue;
        }
        const costs: [number, number][] = [];
        let iteration = 0;
        const startedAt = Date.now();
        const index = run.index;
        try {
          const { done } = client.run(
            {
              runId: index,
              spec: run.spec,
              specDir: this.options.specDir,
              specPath: this.options.specPath,
              kernels: this.options.kernels,
              threads,
              progressEveryMs: this.options.progressEveryMs ?? PROGRESS_EVERY_MS.sweep,
              ...(this.options.limits ? { limits: this.options.limits } : {}),
              ...(this.options.recordEvery ? { recordEvery: this.options.recordEvery(run.spec) } : {}),
            },
            {
              onEvent: (e) => {
                if (e.kind === 'progress') {
                  costs.push(...e.progress.costs);
                  iteration = e.progress.iteration;
                }
                callbacks.onRunEvent?.(e);
              },
            },
          );
          const result = await done;
          if (result.cancelled) continue; // the sweep was stopped: no result for this run
          finish(trained(run, result));
        } catch (err) {
          if (this.cancelled) continue;
          const e = err instanceof TrainingError ? err : new TrainingError(String(err), 'internal');
          finish(failed(run, { message: e.message, kind: e.kind }, { iterations: e.iteration ?? iteration, costs, seconds: (Date.now() - startedAt) / 1000 }));
        }
      }
    };
    try {
      for (let i = 0; i < this.workers; i++) this.clients.push(new TrainerClient(this.options.workerPath, { createWorker: this.options.createWorker }));
      await Promise.all(this.clients.map((c) => work(c)));
    } finally {
      for (const c of this.clients) c.dispose();
    }
    results.sort((a, b) => a.index - b.index);
    return { results, stopped: this.cancelled };
  }
}
