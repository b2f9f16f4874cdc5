// `nnspec check FILE [--json]` and `nnspec shapes FILE [--json]`.
// The JSON shapes are contracts that other tools read: extend, never rename.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  analyzeSpec,
  collectDataFacts,
  formatDiagnostic,
  formatSpecMemory,
  formatSpecShapes,
  parseSpec,
  shapeTableOf,
  type CheckOptions,
  type Diagnostic,
  type InspectData,
  type MemoryEstimate,
  type ParsedSpec,
  type ShapeTable,
  type SpecAnalysis,
} from '../language';
import type { DataFacts } from '../shared/model/data';
import { fail, readProblem, type CliIO } from './output';

export type { CliIO } from './output';

/** Options every command takes. */
export interface CommandOptions {
  json: boolean;
  /** the memory budget and the machine's memory, for the memory checks */
  check?: CheckOptions;
}

/** `nnspec shapes --json`: the shape table and the memory estimate (null when m or a layer size is unknown). */
export interface ShapesJson extends ShapeTable {
  memory: MemoryEstimate | null;
}

/** A spec file analysed: its parse, what its data says, and the analysis (diagnostics, shapes, facts). */
export interface CheckedFile extends SpecAnalysis {
  parsed: ParsedSpec;
  dataFacts: DataFacts;
}

/** Reads, parses and analyses a spec file (with its data, when a reader is given). Throws on an unreadable file. */
export async function checkFile(file: string, inspect?: InspectData, options: CheckOptions = {}): Promise<CheckedFile> {
  const text = readFileSync(file, 'utf8');
  const parsed = parseSpec(text);
  const dataFacts = inspect ? await collectDataFacts(parsed, path.dirname(path.resolve(file)), inspect) : {};
  return { parsed, dataFacts, ...analyzeSpec(parsed, dataFacts, options) };
}

/** The JSON form of a diagnostic (`nnspec check --json`). */
export function diagnosticJson(d: Diagnostic): object {
  return { severity: d.severity, message: d.message, code: d.code, range: d.range };
}

/** The spec file checked, or the failure printed (exit status 1) when it cannot be read. */
async function checkOrFail(file: string, opts: CommandOptions, io: CliIO, inspect?: InspectData): Promise<CheckedFile | number> {
  try {
    return await checkFile(file, inspect, opts.check);
  } catch (err) {
    return fail(io, opts.json, `cannot read ${file}: ${readProblem(err)}`, 'usage');
  }
}

export async function checkCommand(file: string, opts: CommandOptions, io: CliIO, inspect?: InspectData): Promise<number> {
  const checked = await checkOrFail(file, opts, io, inspect);
  if (typeof checked === 'number') return checked;
  const { diagnostics } = checked;
  const { errors } = checked.facts;
  if (opts.json) {
    io.stdout(JSON.stringify(diagnostics.map(diagnosticJson), null, 2) + '\n');
  } else {
    for (const d of diagnostics) io.stdout(formatDiagnostic(d, file) + '\n');
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

export async function shapesCommand(file: string, opts: CommandOptions, io: CliIO, inspect?: InspectData): Promise<number> {
  const checked = await checkOrFail(file, opts, io, inspect);
  if (typeof checked === 'number') return checked;
  const { shapes } = checked;
  const { memory } = checked.facts;
  // layers keep their numbers from the file; a layer whose shape is unknown is `?` in the text
  // and left out of the JSON
  if (opts.json) {
    const table: ShapesJson = { ...shapeTableOf(shapes), memory: memory && memory.m !== undefined ? memory.estimate : null };
    io.stdout(JSON.stringify(table, null, 2) + '\n');
  } else {
    const memoryLine = memory ? formatSpecMemory(memory) : 'memory to train: unknown until n_x and every layer\'s units are known';
    io.stdout(formatSpecShapes(shapes) + '\n' + memoryLine + '\n');
  }
  if (!shapes.complete) {
    io.stderr(`nnspec: the shape table is incomplete: ${checked.facts.errors} error(s); run 'nnspec check ${file}'\n`);
    return 1;
  }
  return 0;
}
