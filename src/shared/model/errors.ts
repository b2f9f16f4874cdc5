// The kinds of failure every part reports in the same words: the training worker's errors, a
// sweep's runs, the designer's notices and the command line's `{"error", "kind"}` JSON. No
// vscode, DOM or node imports.

/**
 * Why a run (or a command that trains or reads data) failed: `data` (unreadable data, or data
 * that does not suit the spec), `spec` (a spec that cannot be trained as written), `memory`
 * (over the memory budget or the machine), `diverged` (a NaN or infinite cost), `internal` (a bug).
 */
export const ERROR_KINDS = ['data', 'spec', 'memory', 'diverged', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * The command line's kinds (`{"error", "kind"}`): the error kinds, `usage` for a file that cannot
 * be read or written (or an option that does not apply) and, for `nnspec export`, `model` for a
 * model file that is not usable.
 */
export type CliErrorKind = ErrorKind | 'usage' | 'model';

/** A failure as the messages carry it. */
export interface ErrorInfo {
  message: string;
  kind: ErrorKind;
}
