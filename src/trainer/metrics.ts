// The confusion matrix of a binary classifier and the metrics from it: precision, recall, F1.
// A prediction is 1 when A[L] > 0.5 (as the accuracy counts it); label 1 is the positive class.
//
// Precision tp / (tp + fp) is undefined (null) when nothing is predicted positive, recall
// tp / (tp + fn) when no label is positive; F1 = 2tp / (2tp + fp + fn), the harmonic mean of the
// two where both are defined, is null only when there is neither a positive label nor a positive
// prediction (tp = fp = fn = 0). With labels other than 0 and 1 (a regression with `loss mse`)
// there is no confusion matrix at all: the metrics are null.

import type { ClassificationMetrics, ConfusionCounts } from '../shared/model/results';
import type { Matrix } from './kernels';

export type { ClassificationMetrics, ConfusionCounts } from '../shared/model/results';

/** A confusion matrix being counted: `other` counts labels that are neither 0 nor 1. */
export interface Confusion extends ConfusionCounts {
  other: number;
}

export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, tn: 0, fn: 0, other: 0 };
}

/**
 * Adds the examples (columns) of A[L] to `into`, against the labels Y[:, from..from + A.cols).
 * A and Y have one row (the output layer's unit and the labels).
 */
export function countConfusion(A: Matrix, Y: Matrix, from = 0, into: Confusion = emptyConfusion()): Confusion {
  if (A.rows !== Y.rows) throw new Error(`countConfusion: shapes (${A.rows}, ${A.cols}) and (${Y.rows}, ${Y.cols}) differ`);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const predicted = A.data[i * A.cols + j] > 0.5;
      const y = Y.data[i * Y.cols + from + j];
      if (y === 1) {
        if (predicted) into.tp++;
        else into.fn++;
      } else if (y === 0) {
        if (predicted) into.fp++;
        else into.tn++;
      } else into.other++;
    }
  }
  return into;
}

/** The fraction of predictions equal to their label: (tp + tn) / examples (a label not 0/1 never is). */
export function confusionAccuracy(c: Confusion): number {
  return (c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn + c.other);
}

/** Precision, recall and F1 from the counts (null where undefined, see the top of this file). */
export function metricsFromCounts(c: ConfusionCounts): ClassificationMetrics {
  const { tp, fp, tn, fn } = c;
  return {
    tp,
    fp,
    tn,
    fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    f1: 2 * tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn),
  };
}

/** The metrics of a confusion matrix, or null when some labels are not 0/1 (no classes). */
export function confusionMetrics(c: Confusion): ClassificationMetrics | null {
  return c.other > 0 ? null : metricsFromCounts(c);
}

/** "0.9235" or "–" (undefined), for text tables. */
export function metricText(v: number | null, digits = 4): string {
  return v === null ? '–' : v.toFixed(digits);
}

/** One line: `precision 0.9235, recall 0.8850, F1 0.9038 (TP 180, FP 15, TN 181, FN 24)`. */
export function metricsLine(m: ClassificationMetrics): string {
  return `precision ${metricText(m.precision)}, recall ${metricText(m.recall)}, F1 ${metricText(m.f1)} (TP ${m.tp}, FP ${m.fp}, TN ${m.tn}, FN ${m.fn})`;
}
