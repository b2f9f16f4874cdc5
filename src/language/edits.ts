// Designer edits: what a click in the designer means for the text. Every edit is computed
// against the parsed document it applies to and is as small as possible: a units change
// replaces the units token, a new layer inserts one line, a move moves whole lines (trailing
// comments travel with their line). Comments and formatting elsewhere stay untouched.

import type { NetworkEdit } from '../shared/model/edits';
import type { InitScheme } from '../shared/model/spec';
import type { ParsedSpec } from './parser';
import type { Range, Statement, TextEdit, Token } from './types';

export interface EditOptions {
  /** end-of-line sequence of the document, for inserted lines (default "\n") */
  eol?: string;
}

/** Thrown for an edit that does not fit the document (a layer that does not exist...). */
export class EditError extends Error {}

/** Writes a number the way a person would type it in a spec (0.0075, 2500, 1e-7). */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  // drop float noise such as 0.30000000000000004
  return String(Number(value.toPrecision(12)));
}

export function initText(init: InitScheme): string {
  return init.kind === 'random' ? `random ${formatNumber(init.scale)}` : init.kind;
}

/** The minimal text edits that perform `edit` on the document `parsed` was parsed from. */
export function editToTextEdits(parsed: ParsedSpec, edit: NetworkEdit, options: EditOptions = {}): TextEdit[] {
  const doc = new Doc(parsed, options.eol ?? '\n');
  // an edit that would write what is already there is dropped (no empty undo steps)
  return rawEdits(doc, parsed, edit).filter((e) => !unchanged(parsed.lines, e));
}

function unchanged(lines: string[], e: TextEdit): boolean {
  const { start, end } = e.range;
  return start.line === end.line && lines[start.line]?.slice(start.character, end.character) === e.newText;
}

function rawEdits(doc: Doc, parsed: ParsedSpec, edit: NetworkEdit): TextEdit[] {
  switch (edit.op) {
    case 'setUnits': {
      const layer = doc.layer(edit.layer);
      return doc.setArg(layer.statement, 0, formatNumber(edit.units));
    }
    case 'setActivation': {
      const layer = doc.layer(edit.layer);
      if (!layer.statement.args.length) {
        // `dense` alone: the activation needs a units value before it
        return doc.setArgs(layer.statement, 0, `? ${edit.activation}`);
      }
      return doc.setArg(layer.statement, 1, edit.activation);
    }
    case 'addLayer':
      return doc.addLayer(edit.at, `${formatNumber(edit.units)}`, edit.activation);
    case 'removeLayer':
      return [doc.deleteLine(doc.layer(edit.layer).statement.line)];
    case 'moveLayer':
      return doc.moveLayer(edit.from, edit.to);
    case 'setInput': {
      const text = edit.dims && edit.dims.length > 1 ? edit.dims.map(formatNumber).join('x') : formatNumber(edit.size);
      const statement = parsed.single.input;
      if (statement) return doc.setArg(statement, 0, text);
      return [doc.insertInput(`input ${text}`)];
    }
    case 'setLearningRate':
      return doc.setSetting('learning_rate', formatNumber(edit.learningRate));
    case 'setIterations':
      return doc.setSetting('iterations', formatNumber(edit.iterations));
    case 'setSeed':
      return doc.setSetting('seed', formatNumber(edit.seed));
    case 'setInit': {
      const statement = parsed.single.init;
      if (!statement) return doc.setSetting('init', initText(edit.init));
      const [kind, scale] = statement.args;
      // random 0.01 -> random 0.1: only the scale changes
      if (edit.init.kind === 'random' && kind?.text === 'random' && scale && statement.args.length === 2) {
        return doc.setArg(statement, 1, formatNumber(edit.init.scale));
      }
      return doc.setArgs(statement, 0, initText(edit.init));
    }
    case 'setLoss':
      return doc.setSetting('loss', edit.loss);
  }
}

/** Applies non-overlapping edits (as VS Code does: all against the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  // line starts as VS Code counts lines: CRLF, LF and a lone CR each end one
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }): number =>
    p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length);
  const sorted = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

const SETTINGS = ['init', 'seed', 'learning_rate', 'iterations', 'print_every'] as const;
type SettingKeyword = 'loss' | (typeof SETTINGS)[number];

function range(line: number, start: number, endLine: number, end: number): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

class Doc {
  constructor(
    readonly parsed: ParsedSpec,
    readonly eol: string,
  ) {}

  get lines(): string[] {
    return this.parsed.lines;
  }

  layer(index: number) {
    const layer = this.parsed.layers[index - 1];
    if (!Number.isInteger(index) || !layer) throw new EditError(`There is no layer ${index}.`);
    return layer;
  }

  /**
   * Replace argument `i` of a statement (or append it when missing). When the text after the
   * argument was aligned in a column (two or more spaces before the next token or comment),
   * the padding is adjusted so that column stays where it was, if the new text fits.
   */
  setArg(statement: Statement, i: number, newText: string): TextEdit[] {
    const token = statement.args[i];
    if (!token) return this.setArgs(statement, i, newText);
    return [this.replaceKeepingColumn(statement, token.start, token.end, newText)];
  }

  /** Replace arguments i.. (all of them to the end of the statement) with `newText`. */
  setArgs(statement: Statement, i: number, newText: string): TextEdit[] {
    const args = statement.args.slice(i);
    if (args.length) {
      return [this.replaceKeepingColumn(statement, args[0].start, args[args.length - 1].end, newText)];
    }
    // append after the last token; missing earlier arguments are an error the user sees anyway
    const last: Token = statement.args[statement.args.length - 1] ?? statement.keyword;
    return [this.replaceKeepingColumn(statement, last.end, last.end, ` ${newText}`)];
  }

  private replaceKeepingColumn(statement: Statement, start: number, end: number, newText: string): TextEdit {
    const line = statement.line;
    const text = this.lines[line];
    // the next thing on the line: a token or the comment
    let next = statement.comment && statement.comment.start >= end ? statement.comment.start : Infinity;
    for (const t of statement.args) if (t.start >= end && t.start < next) next = t.start;
    if (newText.length !== end - start && next !== Infinity && next - end >= 2 && /^\s*$/.test(text.slice(end, next))) {
      // aligned: keep the next column if the new text leaves at least one space
      const column = next;
      const room = column - start - newText.length;
      if (room >= 1) return { range: range(line, start, line, column), newText: newText + ' '.repeat(room) };
      return { range: range(line, start, line, column), newText: newText + ' ' };
    }
    return { range: range(line, start, line, end), newText };
  }

  deleteLine(line: number): TextEdit {
    const lines = this.lines;
    if (line < lines.length - 1) return { range: range(line, 0, line + 1, 0), newText: '' };
    if (line > 0) return { range: range(line - 1, lines[line - 1].length, line, lines[line].length), newText: '' };
    return { range: range(line, 0, line, lines[line].length), newText: '' };
  }

  insertAfter(line: number, text: string): TextEdit {
    const end = this.lines[line].length;
    return { range: range(line, end, line, end), newText: this.eol + text };
  }

  insertBefore(line: number, text: string): TextEdit {
    return { range: range(line, 0, line, 0), newText: text + this.eol };
  }

  /** A new `dense` line laid out like `model` (same indentation and argument columns). */
  layerLine(model: Statement | undefined, units: string, activation: string): string {
    if (!model) return `dense ${units} ${activation}`;
    const indent = this.lines[model.line].slice(0, model.keyword.start);
    let out = indent + model.keyword.text;
    const columns = model.args.slice(0, 2).map((t) => t.start);
    [units, activation].forEach((cell, k) => {
      const column = columns[k];
      out += column !== undefined && column - out.length >= 1 ? ' '.repeat(column - out.length) : ' ';
      out += cell;
    });
    return out;
  }

  addLayer(at: number, units: string, activation: string): TextEdit[] {
    const layers = this.parsed.layers;
    if (!Number.isInteger(at) || at < 1 || at > layers.length + 1) throw new EditError(`Cannot add a layer at position ${at}.`);
    if (layers.length === 0) {
      const text = this.layerLine(undefined, units, activation);
      const anchor = this.parsed.single.input ?? this.parsed.single.network;
      if (anchor) return [this.insertAfter(anchor.line, text)];
      return [this.insertAtEnd(text)];
    }
    if (at === 1) {
      const first = layers[0].statement;
      return [this.insertBefore(first.line, this.layerLine(first, units, activation))];
    }
    const previous = layers[at - 2].statement;
    return [this.insertAfter(previous.line, this.layerLine(previous, units, activation))];
  }

  moveLayer(from: number, to: number): TextEdit[] {
    const source = this.layer(from).statement;
    const target = this.layer(to).statement;
    if (from === to) return [];
    const text = this.lines[source.line];
    const insert = to > from ? this.insertAfter(target.line, text) : this.insertBefore(target.line, text);
    return [this.deleteLine(source.line), insert];
  }

  /** Insert a line after the last statement (or at the end when the file has none). */
  insertAtEnd(text: string): TextEdit {
    const statements = this.parsed.statements;
    if (statements.length) return this.insertAfter(statements[statements.length - 1].line, text);
    const last = this.lines.length - 1;
    if (this.lines[last] === '' && last > 0) {
      // a file ending with a newline: write on the empty last line
      return { range: range(last, 0, last, 0), newText: text + this.eol };
    }
    if (this.lines.length === 1 && this.lines[0] === '') return { range: range(0, 0, 0, 0), newText: text };
    return this.insertAfter(last, text);
  }

  insertInput(text: string): TextEdit {
    const { network } = this.parsed.single;
    if (network) return this.insertAfter(network.line, text);
    const first = this.parsed.layers[0];
    if (first) return this.insertBefore(first.statement.line, text);
    return this.insertAtEnd(text);
  }

  setSetting(keyword: SettingKeyword, value: string): TextEdit[] {
    const statement = this.parsed.single[keyword];
    if (statement) return this.setArgs(statement, 0, value);
    const line = `${keyword} ${value}`;
    // loss belongs with the architecture: after the output layer
    if (keyword === 'loss') {
      const last = this.parsed.layers[this.parsed.layers.length - 1];
      if (last) return [this.insertAfter(last.statement.line, line)];
    }
    const settings = this.parsed.statements.filter((s) => (SETTINGS as readonly string[]).includes(s.keyword.text));
    if (settings.length) return [this.insertAfter(settings[settings.length - 1].line, line)];
    return [this.insertAtEnd(line)];
  }
}
