// Every diagnostic nnspec reports, in one catalog: its code, severity, a short title, where
// docs/nnspec.md documents it, and the kind of failure it means for a command that stops on it
// (`nnspec train`, `export`, `sweep`: see ErrorKind). The language core, the host's data checks
// and the command line take codes and severities from here; test/unit/shared/catalog.test.ts
// checks docs/nnspec.md against it. No vscode, DOM or node imports.

import type { ErrorKind } from './errors';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * The diagnostics that stop a spec from being trained (and swept, inspected, exported): its
 * errors. The one rule; an analysis counts them once (SpecFacts.trainable, facts.ts).
 */
export function errorsOf<D extends { severity: Severity }>(diagnostics: readonly D[]): D[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

export interface DiagnosticInfo {
  severity: Severity;
  title: string;
  /** the heading of docs/nnspec.md that documents it (`checks` is `## Checks`) */
  anchor: 'checks' | 'memory';
  /** what a command that stops on this error reports (`{"kind"}` of the CLI's JSON) */
  kind: Extract<ErrorKind, 'data' | 'spec' | 'memory'>;
}

const spec = (severity: Severity, title: string): DiagnosticInfo => ({ severity, title, anchor: 'checks', kind: 'spec' });
const data = (severity: Severity, title: string): DiagnosticInfo => ({ severity, title, anchor: 'checks', kind: 'data' });
const memory = (severity: Severity, title: string): DiagnosticInfo => ({ severity, title, anchor: 'memory', kind: 'memory' });

export const DIAGNOSTICS = {
  // a misspelt word
  'nnspec-unknown-statement': spec('error', 'Unknown statement'),
  'nnspec-unknown-activation': spec('error', 'Unknown activation'),
  'nnspec-unknown-loss': spec('error', 'Unknown loss'),
  'nnspec-unknown-init': spec('error', 'Unknown init scheme'),
  'nnspec-unknown-key': spec('error', 'Unknown data key'),
  'nnspec-unknown-split': spec('error', 'Unknown data split'),
  'nnspec-unknown-generator': spec('error', 'Unknown generated set'),
  'nnspec-unknown-format': spec('error', 'Unknown data format'),
  // a malformed line
  'nnspec-missing-argument': spec('error', 'Missing argument'),
  'nnspec-extra-argument': spec('error', 'Unexpected argument'),
  'nnspec-expected-key-value': spec('error', 'Expected key=value'),
  'nnspec-unterminated-string': spec('error', 'Unterminated string'),
  'nnspec-key-value-spaces': spec('error', 'Spaces around ='),
  // a value out of range
  'nnspec-invalid-units': spec('error', 'Invalid number of units'),
  'nnspec-invalid-input': spec('error', 'Invalid input size'),
  'nnspec-invalid-learning-rate': spec('error', 'Invalid learning rate'),
  'nnspec-invalid-iterations': spec('error', 'Invalid number of iterations'),
  'nnspec-invalid-seed': spec('error', 'Invalid seed'),
  'nnspec-invalid-print-every': spec('error', 'Invalid print_every'),
  'nnspec-invalid-init-scale': spec('error', 'Invalid random scale'),
  'nnspec-invalid-value': spec('error', 'Invalid data key value'),
  'nnspec-invalid-path': spec('error', 'Empty data path'),
  'nnspec-missing-dataset-key': spec('error', 'HDF5 file without x= or y='),
  // structure
  'nnspec-missing-input': spec('error', 'No input line'),
  'nnspec-no-layers': spec('error', 'No layers'),
  'nnspec-output-units': spec('error', 'Output layer of more than 1 unit'),
  'nnspec-output-activation': spec('error', 'Binary cross-entropy without a sigmoid output'),
  // the data
  'nnspec-input-mismatch': data('error', 'Input size differs from the data'),
  'nnspec-labels-not-binary': data('error', 'Labels other than 0/1'),
  'nnspec-data-unreadable': data('error', 'Data file unreadable'),
  'nnspec-data-over-budget': data('error', 'Data over the memory budget'),
  'nnspec-data-too-large': data('warning', 'Data file too large to check'),
  'nnspec-data-not-checked': data('warning', 'Data not checked'),
  'nnspec-data-outside-workspace': data('warning', 'Data file outside the workspace'),
  'nnspec-data-restricted': data('info', 'Data not read in Restricted Mode'),
  'nnspec-no-train-data': data('warning', 'No training data'),
  // settings
  'nnspec-duplicate-statement': spec('warning', 'Setting given twice'),
  'nnspec-unused-key': spec('warning', 'Data key that does not apply'),
  // the course's pitfalls
  'nnspec-zeros-init': spec('warning', 'Zeros initialisation with hidden layers'),
  'nnspec-linear-hidden': spec('warning', 'Linear hidden layer'),
  'nnspec-saturation': spec('warning', 'Saturating random initialisation'),
  'nnspec-sigmoid-hidden': spec('hint', 'Sigmoid hidden layer'),
  'nnspec-many-parameters': spec('hint', 'More parameters than training numbers'),
  // memory
  'nnspec-memory-too-large': memory('error', 'More memory than the machine has'),
  'nnspec-memory-budget': memory('warning', 'More memory than the budget'),
} as const satisfies Record<string, DiagnosticInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/** The severity of a code, from the catalog. */
export function severityOf(code: DiagnosticCode): Severity {
  return DIAGNOSTICS[code].severity;
}

/**
 * What a command reports when these errors stop it: `data` when every one is about the data,
 * `memory` when every one is about memory, `spec` otherwise.
 */
export function errorsKind(codes: readonly DiagnosticCode[]): 'data' | 'spec' | 'memory' {
  if (codes.length && codes.every((c) => DIAGNOSTICS[c].kind === 'data')) return 'data';
  if (codes.length && codes.every((c) => DIAGNOSTICS[c].kind === 'memory')) return 'memory';
  return 'spec';
}
