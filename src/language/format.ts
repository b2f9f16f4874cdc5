// The formatter: one space between words, columns aligned within runs of the same statement
// (`dense` under `dense`, `data` under `data`), trailing comments aligned within a paragraph,
// no indentation, no trailing white space. Comments are kept word for word. Lines that do not
// scan (an unterminated string) are only trimmed. Returns one edit per changed line.

import { scanLine, splitLines } from './scanner';
import type { TextEdit } from './types';

interface LineModel {
  cells?: string[];
  keyword?: string;
  comment?: string;
  blank: boolean;
  /** the line as it stands, for lines the formatter leaves alone (trimmed) */
  raw: string;
}

/** Comments aligned past this column are instead put two spaces after their code. */
const MAX_COMMENT_COLUMN = 60;

export function formatLines(lines: string[]): string[] {
  const models: LineModel[] = lines.map((text, line) => {
    const trimmed = text.trim();
    if (!trimmed) return { blank: true, raw: '' };
    const scanned = scanLine(text, line);
    if (scanned.unterminatedString !== undefined) return { blank: false, raw: text.trimEnd() };
    const cells = scanned.tokens.map((t) => t.text);
    return {
      cells: cells.length ? cells : undefined,
      keyword: cells[0],
      comment: scanned.comment?.text,
      blank: false,
      raw: trimmed,
    };
  });

  // 1. align the columns of runs of the same statement
  const code: (string | undefined)[] = models.map((m) => (m.cells ? m.cells.join(' ') : undefined));
  let i = 0;
  while (i < models.length) {
    const keyword = models[i].keyword;
    if (!models[i].cells || !keyword) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < models.length && models[j + 1].cells && models[j + 1].keyword === keyword) j++;
    if (j > i) {
      // each column as wide as its widest cell in the run: one pass over the cells (a long line
      // in a long run costs its own length, not its length times the run's)
      const widths: number[] = [];
      for (let k = i; k <= j; k++) {
        const cells = models[k].cells!;
        for (let c = 0; c < cells.length; c++) if (!(widths[c] >= cells[c].length)) widths[c] = cells[c].length;
      }
      for (let k = i; k <= j; k++) {
        const cells = models[k].cells!;
        code[k] = cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join(' ');
      }
    }
    i = j + 1;
  }

  // 2. align trailing comments within each paragraph (lines between blank lines)
  const out: string[] = models.map((m, k) => code[k] ?? m.raw);
  let start = 0;
  while (start < models.length) {
    let end = start;
    while (end < models.length && !models[end].blank) end++;
    const withComments: number[] = [];
    for (let k = start; k < end; k++) if (code[k] !== undefined && models[k].comment) withComments.push(k);
    if (withComments.length) {
      let widest = 0;
      for (const k of withComments) widest = Math.max(widest, code[k]!.length);
      const column = widest + 2;
      for (const k of withComments) {
        const pad = column <= MAX_COMMENT_COLUMN ? column : code[k]!.length + 2;
        out[k] = code[k]!.padEnd(pad) + models[k].comment;
      }
    }
    start = end + 1;
  }
  return out;
}

export function formatText(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : /\r(?!\n)/.test(text) && !text.includes('\n') ? '\r' : '\n';
  return formatLines(splitLines(text)).join(eol);
}

/** Minimal edits: one whole-line replacement per line that changes. */
export function formatEdits(text: string): TextEdit[] {
  const lines = splitLines(text);
  const formatted = formatLines(lines);
  const edits: TextEdit[] = [];
  lines.forEach((line, k) => {
    if (formatted[k] !== line) {
      edits.push({
        range: { start: { line: k, character: 0 }, end: { line: k, character: line.length } },
        newText: formatted[k],
      });
    }
  });
  return edits;
}
