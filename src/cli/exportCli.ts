// `nnspec export MODEL.model.json|SPEC --format numpy|pytorch|onnx|course [--out PATH] [--json]
// [--untrained] [--float]`. The --json object is a contract: extend, never rename.
//   success: {"format", "files": [absolute paths, main file first], "untrained": bool}
//   failure: {"error", "kind"} (+ "diagnostics" when the spec's errors stopped it), exit 1;
//   usage errors (a missing or unknown --format, an option that does not apply) exit 2.

import * as path from 'node:path';
import { buildExport, EXPORT_FORMATS, ExportError, exportTarget, isExportFormat, isModelFile, loadExportModel, targetProblem, writeExport } from '../export';
import { version } from '../../package.json';
import type { CliErrorKind } from '../shared/model/errors';
import type { CliIO } from './check';

export interface ExportJson {
  format: string;
  files: string[];
  /** true when the exported parameters are the initial ones (--untrained; always for `course`, whose script trains itself) */
  untrained: boolean;
}

export interface ExportErrorJson {
  error: string;
  /** 'usage', 'model', 'spec', 'data', 'diverged' or 'internal' */
  kind: CliErrorKind;
  diagnostics?: string[];
}

export interface ExportOptions {
  format?: string;
  out?: string;
  json: boolean;
  untrained: boolean;
  float: boolean;
}

export const EXPORT_USAGE = `  export FILE --format FORMAT [--out PATH] [--untrained] [--float] [--json]
                                      write a trained model (MODEL.model.json) or a spec
                                      (trained first) as FORMAT: numpy (.npz + .py),
                                      pytorch (.py + .npz), onnx (.onnx) or course (the
                                      course's whole NumPy implementation, .py)
`;

export async function exportCommand(file: string, opts: ExportOptions, io: CliIO, producerVersion = version): Promise<number> {
  const fail = (message: string, kind: CliErrorKind, code = 1, diagnostics?: string[]): number => {
    for (const line of diagnostics ?? []) io.stderr(line + '\n');
    io.stderr(`nnspec: ${message}\n`);
    if (opts.json) io.stdout(JSON.stringify({ error: message, kind, ...(diagnostics ? { diagnostics } : {}) } satisfies ExportErrorJson) + '\n');
    return code;
  };
  if (opts.format === undefined) return fail(`export needs --format: one of ${EXPORT_FORMATS.join(', ')}`, 'usage', 2);
  const format = opts.format;
  if (!isExportFormat(format)) return fail(`unknown export format '${format}': use one of ${EXPORT_FORMATS.join(', ')}`, 'usage', 2);
  if (opts.float && format !== 'onnx') return fail(`--float applies to --format onnx only (the ${format} export is float64)`, 'usage', 2);
  if (opts.untrained && isModelFile(file)) return fail(`--untrained applies to a spec: ${path.basename(file)} is a saved model, exported with its trained parameters`, 'usage', 2);
  const target = exportTarget(format, file, opts.out);
  const problem = targetProblem(target);
  if (problem) return fail(problem, 'usage');
  try {
    const training = !isModelFile(file) && !opts.untrained && format !== 'course';
    let lastShown = Date.now();
    const model = await loadExportModel(file, {
      format,
      untrained: opts.untrained,
      onIteration: (i, total, cost) => {
        // a line now and then on stderr, so that a long run shows it is alive
        if (opts.json || i === total - 1 || Date.now() - lastShown < 2000) return;
        lastShown = Date.now();
        io.stderr(`nnspec: training ${path.basename(file)}: iteration ${i + 1}/${total}, cost ${cost()}\n`);
      },
    });
    const files = await buildExport(model, format, target, { float: opts.float, producerVersion });
    writeExport(files);
    const untrained = !model.trained;
    if (opts.json) {
      io.stdout(JSON.stringify({ format, files: files.map((f) => f.path), untrained } satisfies ExportJson) + '\n');
    } else {
      if (training) io.stdout(`Trained ${path.basename(file)}: ${model.runSummary}\n`);
      for (const f of files) io.stdout(`Wrote ${path.relative(process.cwd(), f.path) || f.path}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportError) return fail(err.message, err.kind, 1, err.diagnostics);
    return fail(String(err), 'internal');
  }
}
