// CSV data files: one example per record, the label in the last column (see docs/nnspec.md),
// read into X (n_x, m) and Y (1, m).

import { readFileSync } from 'node:fs';
import type { Limits } from '../../shared/model/limits';
import type { FileDataSource } from '../../shared/model/spec';
import { DataError, excerpt, excerptList } from '../errors';
import { matrix } from '../kernels';
import { checkBudget, type Dataset } from './files';

/**
 * Splits CSV text into records as RFC 4180 describes it and hands each to `visit` (1-based line
 * on which the record starts, its cells): comma-separated fields, optionally in double quotes (a
 * quoted field may hold commas, newlines and "" for a quote). Lines end in LF or CRLF. Unquoted
 * fields are trimmed. Blank lines are skipped. No record is kept: a large file costs its text and
 * the numbers, not an array of strings per row.
 */
function forEachCsvRecord(text: string, file: string, visit: (line: number, cells: string[]) => void): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  // the next quote and the next CR at or after i (n when none), searched again only once passed
  let quote = -1;
  let cr = -1;
  while (i < n) {
    const start = line;
    // fast path: a line without quotes (or a lone CR) is split on its commas
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    if (quote < i) {
      quote = text.indexOf('"', i);
      if (quote < 0) quote = n;
    }
    if (quote > eol) {
      let end = eol;
      if (end > i && text.charCodeAt(end - 1) === 13) end--;
      if (cr < i) {
        cr = text.indexOf('\r', i);
        if (cr < 0) cr = n;
      }
      if (cr >= end) {
        const lineText = text.slice(i, end);
        if (lineText.trim() !== '') visit(start, lineText.split(',').map((c) => c.trim()));
        i = eol + 1;
        line++;
        continue;
      }
    }
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      // one field
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      let cell: string;
      if (text[j] === '"') {
        blank = false;
        j++;
        let value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new DataError(`Data file '${file}' line ${start}: a quoted field is never closed (a '"' is missing).`);
          const chunk = text.slice(j, q);
          for (let c = 0; c < chunk.length; c++) if (chunk.charCodeAt(c) === 10) line++;
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
        if (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') {
          throw new DataError(`Data file '${file}' line ${line}: unexpected '${excerpt(text[j])}' after a closing quote (a field is either all in quotes or not quoted).`);
        }
        cell = value;
      } else {
        let k = j;
        while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
        cell = text.slice(j, k).trim();
        if (cell !== '') blank = false;
        j = k;
      }
      cells.push(cell);
      if (j < n && text[j] === ',') {
        blank = false;
        i = j + 1;
        continue;
      }
      // end of the record
      if (j < n && text[j] === '\r') j++;
      if (j < n && text[j] === '\n') j++;
      i = j;
      line++;
      break;
    }
    if (!blank) visit(start, cells);
  }
}

/** A decimal number as a data file writes it: 3, -0.5, .25, 1e-4. Not 0x10, Infinity, NaN or 1_000. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * 0x10, 0b101, 0o7: the only non-decimal forms Number() turns into a finite number (it rejects
 * 1_000 and signed radix literals, and Infinity is not finite). Cheaper than a regex per cell.
 */
function isRadixLiteral(t: string): boolean {
  if (t.length < 2 || t.charCodeAt(0) !== 48) return false;
  const c = t.charCodeAt(1) | 0x20; // lower case
  return c === 120 || c === 98 || c === 111; // x, b, o
}

function separatorHint(text: string): string {
  if (text.includes(';')) return " It looks like ';'-separated; nnspec reads comma-separated CSV.";
  if (text.includes('\t')) return ' It looks tab-separated; nnspec reads comma-separated CSV.';
  return '';
}

/** Upper bound on the records of a CSV text: its line count. */
function lineCount(text: string): number {
  let count = 1;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) count++;
  return count;
}

export function parseCsv(text: string, source: Pick<FileDataSource, 'path' | 'label' | 'scale'>, limits: Limits = {}): Dataset {
  const file = source.path;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark
  let header: string[] | undefined;
  let headerLine = 0;
  let labelIndex = -1;
  let featureIndices: number[] = [];
  /** row-major: per example its features, then its label (stride n + 1) */
  let values = new Float64Array(0);
  let m = 0;
  const scale = source.scale ?? 1;
  const columnName = (ci: number): string => `column ${ci + 1} ('${excerpt(header![ci])}')`;
  const readHeader = (line: number, cells: string[]): void => {
    header = cells;
    headerLine = line;
    if (cells.length < 2) {
      const hint = separatorHint(cells[0] ?? '');
      if (hint) throw new DataError(`Data file '${file}' line ${line}:${hint} Separate the columns with commas.`);
      throw new DataError(`Data file '${file}' line ${line}: the header needs at least one feature column and a label column (found only '${excerpt(cells[0] ?? '')}').`);
    }
    if (cells.every((h) => DECIMAL.test(h))) {
      throw new DataError(`Data file '${file}' line ${line}: the first row holds numbers; nnspec expects a header row naming the columns (e.g. x1,x2,y).`);
    }
    labelIndex = cells.length - 1;
    if (source.label !== undefined) {
      labelIndex = cells.indexOf(source.label);
      if (labelIndex < 0) {
        const near = cells.find((h) => h.toLowerCase() === source.label!.toLowerCase());
        throw new DataError(
          `Data file '${file}' has no column '${excerpt(source.label)}'.${near ? ` Did you mean '${excerpt(near)}'?` : ''} Columns: ${excerptList(cells)}.`,
        );
      }
      if (cells.indexOf(source.label, labelIndex + 1) >= 0) {
        throw new DataError(`Data file '${file}' has more than one column named '${excerpt(source.label)}': rename one so that label=${excerpt(source.label)} is unambiguous.`);
      }
    }
    featureIndices = cells.map((_, i) => i).filter((i) => i !== labelIndex);
    // at most one example per line after the header: refused before anything is allocated
    // when the numbers (read, then laid out as X and Y) would not fit the budget
    const most = Math.max(0, lineCount(text) - 1);
    checkBudget(limits, 16 * most * cells.length + 2 * text.length, file, `its text and ${most.toLocaleString('en-US')} rows of ${cells.length} numbers`);
    values = new Float64Array(most * cells.length);
  };
  forEachCsvRecord(text, file, (line, cells) => {
    if (!header) return readHeader(line, cells);
    const width = header.length;
    if (cells.length !== width) {
      const hint = cells.length === 1 ? separatorHint(cells[0]) : '';
      throw new DataError(`Data file '${file}' line ${line}: ${cells.length} value${cells.length === 1 ? '' : 's'}, but the header (line ${headerLine}) has ${width} columns.${hint}`);
    }
    const value = (ci: number, factor: number): number => {
      const t = cells[ci].trim(); // (a quoted field keeps its spaces until here)
      const raw = t === '' || isRadixLiteral(t) ? NaN : Number(t);
      const v = raw * factor;
      if (!Number.isFinite(v)) {
        const what =
          t === '' ? 'the value is empty' : !DECIMAL.test(t) ? `'${excerpt(t)}' is not a number` : Number.isFinite(raw) ? `'${excerpt(t)}' times scale ${scale} is too large` : `'${excerpt(t)}' is too large`;
        throw new DataError(`Data file '${file}' line ${line}, ${columnName(ci)}: ${what}; nnspec reads decimal numbers such as 3, -0.5 or 1e-4.${separatorHint(t)}`);
      }
      return v;
    };
    const o = m * width;
    const n = featureIndices.length;
    for (let i = 0; i < n; i++) values[o + i] = value(featureIndices[i], scale);
    values[o + n] = value(labelIndex, 1);
    m++;
  });
  if (!header) throw new DataError(`Data file '${file}' is empty: expected a header row and one example per row.`);
  if (m === 0) throw new DataError(`Data file '${file}' has a header but no examples.`);
  const width = header.length;
  const n = width - 1;
  const X = matrix(n, m);
  const Y = matrix(1, m);
  for (let j = 0; j < m; j++) {
    const o = j * width;
    for (let i = 0; i < n; i++) X.data[i * m + j] = values[o + i];
    Y.data[j] = values[o + n];
  }
  return { X, Y };
}


/** A CSV file's text, refused before reading when the text alone would not fit the budget. */
export function readCsvText(file: string, source: FileDataSource, size: number, limits: Limits): string {
  // the bytes, then the string (up to two bytes a character)
  checkBudget(limits, 3 * size, source.path, 'its text');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`Data file '${source.path}' could not be read (${excerpt((err as Error).message, 80)}).`);
  }
}
