// The user's limits on what a run or a read may take, and how the settings give them. No vscode,
// DOM or node imports.

import { DEFAULT_MEMORY_BUDGET_MB, megabytes } from './memory';

/**
 * How much a read of data or a run may take: data files larger than `maxFileBytes` are not read,
 * and what the values read (or the run) need is refused over `memoryBudgetBytes` (see
 * estimateTrainingMemory). Set by the settings nnspec.data.maxFileMB and
 * nnspec.training.memoryBudgetMB, or the CLI's --memory-budget.
 */
export interface Limits {
  /** files larger than this are not read (bytes) */
  maxFileBytes?: number;
  /** what the values read, or the run, may need (bytes) */
  memoryBudgetBytes?: number;
}

/** The default of nnspec.data.maxFileMB. */
export const DEFAULT_MAX_FILE_MB = 512;
/** The least nnspec.training.memoryBudgetMB (its `minimum` in package.json). */
export const MIN_MEMORY_BUDGET_MB = 64;

/** The settings' values as they are read (a workspace may write anything there). */
export interface LimitSettings {
  /** nnspec.training.memoryBudgetMB */
  memoryBudgetMB?: unknown;
  /** nnspec.data.maxFileMB */
  maxFileMB?: unknown;
}

/**
 * The limits the settings give: the one reading of them, for the checks as the user types, the
 * data worker and the runs. A value that is not a number within the setting's range (the
 * `minimum` package.json declares) counts as the default, as VS Code's settings editor would
 * have it.
 */
export function limitsFromSettings(settings: LimitSettings): Required<Limits> & { memoryBudgetMB: number } {
  const budget = settings.memoryBudgetMB;
  const maxFile = settings.maxFileMB;
  const memoryBudgetMB = typeof budget === 'number' && Number.isFinite(budget) && budget >= MIN_MEMORY_BUDGET_MB ? budget : DEFAULT_MEMORY_BUDGET_MB;
  const maxFileMB = typeof maxFile === 'number' && Number.isFinite(maxFile) && maxFile >= 1 ? maxFile : DEFAULT_MAX_FILE_MB;
  return { memoryBudgetMB, memoryBudgetBytes: megabytes(memoryBudgetMB), maxFileBytes: megabytes(maxFileMB) };
}
