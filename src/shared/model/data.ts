// What is known of a spec's data sets, and whether they fit the spec: the one rule the editor's
// checks, the trainer (before a run) and the command line apply. No vscode, DOM or node imports.

import type { Loss, NetworkSpec, Split } from './spec';

/** What the checks need to know of a data set (read by the data worker, the CLI, or known from a generated set's m=). */
export interface DataSummary {
  /** number of features per example (rows of X) */
  features: number;
  /** number of examples (columns of X) */
  m: number;
  labels: {
    /** every label is 0 or 1 */
    binary: boolean;
    /** a few of the distinct label values, sorted */
    distinct: number[];
  };
}

/** The summaries of a spec's data sets, or why one could not be read. */
export type DataFacts = Partial<Record<Split, DataSummary | { error: string }>>;

/** A way the data does not fit the spec. `kind` is what a run it stops reports (see ErrorKind). */
export interface DataFitProblem {
  code: 'nnspec-input-mismatch' | 'nnspec-labels-not-binary' | 'nnspec-output-units' | 'nnspec-data-unreadable';
  kind: 'data' | 'spec';
  message: string;
}

/** How messages name a split. */
export function splitName(split: Split): string {
  return split === 'train' ? 'training' : 'test';
}

/** The labels Y are one row, (1, m), whatever the data: the output layer must have 1 unit. */
export function outputFitProblem(units: number | undefined, loss: Loss, split?: Split, m?: number): DataFitProblem | undefined {
  if (units === undefined || units === 1) return undefined;
  const mText = m === undefined ? 'm' : String(m);
  const labels = split ? `the ${splitName(split)} labels Y` : 'the labels Y';
  const fix = bceNeedsSigmoid(loss)
    ? ' Binary cross-entropy needs one probability per example: make the last layer `dense 1 sigmoid`.'
    : ' Make the last layer `dense 1 ...`.';
  return {
    code: 'nnspec-output-units',
    kind: 'spec',
    message: `The output layer has ${units} units, so A[L] would be (${units}, ${mText}), but ${labels} are (1, ${mText}): one label per example.${fix}`,
  };
}

function bceNeedsSigmoid(loss: Loss): boolean {
  return loss === 'binary_cross_entropy';
}

/**
 * Every way the data set `split` does not fit the spec: no examples, a feature count other than
 * `input`, labels other than 0/1 with binary cross-entropy, an output layer of more than 1 unit.
 * `inputSize` undefined skips the feature check (the `input` line has an error).
 */
export function dataFitProblems(spec: Pick<NetworkSpec, 'inputSize' | 'layers' | 'loss'>, split: Split, data: DataSummary): DataFitProblem[] {
  const name = splitName(split);
  const out: DataFitProblem[] = [];
  if (data.m === 0) out.push({ code: 'nnspec-data-unreadable', kind: 'data', message: `The ${name} data has no examples.` });
  if (spec.inputSize !== undefined && data.features !== spec.inputSize) {
    out.push({
      code: 'nnspec-input-mismatch',
      kind: 'data',
      message: `The ${name} data has ${data.features} features per example, but \`input\` says ${spec.inputSize}: X is (${data.features}, ${data.m}), so W[1] must be (n[1], ${data.features}).`,
    });
  }
  const output = outputFitProblem(spec.layers[spec.layers.length - 1]?.units, spec.loss, split, data.m);
  if (output) out.push(output);
  if (bceNeedsSigmoid(spec.loss) && !data.labels.binary) {
    out.push({
      code: 'nnspec-labels-not-binary',
      kind: 'data',
      message: `Binary cross-entropy needs labels 0 and 1, but the ${name} labels include ${data.labels.distinct.slice(0, 6).join(', ')}.`,
    });
  }
  return out;
}

/** The labels' summary: whether all are 0/1, and up to 10 distinct values, sorted. */
export function summarizeLabels(y: ArrayLike<number>): DataSummary['labels'] {
  const distinct = new Set<number>();
  let binary = true;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) binary = false;
    if (distinct.size < 10) distinct.add(v);
  }
  return { binary, distinct: [...distinct].sort((a, b) => a - b) };
}

/** A generated set's summary, known from the spec alone (2 features, labels 0/1). */
export function generatedSummary(m: number): DataSummary {
  return { features: 2, m, labels: { binary: true, distinct: [0, 1] } };
}
