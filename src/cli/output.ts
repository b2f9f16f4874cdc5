// How every `nnspec` command ends when it fails: one line on stderr (`nnspec: MESSAGE`), and
// with --json the error object on stdout, exit status 1. Never a stack trace.

import type { CliErrorKind } from '../shared/model/errors';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Aborted when the user interrupts (Ctrl-C): `train` then stops and reports what it has.
   * Without one, `train` listens for SIGINT itself while it trains.
   */
  signal?: AbortSignal;
}

/** What `--json` prints on stdout when a command fails (exit status 1). */
export interface CliErrorJson {
  error: string;
  /**
   * 'usage' (a file that cannot be read or written), 'data', 'spec', 'memory' (the run needs
   * more memory than the budget or the machine), 'diverged', or 'internal'
   */
  kind: CliErrorKind;
  /** the spec's errors, as `nnspec check` prints them, when those stopped the command */
  diagnostics?: string[];
}


/** Longest message printed: a message quoting a huge value is cut. */
const MAX_MESSAGE = 1000;

/**
 * A message on one line: line breaks and other control characters become spaces (a run of
 * spaces one space), at most MAX_MESSAGE characters.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? flat.slice(0, MAX_MESSAGE - 1) + '…' : flat;
}

/** The message of anything thrown, without its stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Prints a failure (stderr; and the JSON object on stdout with --json) and returns exit status 1. */
export function fail(io: CliIO, json: boolean, message: string, kind: CliErrorKind, diagnostics?: string[]): number {
  const line = oneLine(message);
  io.stderr(`nnspec: ${line}\n`);
  if (json) {
    const out: CliErrorJson = { error: line, kind, ...(diagnostics ? { diagnostics } : {}) };
    io.stdout(JSON.stringify(out) + '\n');
  }
  return 1;
}

/** Why a file cannot be read, in a few words (`no such file`, `it is a folder`, ...). */
export function readProblem(err: unknown): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return errorMessage(err);
  }
}
