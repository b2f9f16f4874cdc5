// Numbers as a `.nnspec` file writes them (`12`, `0.5`, `.5`, `1e-3`, `+2`, fractions `1/255`)
// and input dimensions (`64x64x3`): the one reading of a number, shared by the language's
// scanner, the designer's fields and the sweep's values. No vscode, DOM or node imports.
//
// Every function here runs in time linear in its input: no regular expression that can
// backtrack (a 1 MB token is read in milliseconds).

export function isDigit(code: number): boolean {
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

/** A whole number from `min` to `max` as the language reads one (`4`, `4.0`, `1e3`); undefined when `text` is not one. */
export function wholeNumber(text: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = parseNumber(text.trim());
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** A positive number as the language reads one (`0.01`, `1e-3`, `1/255`); undefined when `text` is not one. */
export function positiveNumber(text: string): number | undefined {
  const value = parseNumber(text.trim());
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * A statistic in a table (the step inspector's min, mean, max and norm, in `nnspec step` and the
 * designer alike): 6 significant digits, exponent form for the very large and small.
 */
export function statText(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(6).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
