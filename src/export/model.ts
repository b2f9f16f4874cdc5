// What every exporter reads: the network (spec and parameters) and where it came from, built
// from a saved model or from a spec (trained first, or with its initial parameters).

import type { NetworkSpec } from '../shared/model/spec';
import type { SavedModel } from '../shared/model/results';

export const EXPORT_FORMATS = ['numpy', 'pytorch', 'onnx', 'course'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportModel {
  /** the network's name (the spec's `network "..."`, else the file name) */
  name: string;
  spec: NetworkSpec;
  /** per layer l = 1..L: W[l] as n[l] rows of n[l-1] values, b[l] as n[l] values */
  parameters: SavedModel['parameters'];
  /** false: the initial parameters (`--untrained`) */
  trained: boolean;
  /** one line for the files' headers: what was exported, from which file */
  provenance: string;
  /** the folder the spec's data paths are relative to, when known */
  dataDir?: string;
  /** the spec file, when known */
  specPath?: string;
  /** the spec's text the model was trained from, when known */
  source?: string;
  /** what the training run records (`2500 iterations, train accuracy 98.56 %, ...`), when known */
  runSummary?: string;
  /** recorded costs [iteration, cost] of the run that trained it */
  costs: [number, number][];
}

/** The ExportModel of a saved (trained) model. */
export function fromSavedModel(model: SavedModel, file: string, dataDir?: string): ExportModel {
  const facts = runFacts(model);
  return {
    name: model.spec.name ?? baseName(file),
    spec: model.spec,
    parameters: model.parameters,
    trained: true,
    provenance: `the trained model ${fileName(file)}${facts ? ` (${facts})` : ''}`,
    runSummary: facts || undefined,
    dataDir: model.specDir ?? dataDir,
    specPath: model.specPath,
    source: model.source,
    costs: model.costs,
  };
}

/** `2500 iterations, train accuracy 98.56 %, test accuracy 80.00 %` (what the model records). */
export function runFacts(model: Pick<SavedModel, 'iterations' | 'trainAccuracy' | 'testAccuracy'>): string {
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  return [
    model.iterations ? `${model.iterations} iterations` : undefined,
    Number.isFinite(model.trainAccuracy) ? `train accuracy ${pct(model.trainAccuracy)}` : undefined,
    model.testAccuracy !== null && Number.isFinite(model.testAccuracy) ? `test accuracy ${pct(model.testAccuracy)}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** A file's name without its folder. */
export function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A file's name without the folder and `.model.json`, `.nnspec` or its last extension. */
export function baseName(file: string): string {
  const name = fileName(file);
  for (const ext of ['.model.json', '.nnspec']) if (name.toLowerCase().endsWith(ext) && name.length > ext.length) return name.slice(0, -ext.length);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The factor the spec multiplies raw features by (the training data's `scale=`; 1 without one). */
export function inputScale(spec: NetworkSpec): number {
  return spec.train?.scale ?? spec.test?.scale ?? 1;
}

/** A scale as a person writes it: `1/255` when it is exactly 1/k, else the shortest decimal. */
export function formatScale(scale: number): string {
  if (scale !== 1 && scale > 0) {
    const k = Math.round(1 / scale);
    if (k > 1 && 1 / k === scale) return `1/${k}`;
  }
  return String(scale);
}

/** `2 → 4 tanh → 1 sigmoid` */
export function describeLayers(spec: NetworkSpec): string {
  return [String(spec.inputSize), ...spec.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
}
