// Types of the language service. No vscode import: ranges are 0-based line/character
// (UTF-16 code units), as in the Language Server Protocol and the VS Code API.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

import { severityOf, type DiagnosticCode, type Severity } from '../shared/model/diagnostics';

export type { DiagnosticCode, Severity } from '../shared/model/diagnostics';

/** A text replacement: the unit of quick fixes, formatting and designer edits. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** the fix is the obvious one (shown as the preferred quick fix) */
  preferred?: boolean;
}

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** stable id from the catalog (src/shared/model/diagnostics.ts); tests assert codes, not wording */
  code: DiagnosticCode;
  range: Range;
  /** the diagnostic marks unnecessary code (faded) */
  unnecessary?: boolean;
  fixes?: QuickFix[];
}

export type TokenKind = 'word' | 'number' | 'string' | 'pair';

export interface Token {
  kind: TokenKind;
  /** the text as written (for strings: with the quotes) */
  text: string;
  line: number;
  start: number;
  end: number;
  /** strings: the text between the quotes */
  value?: string;
  /** pairs (`key=value`): the key, the value and where the value starts */
  key?: string;
  pairValue?: string;
  valueStart?: number;
}

export interface Statement {
  line: number;
  keyword: Token;
  args: Token[];
  /** `# ...` at the end of the line, from the `#` */
  comment?: { text: string; start: number };
  /** from the keyword's start to the last argument's end */
  range: Range;
}

export function rangeOf(token: { line: number; start: number; end: number }): Range {
  return {
    start: { line: token.line, character: token.start },
    end: { line: token.line, character: token.end },
  };
}

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A diagnostic of `code`, with the severity the catalog gives it. */
export function diagnostic(code: DiagnosticCode, message: string, range: Range, extra: Pick<Diagnostic, 'fixes' | 'unnecessary'> = {}): Diagnostic {
  return { severity: severityOf(code), code, message, range, ...extra };
}

/** `FILE:line:col: severity: message [code]`, 1-based as compilers print (without FILE: `line:col: ...`). */
export function formatDiagnostic(d: Diagnostic, file?: string): string {
  return `${file === undefined ? '' : `${file}:`}${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
