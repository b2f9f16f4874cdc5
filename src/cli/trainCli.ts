// `nnspec train FILE [--json] [--out MODEL.json]`: trains in process with the same engine as
// the extension's worker. The --json object is a contract: extend, never rename.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataError, inspectData, loadDataset, validateData, type Dataset } from '../trainer/datasets';
import { DivergedError, TrainingRun } from '../trainer/run';
import { checkFile, formatDiagnostic, type CliIO } from './check';

export interface TrainJson {
  costs: [number, number][];
  train_accuracy: number;
  test_accuracy: number | null;
  iterations: number;
  seconds: number;
}

export async function trainCommand(file: string, opts: { json: boolean; out?: string }, io: CliIO): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`nnspec: ${message}\n`);
    if (opts.json) io.stdout(JSON.stringify({ error: message }) + '\n');
    return 1;
  };
  let checked;
  try {
    checked = await checkFile(file, inspectData);
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) io.stderr(formatDiagnostic(file, d) + '\n');
    return fail(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} before training`);
  }
  const { spec } = checked.parsed;
  if (!spec.train) return fail(`${file} has no training data: add a \`data train ...\` line`);
  const specDir = path.dirname(path.resolve(file));
  let train: Dataset;
  let test: Dataset | undefined;
  try {
    train = await loadDataset(spec.train, specDir);
    validateData('training', train, spec.inputSize!, spec.loss);
    if (spec.test) {
      test = await loadDataset(spec.test, specDir);
      validateData('test', test, spec.inputSize!, spec.loss);
    }
  } catch (err) {
    return fail(err instanceof DataError ? err.message : `could not load the data: ${String(err)}`);
  }
  const run = new TrainingRun(spec, train, test);
  try {
    while (!run.done) {
      const i = run.iteration;
      const cost = run.step();
      if (!opts.json && (i % spec.printEvery === 0 || i === run.total - 1)) io.stdout(`Cost after iteration ${i}: ${cost}\n`);
    }
  } catch (err) {
    return fail(err instanceof DivergedError ? err.message : String(err));
  }
  const model = run.toModel(readFileSync(file, 'utf8'));
  if (opts.out) {
    try {
      writeFileSync(opts.out, JSON.stringify(model) + '\n');
    } catch (err) {
      return fail(`cannot write the model to ${opts.out}: ${(err as Error).message}`);
    }
  }
  if (opts.json) {
    const out: TrainJson = {
      costs: run.costs,
      train_accuracy: model.trainAccuracy,
      test_accuracy: model.testAccuracy,
      iterations: run.iteration,
      seconds: run.seconds,
    };
    io.stdout(JSON.stringify(out) + '\n');
  } else {
    const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
    io.stdout(`Train accuracy: ${pct(model.trainAccuracy)}\n`);
    if (model.testAccuracy !== null) io.stdout(`Test accuracy: ${pct(model.testAccuracy)}\n`);
    io.stdout(`${run.iteration} iterations in ${run.seconds.toFixed(2)} s` + (opts.out ? `; model saved to ${opts.out}` : '') + '\n');
  }
  return 0;
}
