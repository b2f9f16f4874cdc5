// The formatter: one space between words, columns aligned within runs of the same statement
// (`dense` under `dense`, `data` under `data`), trailing comments aligned within a paragraph,
// no indentation, no trailing white space. Comments are kept word for word. Lines that do not
// scan (an unterminated string) are only trimmed. Returns one edit per changed line.

import { scanLine, splitLines } from './scanner';
import type { TextEdit, Token } from './types';

/** Comments aligned past this column are instead put two spaces after their code. */
const MAX_COMMENT_COLUMN = 60;

export function formatLines(lines: string[]): string[] {
  const n = lines.length;
  // per line: its tokens (lines with code), its comment, whether it is blank, and the result
  const tokens: (Token[] | undefined)[] = new Array(n);
  const comments: (string | undefined)[] = new Array(n);
  const blank: boolean[] = new Array(n);
  const out: string[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const text = lines[k];
    const scanned = scanLine(text, k);
    blank[k] = false;
    if (scanned.unterminatedString !== undefined) {
      out[k] = text.trimEnd();
      continue;
    }
    comments[k] = scanned.comment?.text;
    if (scanned.tokens.length) tokens[k] = scanned.tokens;
    else if (scanned.comment) out[k] = scanned.comment.text;
    else {
      blank[k] = true;
      out[k] = '';
    }
  }

  // 1. code: one space between words; the columns of a run of the same statement aligned
  const code: (string | undefined)[] = new Array(n);
  let i = 0;
  while (i < n) {
    const first = tokens[i];
    if (!first) {
      i++;
      continue;
    }
    const keyword = first[0].text;
    let j = i;
    while (j + 1 < n && tokens[j + 1] !== undefined && tokens[j + 1]![0].text === keyword) j++;
    // each column as wide as its widest cell in the run: one pass over the cells (a long line
    // in a long run costs its own length, not its length times the run's)
    const widths: number[] = [];
    if (j > i) {
      for (let k = i; k <= j; k++) {
        const cells = tokens[k]!;
        for (let c = 0; c < cells.length - 1; c++) if (!(widths[c] >= cells[c].text.length)) widths[c] = cells[c].text.length;
      }
    }
    for (let k = i; k <= j; k++) {
      const cells = tokens[k]!;
      let line = '';
      for (let c = 0; c < cells.length; c++) {
        const cell = cells[c].text;
        if (c > 0) line += ' ';
        line += c < cells.length - 1 && widths[c] !== undefined ? cell.padEnd(widths[c]) : cell;
      }
      code[k] = line;
    }
    i = j + 1;
  }

  // 2. align trailing comments within each paragraph (lines between blank lines)
  for (let k = 0; k < n; k++) if (code[k] !== undefined) out[k] = code[k]!;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && !blank[end]) end++;
    let widest = -1;
    for (let k = start; k < end; k++) if (code[k] !== undefined && comments[k] !== undefined) widest = Math.max(widest, code[k]!.length);
    if (widest >= 0) {
      const column = widest + 2;
      for (let k = start; k < end; k++) {
        if (code[k] === undefined || comments[k] === undefined) continue;
        const pad = column <= MAX_COMMENT_COLUMN ? column : code[k]!.length + 2;
        out[k] = code[k]!.padEnd(pad) + comments[k];
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
