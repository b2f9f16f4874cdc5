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

// Every function here runs in time linear in its input: no regular expression that can
// backtrack, no search of the rest of the line per token (a 1 MB line scans in milliseconds).

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The end of the decimal number `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` that starts at
 * `from` (the sign only when `signed`), or -1 when none starts there. Scans each character
 * once: `1e` ends before the `e` (the exponent needs a digit), and the caller sees what is left.
 */
function decimalEnd(text: string, from: number, signed: boolean): number {
  let i = from;
  const n = text.length;
  if (signed && i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++; // + -
  if (i < n && isDigit(text.charCodeAt(i))) {
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i < n && text.charCodeAt(i) === 46) { // .
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
  } else if (i + 1 < n && text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  } else {
    return -1;
  }
  if (i < n && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) { // e E
    let j = i + 1;
    if (j < n && (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45)) j++;
    if (j < n && isDigit(text.charCodeAt(j))) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/**
 * Where the `/` of a fraction is (`1/255`, `-1.5e2/3`: a signed decimal, `/`, an unsigned
 * decimal), -1 for a plain decimal number, undefined when `text` is not a number at all.
 */
function numberShape(text: string): number | undefined {
  const end = decimalEnd(text, 0, true);
  if (end < 0) return undefined;
  if (end === text.length) return -1;
  if (text.charCodeAt(end) !== 47) return undefined; // /
  return decimalEnd(text, end + 1, false) === text.length ? end : undefined;
}

/** Numbers as the language writes them: `12`, `0.5`, `.5`, `1e-3`, `+2`, fractions `1/255`. */
export function isNumberText(text: string): boolean {
  return numberShape(text) !== undefined;
}

/** Parses `12`, `0.5`, `1e-3` and fractions such as `1/255`; NaN when not a number. */
export function parseNumber(text: string): number {
  const slash = numberShape(text);
  if (slash === undefined) return NaN;
  if (slash < 0) return Number(text);
  return Number(text.slice(0, slash)) / Number(text.slice(slash + 1));
}

/**
 * `HxWxC` (two or more positive-looking whole numbers joined by `x` or `X`, such as `64x64x3`):
 * the numbers, or undefined when `text` does not have that form.
 */
export function parseDims(text: string): number[] | undefined {
  const dims: number[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 120;
    if (isDigit(code)) continue;
    if (code !== 120 && code !== 88) return undefined; // x X
    if (i === start) return undefined;
    dims.push(Number(text.slice(start, i)));
    start = i + 1;
  }
  return dims.length >= 2 ? dims : undefined;
}

/** White space between tokens: exactly the characters JavaScript's \s matches (space, tab,
 *  line breaks, form feed, vertical tab, no-break space, the Unicode spaces, U+3000 and the
 *  byte order mark U+FEFF), tested without a regular expression. */
export function isSpaceCode(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The longest a message quotes of a token or a value before it cuts (with an ellipsis). */
export const QUOTE_LIMIT = 40;

/**
 * A token's text as a message quotes it: at most QUOTE_LIMIT characters (then `…`), control
 * characters written as \uXXXX, never half of a surrogate pair.
 */
export function quoted(text: string, limit = QUOTE_LIMIT): string {
  let cut = text;
  if (text.length > limit) {
    let end = limit - 1;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    cut = text.slice(0, end) + '…';
  }
  let out = '';
  let from = 0;
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    if (code < 32 || (code >= 0x7f && code <= 0x9f)) {
      out += cut.slice(from, i) + '\\u' + code.toString(16).padStart(4, '0');
      from = i + 1;
    }
  }
  return from === 0 ? cut : out + cut.slice(from);
}

function readString(text: string, from: number): { end: number; value: string; closed: boolean } {
  // from points at the opening quote; \" and \\ are the only escapes: any other backslash is
  // kept as written (`"data\flower.csv"` stays data\flower.csv)
  let value = '';
  let chunk = from + 1;
  let i = from + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 92 && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 92)) { // \ then " or \
      value += text.slice(chunk, i) + text[i + 1];
      i += 2;
      chunk = i;
      continue;
    }
    if (code === 34) return { end: i + 1, value: value + text.slice(chunk, i), closed: true };
    i++;
  }
  return { end: text.length, value: value + text.slice(chunk), closed: false };
}

export function scanLine(text: string, line: number): ScannedLine {
  const tokens: Token[] = [];
  const result: ScannedLine = { line, tokens };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isSpaceCode(code)) {
      i++;
      continue;
    }
    if (code === 35) { // #
      result.comment = { text: text.slice(i).trimEnd(), start: i };
      break;
    }
    const start = i;
    if (code === 34) { // "
      const s = readString(text, i);
      if (!s.closed) result.unterminatedString = start;
      tokens.push({ kind: 'string', text: text.slice(start, s.end), value: s.value, line, start, end: s.end });
      i = s.end;
      continue;
    }
    // a word runs to white space, '#' or '"'; its first '=' makes it a key=value pair
    let eq = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 35 || c === 34 || isSpaceCode(c)) break;
      if (c === 61 && eq < 0) eq = i; // =
      i++;
    }
    if (eq >= 0) {
      // key=value, where the value may be a quoted string
      let valueEnd = i;
      let value = text.slice(eq + 1, i);
      if (i === eq + 1 && text.charCodeAt(i) === 34) {
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
  const keyword = scanned.tokens[0];
  if (!keyword) return undefined;
  const args = scanned.tokens.slice(1);
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
