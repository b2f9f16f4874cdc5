// What every reader of a data file shares: where the file is, whether it may be read at all (its
// size against nnspec.data.maxFileMB), and whether what reading it needs fits the memory budget.

import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Limits } from '../../shared/model/limits';
import { DEFAULT_MEMORY_BUDGET_MB } from '../../shared/model/memory';
import type { FileDataSource } from '../../shared/model/spec';
import type { Matrix } from '../kernels';
import { DataError } from '../errors';

/** A data set as the trainer uses it: X (n_x, m) and Y (1, m), examples as columns. */
export interface Dataset {
  X: Matrix;
  Y: Matrix;
}

const MB = 1024 * 1024;

/** How much reading one data set may take. */
export function mb(bytes: number): string {
  const v = bytes / MB;
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3)} MB`;
}

function budgetOf(limits: Limits): number {
  return limits.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_MB * MB;
}

/** Refuses (DataError with refusal 'over-budget') when reading `what` needs more than the budget. */
export function checkBudget(limits: Limits, bytes: number, file: string, what: string): void {
  const budget = budgetOf(limits);
  if (bytes > budget) {
    throw new DataError(
      `Data file '${file}': reading ${what} would take about ${mb(bytes)}, more than the memory budget of ${mb(budget)} (nnspec.training.memoryBudgetMB); it is not read.`,
      'over-budget',
    );
  }
}

export function resolvePath(source: FileDataSource, specDir: string): string {
  return path.resolve(specDir, source.path);
}

export function statOrThrow(file: string, source: FileDataSource, limits: Limits = {}): { mtimeMs: number; size: number } {
  let s;
  try {
    s = statSync(file);
  } catch {
    throw new DataError(`Data file '${source.path}' not found (looked for ${file}).`);
  }
  if (!s.isFile()) throw new DataError(`Data file '${source.path}' is not a file (${file}).`);
  if (limits.maxFileBytes !== undefined && s.size > limits.maxFileBytes) {
    throw new DataError(
      `Data file '${source.path}' is ${mb(s.size)}, larger than the limit of ${mb(limits.maxFileBytes)} (nnspec.data.maxFileMB): it is not read.`,
      'file-too-large',
    );
  }
  return s;
}

