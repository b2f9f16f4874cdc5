// `nnspec train FILE [--json] [--out MODEL.json]`: trains in process with the same engine as
// the extension's worker. The --json object is a contract: extend, never rename.

import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectData, loadDataset, validateData, type Dataset } from '../trainer/datasets';
import { DataError, DivergedError, errorKind, SpecError } from '../trainer/errors';
import { metricsLine } from '../trainer/metrics';
import { TrainingRun } from '../trainer/run';
import type { ClassificationMetrics } from '../shared/workerProtocol';
import { checkFile, formatDiagnostic, type CliIO } from './check';

export interface TrainJson {
  costs: [number, number][];
  train_accuracy: number;
  test_accuracy: number | null;
  iterations: number;
  seconds: number;
  /** the confusion matrix with precision / recall / F1 (null: labels not all 0/1, or no test set) */
  train_metrics: ClassificationMetrics | null;
  test_metrics: ClassificationMetrics | null;
}

/** What `--json` prints when training fails (exit status 1). */
export interface TrainErrorJson {
  error: string;
  /** 'data', 'spec', 'diverged', 'usage' (a file that cannot be read or written) or 'internal' */
  kind: string;
  /** the spec's errors, as `nnspec check` prints them, when those stopped the run */
  diagnostics?: string[];
}

/** Diagnostics about the data rather than the network: a run they stop fails with kind 'data'. */
const DATA_DIAGNOSTICS = new Set(['nnspec-data-unreadable', 'nnspec-input-mismatch', 'nnspec-labels-not-binary', 'nnspec-no-train-data']);

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

export async function trainCommand(file: string, opts: { json: boolean; out?: string }, io: CliIO): Promise<number> {
  const fail = (message: string, kind = 'internal', diagnostics?: string[]): number => {
    io.stderr(`nnspec: ${message}\n`);
    if (opts.json) io.stdout(JSON.stringify({ error: message, kind, ...(diagnostics ? { diagnostics } : {}) } satisfies TrainErrorJson) + '\n');
    return 1;
  };
  if (opts.out !== undefined) {
    const problem = outProblem(opts.out);
    if (problem) return fail(problem, 'usage');
  }
  let checked;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    checked = await checkFile(file, inspectData);
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, 'usage');
  }
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const lines = errors.map((d) => formatDiagnostic(file, d));
    for (const line of lines) io.stderr(line + '\n');
    const kind = errors.every((d) => DATA_DIAGNOSTICS.has(d.code)) ? 'data' : 'spec';
    return fail(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} before training`, kind, lines);
  }
  const { spec } = checked.parsed;
  if (!spec.train) return fail(`${file} has no training data: add a \`data train ...\` line`, 'data');
  const specPath = path.resolve(file);
  const specDir = path.dirname(specPath);
  let train: Dataset;
  let test: Dataset | undefined;
  try {
    train = await loadDataset(spec.train, specDir);
    validateData('training', train, spec);
    if (spec.test) {
      test = await loadDataset(spec.test, specDir);
      validateData('test', test, spec);
    }
  } catch (err) {
    const known = err instanceof DataError || err instanceof SpecError;
    return fail(known ? (err as Error).message : `could not load the data: ${String(err)}`, errorKind(err));
  }
  const { run, notice } = await TrainingRun.start(spec, train, test);
  if (notice) io.stderr(`nnspec: ${notice}\n`);
  try {
    while (!run.done) {
      const recorded = run.costs.length;
      run.step();
      if (!opts.json && run.costs.length > recorded) {
        const [i, cost] = run.costs[run.costs.length - 1];
        io.stdout(`Cost after iteration ${i}: ${cost}\n`);
      }
    }
  } catch (err) {
    run.dispose();
    return fail(err instanceof DivergedError ? err.message : String(err), errorKind(err));
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
    const out: TrainJson = {
      costs: run.costs,
      train_accuracy: model.trainAccuracy,
      test_accuracy: model.testAccuracy,
      iterations: run.iteration,
      seconds: run.seconds,
      train_metrics: model.trainMetrics ?? null,
      test_metrics: model.testMetrics ?? null,
    };
    io.stdout(JSON.stringify(out) + '\n');
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
