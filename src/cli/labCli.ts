// The course's lab on the command line: `nnspec sweep`, `nnspec step` and `nnspec gradcheck`.
// Each JSON shape is a contract (docs/lab.md): extend, never rename.
//   failure: {"error", "kind"} (+ "diagnostics" when the spec's errors stopped it), exit 1;
//   usage errors (a bad option or value) exit 2.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkSpec, collectDataFacts, parseSpec } from '../language';
import { DEFAULT_BUDGET, formatGradientCheck, gradientCheck, gradientCheckResult, GradientCheckRefused, planGradientCheck } from '../lab/gradcheck';
import { formatLogisticGraph, logisticGraph, notLogistic } from '../lab/logistic';
import { formatStep, passAt, runTo, stepSummary } from '../lab/step';
import { parseVary, planSweep, SweepError, SweepRunner, type SweepOutcome } from '../lab/sweep';
import type { GradientCheckResult, SweepAxis, SweepRunResult } from '../shared/model/results';
import { errorsKind, errorsOf } from '../shared/model/diagnostics';
import type { CliErrorKind } from '../shared/model/errors';
import { layerSizes, type NetworkSpec } from '../shared/model/spec';
import type { ClassificationMetrics } from '../shared/model/results';
import { inspectData, loadSpecData, type Dataset } from '../trainer/datasets';
import { DataError, DivergedError, errorKind, SpecError } from '../trainer/errors';
import { matrix } from '../trainer/kernels';
import type { LayerParams } from '../trainer/model';
import { formatDiagnostic } from '../language';
import { checkFile, type CliIO } from './check';

export const LAB_COMMANDS = ['sweep', 'step', 'gradcheck'] as const;
export type LabCommand = (typeof LAB_COMMANDS)[number];

export const LAB_USAGE = `  sweep FILE --vary KEY=V1,V2,... [--vary KEY2=...] [--workers N] [--json]
                                      train the spec once per combination of the values
                                      (a grid, the first KEY varying slowest); KEY is
                                      layerL.units, layerL.activation, learning_rate,
                                      iterations, init (zeros, random:0.01, xavier, he), seed
  step FILE [--iteration N] [--json]  forward and backward propagation after N updates
                                      (0: the initial parameters): Z, A, dA, dZ, dW, db
  step FILE --graph [--example K] [--iteration N] [--json]
                                      logistic regression as a computation graph, for
                                      training example K (0-based)
  gradcheck FILE [--iteration N] [--examples N] [--max-params N] [--json]
                                      check backpropagation against the two-sided
                                      numerical gradient (exit status 1 when it fails)
`;

interface LabArgs {
  command: LabCommand;
  file?: string;
  json: boolean;
  help: boolean;
  vary: string[];
  graph: boolean;
  /** option -> raw value */
  values: Map<string, string>;
  errors: string[];
}

/** Options that take a value, per command. */
const VALUE_OPTIONS: Record<LabCommand, string[]> = {
  sweep: ['--vary', '--workers'],
  step: ['--iteration', '--example'],
  gradcheck: ['--iteration', '--examples', '--max-params'],
};
const FLAG_OPTIONS: Record<LabCommand, string[]> = {
  sweep: ['--json'],
  step: ['--json', '--graph'],
  gradcheck: ['--json'],
};

/** The lab command `argv` asks for (its first word that is not an option), or undefined. */
export function labCommandOf(argv: string[]): LabCommand | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  return (LAB_COMMANDS as readonly string[]).includes(first ?? '') ? (first as LabCommand) : undefined;
}

function parseLabArgs(command: LabCommand, argv: string[]): LabArgs {
  const args: LabArgs = { command, json: false, help: false, vary: [], graph: false, values: new Map(), errors: [] };
  let sawCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') args.help = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (VALUE_OPTIONS[command].includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[i + 1];
        if (eq < 0) i++;
        if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
          args.errors.push(`${name} needs a value`);
          if (eq < 0 && value !== undefined && value.startsWith('--')) i--;
        } else if (name === '--vary') args.vary.push(value);
        else if (args.values.has(name)) args.errors.push(`${name} is given twice`);
        else args.values.set(name, value);
      } else if (FLAG_OPTIONS[command].includes(a)) {
        if (a === '--json') args.json = true;
        if (a === '--graph') args.graph = true;
      } else args.errors.push(`unknown option ${a} for ${command}`);
    } else if (a.startsWith('-')) args.errors.push(`unknown option ${a} for ${command}`);
    else if (!sawCommand && a === command) sawCommand = true;
    else if (!args.file) args.file = a;
    else args.errors.push(`unexpected argument '${a}'`);
  }
  return args;
}

/** A whole number from `min` to `max`, or a usage error. */
function intOption(args: LabArgs, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new UsageError(`${name} needs a whole number from ${min} to ${max.toLocaleString('en-US')}, not '${raw}'`);
  return v;
}

class UsageError extends Error {}

/** A failure with its kind for the JSON, and the spec's errors when those stopped the command. */
class LabFailure extends Error {
  constructor(
    message: string,
    readonly kind: CliErrorKind,
    readonly diagnostics?: string[],
  ) {
    super(message);
  }
}

interface Loaded {
  spec: NetworkSpec;
  source: string;
  specPath: string;
  specDir: string;
  train: Dataset;
}


/** Reads and checks the spec and loads its training data, as `nnspec train` does. */
async function load(file: string): Promise<Loaded> {
  let checked;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    checked = await checkFile(file, inspectData);
  } catch (err) {
    throw new LabFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, 'usage');
  }
  const errors = errorsOf(checked.diagnostics);
  if (errors.length) {
    const kind = errorsKind(errors.map((d) => d.code));
    throw new LabFailure(
      `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} first`,
      kind,
      errors.map((d) => formatDiagnostic(d, file)),
    );
  }
  const { spec } = checked.parsed;
  if (!spec.train) throw new LabFailure(`${file} has no training data: add a \`data train ...\` line`, 'data');
  const specPath = path.resolve(file);
  const specDir = path.dirname(specPath);
  try {
    const { train } = await loadSpecData(spec, specDir, { splits: ['train'] });
    return { spec, source, specPath, specDir, train: train! };
  } catch (err) {
    const known = err instanceof DataError || err instanceof SpecError;
    throw new LabFailure(known ? (err as Error).message : `could not load the data: ${String(err)}`, errorKind(err));
  }
}

/** The parameters as plain TypeScript matrices (independent of the run's buffers). */
function copyParams(params: LayerParams[]): LayerParams[] {
  return params.map(({ W, b }) => ({ W: matrix(W.rows, W.cols, Float64Array.from(W.data)), b: matrix(b.rows, b.cols, Float64Array.from(b.data)) }));
}

/** The training worker: dist/worker.js beside the bundled CLI, or the TypeScript source through tsx. */
export function trainWorkerScript(): { workerPath: string; createWorker?: (file: string) => Worker } {
  const bundled = path.join(__dirname, 'worker.js');
  if (existsSync(bundled)) return { workerPath: bundled };
  const source = path.join(__dirname, '..', 'trainer', 'trainWorker.ts');
  if (existsSync(source)) {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    return { workerPath: source, createWorker: (f) => new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(f)});`, { eval: true }) };
  }
  throw new LabFailure(`the training worker is missing (${bundled}): run npm run build`, 'internal');
}

export interface LabOptions {
  /** stops a sweep (the CLI connects it to SIGINT) */
  signal?: AbortSignal;
  /** where the sweep's workers come from (default: trainWorkerScript()) */
  worker?: { workerPath: string; createWorker?: (file: string) => Worker };
}

/** Runs `nnspec sweep|step|gradcheck ...`; returns the exit status. */
export async function labMain(command: LabCommand, argv: string[], io: CliIO, usage: string, options: LabOptions = {}): Promise<number> {
  const args = parseLabArgs(command, argv);
  if (args.help) {
    io.stdout(usage);
    return 0;
  }
  const fail = (message: string, kind: CliErrorKind, code = 1, diagnostics?: string[]): number => {
    for (const line of diagnostics ?? []) io.stderr(line + '\n');
    io.stderr(`nnspec: ${message}\n`);
    if (args.json) io.stdout(JSON.stringify({ error: message, kind, ...(diagnostics ? { diagnostics } : {}) }) + '\n');
    return code;
  };
  if (args.errors.length) return fail(`${args.errors.join('; ')} (see nnspec --help)`, 'usage', 2);
  if (!args.file) return fail(`${command} needs a FILE (see nnspec --help)`, 'usage', 2);
  try {
    switch (command) {
      case 'sweep':
        return await sweepCommand(args, io, options);
      case 'step':
        return await stepCommand(args, io);
      case 'gradcheck':
        return await gradcheckCommand(args, io);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof SweepError || err instanceof GradientCheckRefused) return fail(err.message, 'usage', 2);
    if (err instanceof LabFailure) return fail(err.message, err.kind, 1, err.diagnostics);
    if (err instanceof DivergedError) return fail(err.message, 'diverged');
    return fail(`${command} failed: ${err instanceof Error ? err.message : String(err)}`, 'internal');
  }
}

/** For the way to iteration N: a line on stderr every 2 s, so that a long way is not silent. */
function progressEvery2s(io: CliIO): (done: number, total: number) => void {
  let last = Date.now();
  return (done, total) => {
    if (Date.now() - last < 2000 || done === total) return;
    last = Date.now();
    io.stderr(`nnspec: training to iteration ${total}: ${done} done\n`);
  };
}

// ---------------------------------------------------------------------------------------------
// nnspec step

async function stepCommand(args: LabArgs, io: CliIO): Promise<number> {
  if (args.values.has('--example') && !args.graph) throw new UsageError('--example applies to step --graph');
  // the options are checked before the data is read
  const rawIteration = intOption(args, '--iteration', 0, 0);
  const rawExample = intOption(args, '--example', 0, 0);
  const { spec, train } = await load(args.file!);
  const iteration = rawIteration;
  if (iteration > spec.iterations) throw new UsageError(`--iteration ${iteration}: the spec trains for ${spec.iterations} iterations, so N is 0 to ${spec.iterations}`);
  if (args.graph) {
    const why = notLogistic(spec);
    if (why) throw new LabFailure(why, 'spec');
    if (rawExample >= train.X.cols) throw new UsageError(`--example ${rawExample}: the training set has examples 0 to ${train.X.cols - 1}`);
  }
  const run = await runTo(spec, train, iteration, { onStep: progressEvery2s(io) });
  try {
    if (args.graph) {
      const graph = logisticGraph(run.params, train.X, train.Y, rawExample, iteration);
      io.stdout(args.json ? JSON.stringify(graph) + '\n' : formatLogisticGraph(graph));
      return 0;
    }
    const state = passAt(run.network, iteration);
    io.stdout(args.json ? JSON.stringify(stepSummary(state)) + '\n' : formatStep(state));
    return 0;
  } finally {
    run.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// nnspec gradcheck

async function gradcheckCommand(args: LabArgs, io: CliIO): Promise<number> {
  const iterationOption = intOption(args, '--iteration', 0, 0);
  const examples = intOption(args, '--examples', 256, 1);
  const maxPerLayer = intOption(args, '--max-params', 1000, 1);
  const { spec, train } = await load(args.file!);
  if (iterationOption > spec.iterations) throw new UsageError(`--iteration ${iterationOption}: the spec trains for ${spec.iterations} iterations, so N is 0 to ${spec.iterations}`);
  // refused before any training when even a small sample would take too long
  planGradientCheck(layerSizes(spec), Math.min(examples, train.X.cols), maxPerLayer, DEFAULT_BUDGET);
  const run = await runTo(spec, train, iterationOption, { onStep: progressEvery2s(io) });
  let params: LayerParams[];
  try {
    params = copyParams(run.params);
  } finally {
    run.dispose();
  }
  const detail = gradientCheck(params, spec.layers.map((l) => l.activation), spec.loss, train.X, train.Y, { examples, maxPerLayer, iteration: iterationOption });
  const result = gradientCheckResult(detail);
  io.stdout(args.json ? JSON.stringify(gradcheckJson(result)) + '\n' : formatGradientCheck(result));
  return result.verdict === 'failed' ? 1 : 0;
}

/** What `gradcheck --json` prints (the CLI's keys are snake_case). */
export function gradcheckJson(r: GradientCheckResult): object {
  return {
    difference: r.difference,
    passed: r.passed,
    verdict: r.verdict,
    epsilon: r.epsilon,
    iteration: r.iteration,
    examples: r.examples,
    m: r.m,
    parameters: r.parameters,
    checked: r.checked,
    layers: r.layers.map((l) => ({
      layer: l.layer,
      difference: l.difference,
      parameters: l.parameters,
      checked: l.checked,
      gradient_norm: l.gradientNorm,
      approx_norm: l.approxNorm,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// nnspec sweep

/** One run as `sweep --json` prints it. */
export interface SweepRunJson {
  settings: Record<string, number | string>;
  final_cost: number | null;
  train_accuracy: number | null;
  test_accuracy: number | null;
  iterations: number;
  seconds: number;
  costs: [number, number][];
  train_metrics: ClassificationMetrics | null;
  test_metrics: ClassificationMetrics | null;
  /** only for a run that did not train: why, its kind, and the spec's errors when it did not check */
  error?: string;
  kind?: string;
  diagnostics?: string[];
}

export function sweepRunJson(r: SweepRunResult): SweepRunJson {
  return {
    settings: r.settings,
    final_cost: r.finalCost,
    train_accuracy: r.trainAccuracy,
    test_accuracy: r.testAccuracy,
    iterations: r.iterations,
    seconds: r.seconds,
    costs: r.costs,
    train_metrics: r.trainMetrics,
    test_metrics: r.testMetrics,
    ...(r.error ? { error: r.error.message, kind: r.error.kind, ...(r.error.diagnostics ? { diagnostics: r.error.diagnostics } : {}) } : {}),
  };
}

function settingsText(s: Record<string, number | string>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The results table: one column per key, then the numbers; a failed run shows its error. */
export function formatSweepTable(axes: SweepAxis[], outcome: SweepOutcome, total: number): string {
  const keys = axes.map((a) => a.key);
  const pct = (v: number | null): string => (v === null || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(2)} %`);
  const header = [...keys, 'final cost', 'train', 'test', 'seconds'];
  const rows = outcome.results.map((r) => [
    ...keys.map((k) => String(r.settings[k])),
    ...(r.error ? [`error: ${r.error.message}`] : [r.finalCost === null ? '–' : r.finalCost.toPrecision(6), pct(r.trainAccuracy), pct(r.testAccuracy), r.seconds.toFixed(2)]),
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.filter((r) => r.length === header.length).map((r) => r[k].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, k) => (cells.length < header.length && k === cells.length - 1 ? c : k < keys.length ? c.padEnd(widths[k]) : c.padStart(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  if (outcome.stopped) out.push(`stopped: ${outcome.results.length} of ${total} runs ended`);
  return out.join('\n') + '\n';
}

/** An AbortSignal for the process's next SIGINT; `release` removes the listener (it also goes once it fires). */
function sigint(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', abort) };
}

async function sweepCommand(args: LabArgs, io: CliIO, options: LabOptions): Promise<number> {
  if (!args.vary.length) throw new UsageError('sweep needs at least one --vary KEY=V1,V2,... (e.g. --vary layer1.units=1,2,3,4,5,20,50)');
  const axes = args.vary.map(parseVary);
  const workersOption = args.values.has('--workers') ? intOption(args, '--workers', 1, 1, 64) : undefined;
  const file = args.file!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, 'usage');
  }
  const specPath = path.resolve(file);
  const specDir = path.dirname(specPath);
  // the settings never touch the data lines: the data is read once, for every combination's checks
  const facts = await collectDataFacts(parseSpec(text), specDir, inspectData);
  const plan = await planSweep(text, axes, (parsed) => checkSpec(parsed, facts));
  const runner = new SweepRunner(plan, { ...(options.worker ?? trainWorkerScript()), specDir, specPath, workers: workersOption });
  const total = plan.runs.length;
  // Ctrl-C stops the sweep and prints the runs that ended (a second Ctrl-C ends the process)
  const own = options.signal ? undefined : sigint();
  const signal = options.signal ?? own!.signal;
  const stop = (): void => runner.cancel();
  signal.addEventListener('abort', stop);
  if (signal.aborted) runner.cancel();
  let ended = 0;
  let outcome: SweepOutcome;
  try {
    // progress on stderr (stdout is the table, or the JSON)
    io.stderr(`nnspec: ${total} run${total === 1 ? '' : 's'}, ${runner.workers} at a time\n`);
    outcome = await runner.start({
      onRunDone: (r) => {
        ended++;
        const what = r.error ? `error: ${r.error.message}` : `final cost ${r.finalCost?.toPrecision(6)} (${r.seconds.toFixed(2)} s)`;
        io.stderr(`nnspec: [${ended}/${total}] ${settingsText(r.settings)}: ${what}\n`);
      },
    });
  } finally {
    signal.removeEventListener('abort', stop);
    own?.release();
  }
  if (args.json) {
    io.stdout(JSON.stringify({ runs: outcome.results.map(sweepRunJson), ...(outcome.stopped ? { stopped: true } : {}) }) + '\n');
  } else {
    io.stdout(formatSweepTable(axes, outcome, total));
  }
  if (outcome.stopped) return 130;
  return outcome.results.some((r) => r.error) ? 1 : 0;
}
