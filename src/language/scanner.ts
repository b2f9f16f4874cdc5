// Line scanner: a `.nnspec` file has one statement per line, so the scanner works line by
// line and every token knows its line and columns.

import { isNumberText } from '../shared/model/numbers';
import { ACTIVATIONS, GENERATORS, INIT_SCHEMES, LOSSES } from '../shared/model/spec';
import type { Range, Statement, Token } from './types';
import { STATEMENT_NAMES } from './vocabulary';

export interface ScannedLine {
  line: number;
  tokens: Token[];
  comment?: { text: string; start: number };
  /** column of an unterminated string, if any */
  unterminatedString?: number;
}

// Every function here runs in time linear in its input: no regular expression that can
// backtrack, no search of the rest of the line per token (a 1 MB line scans in milliseconds).
// Numbers are read as src/shared/model/numbers.ts reads them (the designer's fields read them so too).

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

/** The words of the language (statements, activations, losses, init schemes, splits, generated sets). */
const WORDS = new Map<string, string>(
  [...STATEMENT_NAMES, ...ACTIVATIONS, ...LOSSES, ...INIT_SCHEMES, ...GENERATORS, 'train', 'test'].map((w) => [w, w]),
);

/**
 * The most tokens a line has: after MAX_TOKENS − 1 of them, the rest of the line (up to its
 * comment) is one more token, a word that is no statement's argument (`seed 1 1 1 ...` of a
 * million numbers is one error, read without a million objects). No statement needs more than
 * a dozen.
 */
export const MAX_TOKENS = 256;

export function scanLine(text: string, line: number): ScannedLine {
  const scanned: Token[] = [];
  const result: ScannedLine = { line, tokens: scanned, comment: undefined, unterminatedString: undefined };
  const n = text.length;
  // past MAX_TOKENS − 1 tokens: the first one past them, then where the rest ends
  let tokens = scanned;
  let rest: Token | undefined;
  let restEnd = -1;
  let i = 0;
  while (i < n) {
    if (tokens.length === MAX_TOKENS - 1 && tokens === scanned) tokens = [];
    if (tokens !== scanned && tokens.length) {
      // keep the first token past the limit; of the others only where they end
      rest ??= tokens[0];
      restEnd = tokens[tokens.length - 1].end;
      tokens.length = 0;
    }
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
    const sliced = text.slice(start, i);
    // the language's own words share one string: a file of 80,000 `dense 4 relu` lines keeps
    // no 160,000 copies of `dense` and `relu` (fewer objects for the garbage collector)
    const word = WORDS.get(sliced) ?? sliced;
    tokens.push({ kind: isNumberText(word) ? 'number' : 'word', text: word, line, start, end: i });
  }
  if (tokens !== scanned && tokens.length) {
    rest ??= tokens[0];
    restEnd = tokens[tokens.length - 1].end;
  }
  if (rest) {
    // one token past the limit is itself; more are one word from the first to the last
    scanned.push(restEnd > rest.end ? { kind: 'word', text: text.slice(rest.start, restEnd), line, start: rest.start, end: restEnd } : rest);
  }
  return result;
}

/** Lines as VS Code counts them: CRLF, LF and a lone CR each end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * A statement whose range is made when asked for: a file of 200,000 lines asks for few of them,
 * and three objects fewer per line is a third less for the garbage collector to trace.
 */
class LineStatement implements Statement {
  private made?: Range;
  constructor(
    readonly line: number,
    readonly keyword: Token,
    readonly args: Token[],
    readonly comment: { text: string; start: number } | undefined,
  ) {}

  get range(): Range {
    if (!this.made) {
      const last = this.args.length ? this.args[this.args.length - 1] : this.keyword;
      this.made = {
        start: { line: this.line, character: this.keyword.start },
        end: { line: this.line, character: last.end },
      };
    }
    return this.made;
  }
}

/** The statement on a scanned line, or undefined for blank and comment-only lines. */
export function toStatement(scanned: ScannedLine): Statement | undefined {
  const keyword = scanned.tokens[0];
  if (!keyword) return undefined;
  return new LineStatement(scanned.line, keyword, scanned.tokens.slice(1), scanned.comment);
}
