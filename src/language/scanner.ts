// Line scanner: a `.nnspec` file has one statement per line, so the scanner works line by
// line and every token knows its line and columns.

import type { Statement, Token } from './types';

export interface ScannedLine {
  line: number;
  tokens: Token[];
  comment?: { text: string; start: number };
  /** column of an unterminated string, if any */
  unterminatedString?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FRACTION = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\/(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberText(text: string): boolean {
  return NUMBER.test(text) || FRACTION.test(text);
}

/** Parses `12`, `0.5`, `1e-3` and fractions such as `1/255`; NaN when not a number. */
export function parseNumber(text: string): number {
  if (NUMBER.test(text)) return Number(text);
  if (FRACTION.test(text)) {
    const [a, b] = text.split('/');
    return Number(a) / Number(b);
  }
  return NaN;
}

/** White space between tokens: every character JavaScript's \s matches, which includes the
 *  byte order mark U+FEFF, no-break space, form feed, vertical tab and U+3000. */
const SPACE = /\s/;

function readString(text: string, from: number): { end: number; value: string; closed: boolean } {
  // from points at the opening quote; \" and \\ are the only escapes: any other backslash is
  // kept as written (`"data\flower.csv"` stays data\flower.csv)
  let value = '';
  let i = from + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return { end: i + 1, value, closed: true };
    value += ch;
    i++;
  }
  return { end: text.length, value, closed: false };
}

export function scanLine(text: string, line: number): ScannedLine {
  const tokens: Token[] = [];
  const result: ScannedLine = { line, tokens };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      result.comment = { text: text.slice(i).replace(/\s+$/, ''), start: i };
      break;
    }
    const start = i;
    if (ch === '"') {
      const s = readString(text, i);
      if (!s.closed) result.unterminatedString = start;
      tokens.push({ kind: 'string', text: text.slice(start, s.end), value: s.value, line, start, end: s.end });
      i = s.end;
      continue;
    }
    while (i < text.length && !/[\s#"]/.test(text[i])) i++;
    const eq = text.indexOf('=', start);
    if (eq >= 0 && eq < i) {
      // key=value, where the value may be a quoted string
      let valueEnd = i;
      let value = text.slice(eq + 1, i);
      if (i === eq + 1 && text[i] === '"') {
        const s = readString(text, i);
        if (!s.closed) result.unterminatedString = i;
        valueEnd = s.end;
        value = s.value;
        i = s.end;
      }
      tokens.push({
        kind: 'pair',
        text: text.slice(start, valueEnd),
        key: text.slice(start, eq),
        pairValue: value,
        valueStart: eq + 1,
        line,
        start,
        end: valueEnd,
      });
      continue;
    }
    const word = text.slice(start, i);
    tokens.push({ kind: isNumberText(word) ? 'number' : 'word', text: word, line, start, end: i });
  }
  return result;
}

/** Lines as VS Code counts them: CRLF, LF and a lone CR each end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The statement on a scanned line, or undefined for blank and comment-only lines. */
export function toStatement(scanned: ScannedLine): Statement | undefined {
  const [keyword, ...args] = scanned.tokens;
  if (!keyword) return undefined;
  const last = args.length ? args[args.length - 1] : keyword;
  return {
    line: scanned.line,
    keyword,
    args,
    comment: scanned.comment,
    range: {
      start: { line: scanned.line, character: keyword.start },
      end: { line: scanned.line, character: last.end },
    },
  };
}
