// `nnspec train FILE [--json] [--out MODEL.json]`: trains in process with the same engine as
// the extension's worker. The --json object is a contract: extend, never rename.

import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectData, loadSpecData, type Dataset } from '../trainer/datasets';
import { DataError, DivergedError, errorKind, SpecError } from '../trainer/errors';
import { metricsLine } from '../trainer/metrics';
import { CancelledError, TrainingRun } from '../trainer/run';
import { startKernelHelper } from '../trainer/wasm/wasmBackend';
import { errorsKind, errorsOf } from '../shared/model/diagnostics';
import type { CliErrorKind } from '../shared/model/errors';
import type { Split } from '../shared/model/spec';
import type { ClassificationMetrics, SavedModel } from '../shared/model/results';
import { formatDiagnostic } from '../language';
import { checkFile, type CommandOptions } from './check';
import { errorMessage, fail as failWith, readProblem, type CliIO } from './output';

export interface TrainJson {
  costs: [number, number][];
  train_accuracy: number;
  test_accuracy: number | null;
  iterations: number;
  seconds: number;
  /** the confusion matrix with precision / recall / F1 (null: labels not all 0/1, or no test set) */
  train_metrics: ClassificationMetrics | null;
  test_metrics: ClassificationMetrics | null;
  /** present (true) when the run was interrupted (Ctrl-C): the costs and accuracies so far */
  stopped?: true;
}

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const STOPPED_EXIT = 130;


/** Why `--out FILE` cannot be written, checked before training so that no run is wasted. */
function outProblem(out: string): string | undefined {
  const dir = path.dirname(path.resolve(out));
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return `cannot save the model to ${out}: the folder ${dir} does not exist (create it first)`;
  }
  if (!isDir) return `cannot save the model to ${out}: ${dir} is not a folder`;
  try {
    if (statSync(path.resolve(out)).isDirectory()) return `cannot save the model to ${out}: it is a folder; give a file name such as ${path.join(out, 'model.json')}`;
  } catch {
    // does not exist yet: fine
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `cannot save the model to ${out}: the folder ${dir} is not writable`;
  }
  return undefined;
}

export async function trainCommand(file: string, opts: CommandOptions & { out?: string }, io: CliIO): Promise<number> {
  const fail = (message: string, kind: CliErrorKind = 'internal', diagnostics?: string[]): number => failWith(io, opts.json, message, kind, diagnostics);
  // the kernels' second thread starts while the spec is checked and the data read
  startKernelHelper();
  if (opts.out !== undefined) {
    const problem = outProblem(opts.out);
    if (problem) return fail(problem, 'usage');
  }
  let checked;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    checked = await checkFile(file, inspectData, opts.check);
  } catch (err) {
    return fail(`cannot read ${file}: ${readProblem(err)}`, 'usage');
  }
  const errors = errorsOf(checked.diagnostics);
  if (errors.length) {
    const lines = errors.map((d) => formatDiagnostic(d, file));
    for (const line of lines) io.stderr(line + '\n');
    const kind = errorsKind(errors.map((d) => d.code));
    if (kind === 'memory' && errors.length === 1) return fail(errors[0].message, kind, lines);
    return fail(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} before training`, kind, lines);
  }
  // over the memory budget is a warning while editing, and a refusal here: nothing is allocated yet
  const overBudget = checked.diagnostics.find((d) => d.code === 'nnspec-memory-budget');
  if (overBudget) return fail(overBudget.message, 'memory', [formatDiagnostic(overBudget, file)]);
  const { spec } = checked.parsed;
  if (!spec.train) return fail(`${file} has no training data: add a \`data train ...\` line`, 'data');
  const specPath = path.resolve(file);
  const specDir = path.dirname(specPath);
  let data: Partial<Record<Split, Dataset>>;
  try {
    data = await loadSpecData(spec, specDir);
  } catch (err) {
    const known = err instanceof DataError || err instanceof SpecError;
    return fail(known ? (err as Error).message : `could not load the data: ${errorMessage(err)}`, errorKind(err));
  }

  // Ctrl-C: the run stops at the next cancel check (within an iteration when it is long) and
  // reports what it has; a second Ctrl-C ends the process at once (the listener is gone)
  let interrupted = false;
  let stopping = false;
  const interrupt = (): void => {
    interrupted = true;
  };
  let stopListening: () => void;
  if (io.signal) {
    const signal = io.signal;
    if (signal.aborted) interrupted = true;
    signal.addEventListener('abort', interrupt, { once: true });
    stopListening = () => signal.removeEventListener('abort', interrupt);
  } else {
    process.once('SIGINT', interrupt);
    stopListening = () => process.removeListener('SIGINT', interrupt);
  }
  const cancel = (): void => {
    if (interrupted && !stopping) throw new CancelledError();
  };
  // with --json, stdout is the JSON object alone: the progress goes to stderr
  const progress = opts.json ? io.stderr : io.stdout;
  // (the spec has a `data train` line: checked above)
  const { run, notice } = await TrainingRun.start(spec, data.train!, data.test, { cancel });
  if (notice) io.stderr(`nnspec: ${notice}\n`);
  try {
    while (!run.done) {
      cancel();
      const recorded = run.costs.length;
      try {
        run.advance();
      } finally {
        // (a slice stopped by Ctrl-C prints the costs it recorded before the stop)
        for (const [i, cost] of run.costs.slice(recorded)) progress(`Cost after iteration ${i}: ${cost}\n`);
      }
      // let a SIGINT (or the test's abort) through: signals are delivered between tasks
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (err) {
    if (!(err instanceof CancelledError)) {
      stopListening();
      run.dispose();
      return fail(err instanceof DivergedError ? err.message : errorMessage(err), errorKind(err));
    }
    stopping = true;
  }
  stopListening();
  stopping = true;
  // the loop ends early only when the cancel check threw
  if (!run.done) {
    const code = stopped(run, opts, io);
    run.dispose();
    return code;
  }
  const model = run.toModel({ source, specPath, specDir });
  run.dispose();
  if (opts.out) {
    try {
      writeFileSync(opts.out, JSON.stringify(model) + '\n');
    } catch (err) {
      return fail(`cannot write the model to ${opts.out}: ${(err as Error).message}`, 'usage');
    }
  }
  if (opts.json) {
    io.stdout(JSON.stringify(trainJson(run, model)) + '\n');
  } else {
    const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
    io.stdout(`Train accuracy: ${pct(model.trainAccuracy)}\n`);
    if (model.trainMetrics) io.stdout(`Train ${metricsLine(model.trainMetrics)}\n`);
    if (model.testAccuracy !== null) io.stdout(`Test accuracy: ${pct(model.testAccuracy)}\n`);
    if (model.testMetrics) io.stdout(`Test ${metricsLine(model.testMetrics)}\n`);
    io.stdout(`${run.iteration} iterations in ${run.seconds.toFixed(2)} s` + (opts.out ? `; model saved to ${opts.out}` : '') + '\n');
  }
  return 0;
}

/** The `--json` object of a run and its evaluation (the saved model's, or `run.evaluate()`'s). */
function trainJson(run: TrainingRun, evaluated: Pick<SavedModel, 'trainAccuracy' | 'testAccuracy' | 'trainMetrics' | 'testMetrics'>): TrainJson {
  return {
    costs: run.costs,
    train_accuracy: evaluated.trainAccuracy,
    test_accuracy: evaluated.testAccuracy,
    iterations: run.iteration,
    seconds: run.seconds,
    train_metrics: evaluated.trainMetrics ?? null,
    test_metrics: evaluated.testMetrics ?? null,
  };
}

/**
 * A run stopped by Ctrl-C: the costs so far and the accuracies of the parameters so far (with
 * --json the normal object plus `"stopped": true`; otherwise one line), exit status 130. The
 * model is not saved.
 */
function stopped(run: TrainingRun, opts: { json: boolean; out?: string }, io: CliIO): number {
  const last = run.lastCost();
  const summary =
    `stopped at iteration ${run.iteration} of ${run.total}` +
    (last && Number.isFinite(last[1]) ? ` (cost ${last[1]})` : '') +
    (opts.out ? `; the model was not saved to ${opts.out}` : '');
  if (opts.json) {
    const out: TrainJson = { ...trainJson(run, run.evaluate()), stopped: true };
    io.stderr(`nnspec: ${summary}\n`);
    io.stdout(JSON.stringify(out) + '\n');
  } else {
    io.stdout(`S${summary.slice(1)}\n`);
  }
  return STOPPED_EXIT;
}
