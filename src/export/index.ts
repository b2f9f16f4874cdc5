// Exports a network to NumPy (`.npz` + `.py`), PyTorch (`.py` + `.npz`), ONNX (`.onnx`) or the
// course's whole NumPy implementation. No vscode import: the CLI (`nnspec export`) and the
// extension (nnspec: Export Model...) share it. See docs/export.md for the formats.
//
// loadExportModel reads a `.model.json` or a spec (trained here first, or untrained);
// exportTarget decides the file names; buildExport makes the files' bytes; writeExport writes them.

import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkSpec, collectDataFacts, formatDiagnostic, parseSpec } from '../language';
import { errorsKind, errorsOf } from '../shared/model/diagnostics';
import type { CliErrorKind } from '../shared/model/errors';
import type { NetworkSpec } from '../shared/model/spec';
import type { SavedModel } from '../shared/model/results';
import { inspectData, loadSpecData, type Dataset } from '../trainer/datasets';
import { DataError, DivergedError, errorKind, SpecError } from '../trainer/errors';
import { initializeParameters, layerDims } from '../trainer/model';
import { TrainingRun } from '../trainer/run';
import { ModelError, modelDataDir, parseSavedModel } from '../trainer/savedModel';
import { courseFiles, type RawData } from './course';
import { baseName, EXPORT_FORMATS, fileName, fromSavedModel, runFacts, type ExportFormat, type ExportModel } from './model';
import { onnxBytes } from './onnx/onnxExport';
import { numpyScript, parametersNpz, pytorchScript } from './python';

export { EXPORT_FORMATS, fromSavedModel, runFacts, type ExportFormat, type ExportModel } from './model';

/** An export that cannot be made; `kind` as the CLI's JSON reports it. */
export class ExportError extends Error {
  constructor(
    message: string,
    /** 'usage' (a file that cannot be read or written, an option that does not apply), 'model' (an unreadable model file), 'spec', 'data', 'diverged' or 'internal' */
    readonly kind: CliErrorKind,
    /** the spec's errors as `file:line:col: error: message [code]`, when those stopped it */
    readonly diagnostics?: string[],
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export function isModelFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

export interface LoadOptions {
  format: ExportFormat;
  /** a spec: export its initial parameters instead of training it first */
  untrained?: boolean;
  /**
   * Called after each training iteration of a spec (the CLI's progress); `cost()` computes that
   * iteration's cost when asked. May throw to stop.
   */
  onIteration?: (iteration: number, total: number, cost: () => number | undefined) => void;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExportError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`, 'usage');
  }
}

/** The ExportModel of a saved model's text (throws ExportError 'model' naming what is wrong). */
export function exportModelOfSaved(text: string, file: string): ExportModel {
  let model: SavedModel;
  try {
    model = parseSavedModel(text);
  } catch (err) {
    if (err instanceof ModelError) throw new ExportError(`${fileName(file)} is not a usable model: ${err.message}`, 'model');
    throw err;
  }
  return fromSavedModel(model, file, modelDataDir(model, path.dirname(path.resolve(file))));
}

function initText(spec: NetworkSpec): string {
  const init = spec.init.kind === 'random' ? `random ${spec.init.scale}` : spec.init.kind;
  return `init ${init}, seed ${spec.seed}`;
}

/** A spec's network with its initial parameters (what `np.random.seed(S)` and the init scheme give). */
export function untrainedModel(spec: NetworkSpec, specFile: string): ExportModel {
  const params = initializeParameters(layerDims(spec), spec.init, spec.seed);
  return {
    name: spec.name ?? baseName(specFile),
    spec,
    parameters: params.map(({ W, b }) => ({
      W: Array.from({ length: W.rows }, (_, i) => Array.from(W.data.subarray(i * W.cols, (i + 1) * W.cols))),
      b: Array.from(b.data),
    })),
    trained: false,
    provenance: `${fileName(specFile)}, untrained: the initial parameters (${initText(spec)})`,
    dataDir: path.dirname(path.resolve(specFile)),
    specPath: path.resolve(specFile),
    costs: [],
  };
}

/**
 * Reads what to export: a saved model (`*.json`) as it is, or a spec, checked and then trained
 * (or, with `untrained` and for the course code, with its initial parameters). Throws ExportError.
 */
export async function loadExportModel(file: string, options: LoadOptions): Promise<ExportModel> {
  const text = readText(file);
  if (isModelFile(file)) {
    if (options.untrained) throw new ExportError(`--untrained applies to a spec: ${fileName(file)} is a saved model, exported with its trained parameters`, 'usage');
    return exportModelOfSaved(text, file);
  }
  const specPath = path.resolve(file);
  const specDir = path.dirname(specPath);
  const parsed = parseSpec(text);
  const train = !options.untrained && options.format !== 'course';
  // the data is checked when it is needed: for training, and for the course code, which reads it
  const facts = options.untrained ? {} : await collectDataFacts(parsed, specDir, inspectData);
  const errors = errorsOf(checkSpec(parsed, facts));
  if (errors.length) {
    const lines = errors.map((d) => formatDiagnostic(d, file));
    const kind = errorsKind(errors.map((d) => d.code));
    throw new ExportError(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: fix ${errors.length === 1 ? 'it' : 'them'} before exporting`, kind, lines);
  }
  const { spec } = parsed;
  if (!train) return untrainedModel(spec, file);
  if (!spec.train) throw new ExportError(`${file} has no training data: add a \`data train ...\` line, or export the initial parameters with --untrained`, 'data');
  let data: Partial<Record<'train' | 'test', Dataset>>;
  try {
    data = await loadSpecData(spec, specDir);
  } catch (err) {
    const known = err instanceof DataError || err instanceof SpecError;
    throw new ExportError(known ? (err as Error).message : `could not load the data: ${String(err)}`, errorKind(err));
  }
  const { run } = await TrainingRun.start(spec, data.train!, data.test);
  let saved;
  try {
    while (!run.done) {
      run.step();
      options.onIteration?.(run.iteration - 1, run.total, () => run.lastCost()?.[1]);
    }
    saved = run.toModel({ source: text, specPath, specDir });
  } catch (err) {
    if (err instanceof ExportError) throw err;
    throw new ExportError(err instanceof DivergedError ? err.message : String(err), errorKind(err));
  } finally {
    run.dispose();
  }
  return { ...fromSavedModel(saved, file, specDir), provenance: `${fileName(file)}, trained by nnspec export (${runFacts(saved)})` };
}

// ---------------------------------------------------------------------------- file names

/** The extensions a format writes, its main file's first. */
const EXTENSIONS: Record<ExportFormat, string[]> = {
  numpy: ['.npz', '.py'],
  pytorch: ['.py', '.npz'],
  onnx: ['.onnx'],
  course: ['.py'],
};

const DEFAULT_SUFFIX: Record<ExportFormat, string> = { numpy: '', pytorch: '_torch', onnx: '', course: '_course' };

export interface ExportTarget {
  /** the folder the files go to (absolute) */
  dir: string;
  /** the files' common name, without extension */
  stem: string;
  /** the main file (absolute): the `.npz`, the `.py` or the `.onnx` */
  main: string;
}

/** The default file name of a format's main file for an input file (`planar.model.json` → `planar.npz`). */
export function defaultFileName(format: ExportFormat, input: string): string {
  return baseName(input) + DEFAULT_SUFFIX[format] + EXTENSIONS[format][0];
}

/**
 * Where a format's files go: beside the input by default; into `out` when it is a folder; else
 * `out` names the main file (its extension may be left off: `--out net` gives net.npz and net.py).
 */
export function exportTarget(format: ExportFormat, input: string, out?: string): ExportTarget {
  let dir: string;
  let stem: string;
  const isDir = out !== undefined && (/[\\/]$/.test(out) || isDirectory(out));
  if (out === undefined || isDir) {
    dir = path.resolve(out ?? path.dirname(input));
    stem = baseName(input) + DEFAULT_SUFFIX[format];
  } else {
    dir = path.dirname(path.resolve(out));
    const name = path.basename(out);
    const ext = EXTENSIONS[format].find((e) => name.toLowerCase().endsWith(e) && name.length > e.length);
    stem = ext ? name.slice(0, -ext.length) : name;
  }
  return { dir, stem, main: path.join(dir, stem + EXTENSIONS[format][0]) };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Why the files cannot be written to `target.dir`, checked before any training. */
export function targetProblem(target: ExportTarget): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(target.dir).isDirectory();
  } catch {
    return `cannot write to ${target.dir}: the folder does not exist (create it first)`;
  }
  if (!isDir) return `cannot write to ${target.dir}: it is not a folder`;
  try {
    accessSync(target.dir, constants.W_OK);
  } catch {
    return `cannot write to ${target.dir}: the folder is not writable`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------- the files

export interface ExportFile {
  /** absolute path */
  path: string;
  bytes: Uint8Array;
}

export interface BuildOptions {
  /** ONNX: float32 instead of float64 */
  float?: boolean;
  /** stored in the ONNX model as producer_version */
  producerVersion?: string;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A data file's path relative to the script's folder, with forward slashes. */
function relativeTo(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

async function rawData(model: ExportModel, split: 'train' | 'test'): Promise<RawData | undefined> {
  const source = model.spec[split];
  if (!source) return undefined;
  // the script scales, as nnspec does: give it the numbers before the scale
  return (await loadSpecData(model.spec, model.dataDir ?? '.', { splits: [split], unscaled: true }))[split];
}

/** The files of an export (nothing is written). Throws ExportError. */
export async function buildExport(model: ExportModel, format: ExportFormat, target: ExportTarget, options: BuildOptions = {}): Promise<ExportFile[]> {
  const file = (ext: string, bytes: Uint8Array): ExportFile => ({ path: path.join(target.dir, target.stem + ext), bytes });
  const npzName = target.stem + '.npz';
  switch (format) {
    case 'numpy':
      return [file('.npz', parametersNpz(model)), file('.py', utf8(numpyScript(model, npzName)))];
    case 'pytorch':
      return [file('.py', utf8(pytorchScript(model, npzName))), file('.npz', parametersNpz(model))];
    case 'onnx':
      return [file('.onnx', onnxBytes(model, options))];
    case 'course': {
      if (!model.spec.train) throw new ExportError(`${model.name} has no training data (a \`data train ...\` line): the course code trains on it`, 'data');
      const data: { train?: RawData; test?: RawData } = {};
      const dataPaths: { train?: string; test?: string } = {};
      try {
        for (const split of ['train', 'test'] as const) {
          const source = model.spec[split];
          if (source?.kind === 'file') {
            if (model.dataDir === undefined) throw new DataError(`the model does not say where its spec was, so its data file '${source.path}' cannot be found`);
            dataPaths[split] = relativeTo(target.dir, path.resolve(model.dataDir, source.path));
          }
          // CSV files are read by the script itself; the rest goes into the data .npz
          if (source && !(source.kind === 'file' && source.path.toLowerCase().endsWith('.csv'))) data[split] = await rawData(model, split);
        }
      } catch (err) {
        throw new ExportError((err as Error).message, errorKind(err));
      }
      const { script, dataNpz } = courseFiles(model, { stem: target.stem, dataPaths, data });
      return [file('.py', utf8(script)), ...(dataNpz ? [file('_data.npz', dataNpz)] : [])];
    }
  }
}

/** Writes the files (throws ExportError 'usage' naming the file that could not be written). */
export function writeExport(files: ExportFile[]): void {
  for (const f of files) {
    try {
      writeFileSync(f.path, f.bytes);
    } catch (err) {
      throw new ExportError(`cannot write ${f.path}: ${(err as Error).message}`, 'usage');
    }
  }
}

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}
