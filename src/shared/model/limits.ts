// The user's limits on what a run or a read may take. No vscode, DOM or node imports.

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
