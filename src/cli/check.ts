// `nnspec check FILE [--json]` and `nnspec shapes FILE [--json]`.
// The JSON shapes are contracts that other tools read: extend, never rename.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  checkSpec,
  collectDataFacts,
  formatSpecShapes,
  parseSpec,
  shapeTableOf,
  specShapes,
  trainingExamples,
  type DataFacts,
  type Diagnostic,
  type InspectData,
  type ParsedSpec,
} from '../language';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CheckedFile {
  parsed: ParsedSpec;
  facts: DataFacts;
  diagnostics: Diagnostic[];
}

/** Reads, parses and checks a spec file (with its data, when a reader is given). Throws on an unreadable file. */
export async function checkFile(file: string, inspect?: InspectData): Promise<CheckedFile> {
  const text = readFileSync(file, 'utf8');
  const parsed = parseSpec(text);
  const facts = inspect ? await collectDataFacts(parsed, path.dirname(path.resolve(file)), inspect) : {};
  return { parsed, facts, diagnostics: checkSpec(parsed, facts) };
}

/** The JSON form of a diagnostic (`nnspec check --json`). */
export function diagnosticJson(d: Diagnostic): object {
  return { severity: d.severity, message: d.message, code: d.code, range: d.range };
}

/** `file:line:col: severity: message [code]`, 1-based as compilers print. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

function readFailure(file: string, err: unknown, io: CliIO): number {
  const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
  io.stderr(`nnspec: cannot read ${file}: ${reason}\n`);
  return 2;
}

export async function checkCommand(file: string, opts: { json: boolean }, io: CliIO, inspect?: InspectData): Promise<number> {
  let checked: CheckedFile;
  try {
    checked = await checkFile(file, inspect);
  } catch (err) {
    return readFailure(file, err, io);
  }
  const { diagnostics } = checked;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (opts.json) {
    io.stdout(JSON.stringify(diagnostics.map(diagnosticJson), null, 2) + '\n');
  } else {
    for (const d of diagnostics) io.stdout(formatDiagnostic(file, d) + '\n');
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const others = diagnostics.length - errors - warnings;
    io.stdout(
      diagnostics.length === 0
        ? `${file}: no problems\n`
        : `${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${others} hint${others === 1 ? '' : 's'}\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}

export async function shapesCommand(file: string, opts: { json: boolean }, io: CliIO, inspect?: InspectData): Promise<number> {
  let checked: CheckedFile;
  try {
    checked = await checkFile(file, inspect);
  } catch (err) {
    return readFailure(file, err, io);
  }
  const { parsed, facts } = checked;
  // layers keep their numbers from the file; a layer whose shape is unknown is `?` in the text
  // and left out of the JSON
  const shapes = specShapes(parsed, trainingExamples(parsed, facts));
  if (opts.json) io.stdout(JSON.stringify(shapeTableOf(shapes), null, 2) + '\n');
  else io.stdout(formatSpecShapes(shapes) + '\n');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (!shapes.complete) {
    io.stderr(`nnspec: the shape table is incomplete: ${errors.length} error(s); run 'nnspec check ${file}'\n`);
    return 1;
  }
  return 0;
}
