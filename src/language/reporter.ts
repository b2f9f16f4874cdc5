// What the parser reports: diagnostics with their severity from the catalog, the common
// messages (unknown word with "did you mean", extra and missing arguments, bad numbers), and the
// rule that one bad line gives one diagnostic on that line.

import { parseNumber } from '../shared/model/numbers';
import { diagnostic, rangeOf, type Diagnostic, type DiagnosticCode, type QuickFix, type Range, type Statement, type Token } from './types';
import { didYouMean } from './vocabulary';
import { formatCount, quoted } from './text';

export function replaceFix(title: string, range: Range, newText: string): QuickFix {
  return { title, edits: [{ range, newText }], preferred: true };
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly lines: readonly string[]) {}

  lineText(line: number): string {
    return this.lines[line] ?? '';
  }

  /** A diagnostic of `code`, with its severity from the catalog (src/shared/model/diagnostics.ts). */
  report(range: Range, code: DiagnosticCode, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push(diagnostic(code, message, range, fixes ? { fixes } : {}));
  }

  /** An unknown word: error with a "did you mean" suggestion and its quick fix. */
  unknownWord(token: Token, what: string, candidates: readonly string[], code: DiagnosticCode): void {
    const suggestion = didYouMean(token.text, candidates);
    const list = candidates.join(', ');
    if (suggestion) {
      this.report(rangeOf(token), code, `Unknown ${what} '${quoted(token.text)}'. Did you mean '${suggestion}'?`, [
        replaceFix(`Change to '${suggestion}'`, rangeOf(token), suggestion),
      ]);
    } else {
      this.report(rangeOf(token), code, `Unknown ${what} '${quoted(token.text)}'. Expected one of: ${list}.`);
    }
  }

  extraArgs(statement: Statement, from: number, usage: string): void {
    const args = statement.args;
    if (args.length <= from) return;
    const first = args[from];
    const last = args[args.length - 1];
    const range: Range = {
      start: { line: statement.line, character: first.start },
      end: { line: statement.line, character: last.end },
    };
    // quote what the extra arguments say, as written (at most QUOTE_LIMIT characters of it)
    const line = this.lineText(statement.line);
    this.report(range, 'nnspec-extra-argument', `Unexpected '${quoted(line.slice(first.start, Math.min(last.end, first.start + 100)))}'. Usage: ${usage}`);
  }

  missing(statement: Statement, what: string, usage: string): void {
    // point just after the statement so that the squiggle sits where the text is missing
    this.report(statement.range, 'nnspec-missing-argument', `Missing ${what}. Usage: ${usage}`);
  }

  /** A positive integer argument (at most `max`); reports and returns undefined when it is not one. */
  positiveInteger(token: Token, what: string, code: DiagnosticCode, max?: number): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.report(rangeOf(token), code, `${what} must be a positive whole number, not '${quoted(token.text)}'.`);
      return undefined;
    }
    if (!Number.isInteger(value) || value <= 0) {
      this.report(rangeOf(token), code, `${what} must be a positive whole number, not ${quoted(token.text)}.`);
      return undefined;
    }
    if (max !== undefined && value > max) {
      this.report(rangeOf(token), code, `${what} must be at most ${formatCount(max)}, not ${quoted(token.text)}.`);
      return undefined;
    }
    return value;
  }

  /** Whether an error was reported since `mark` (a length of `diagnostics`). */
  erredSince(mark: number): boolean {
    for (let k = mark; k < this.diagnostics.length; k++) if (this.diagnostics[k].severity === 'error') return true;
    return false;
  }

  /**
   * One bad line gives one diagnostic on that line: when the diagnostics reported since `mark`
   * include an error on `line`, keep only the first of them (the parse functions report left to
   * right) and drop the rest of that line's diagnostics. Diagnostics on other lines stay.
   */
  limitLine(mark: number, line: number): void {
    if (this.diagnostics.length === mark) return;
    const added = this.diagnostics.slice(mark);
    const first = added.find((d) => d.severity === 'error' && d.range.start.line === line);
    if (!first) return;
    this.diagnostics.length = mark;
    for (const d of added) if (d === first || d.range.start.line !== line) this.diagnostics.push(d);
  }

  positiveNumber(token: Token, what: string, code: DiagnosticCode): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.report(rangeOf(token), code, `${what} must be a number, not '${quoted(token.text)}'.`);
      return undefined;
    }
    if (!(value > 0)) {
      this.report(rangeOf(token), code, `${what} must be positive, not ${quoted(token.text)}.`);
      return undefined;
    }
    return value;
  }
}
