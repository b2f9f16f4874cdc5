// The trainer's error kinds, as the worker protocol reports them (ErrorMessage.kind):
// DataError -> 'data', SpecError -> 'spec', DivergedError -> 'diverged', MemoryError -> 'memory',
// anything else 'internal';
// CancelledError (kernels.ts) is not an error for the user: the run ends as cancelled.
// Also the two helpers every message about a file or a failed run goes through: excerpt()
// (file contents, short and with control characters escaped) and divergenceMessage().

import type { ErrorKind } from '../shared/model/errors';
import type { InitScheme, Loss } from '../shared/model/spec';

/** Why a data file was not read: larger than the size limit, or needing more than the memory budget. */
export type DataRefusal = 'file-too-large' | 'over-budget';

/** The data cannot be read or does not suit the spec (missing file, ragged CSV, labels not 0/1, ...). */
export class DataError extends Error {
  constructor(
    message: string,
    /** set when the data was refused before reading it (see Limits) */
    readonly refusal?: DataRefusal,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** The spec cannot be trained as written (no input, no layers, an output layer the labels do not fit, ...). */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** The run needs more memory than its budget or the machine allows: refused before allocating. */
export class MemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryError';
  }
}

/** What divergenceMessage() looks at to name the cause of a NaN or infinite cost. */
export interface DivergenceContext {
  spec: { learningRate: number; init: InitScheme; inputSize?: number; loss?: Loss };
  /** the training features X (n_x, m), when at hand */
  data?: { X: { rows: number; cols: number; data: ArrayLike<number> } };
}

/** The cost became NaN or infinite: the message names the most likely cause (see divergenceMessage). */
export class DivergedError extends Error {
  constructor(
    readonly iteration: number,
    readonly cost: number,
    /** the spec (and the data) when at hand; a bare learning rate otherwise */
    context: DivergenceContext | number,
  ) {
    super(divergenceMessage(iteration, cost, context));
    this.name = 'DivergedError';
  }
}

/** Above this, `init random SCALE` is called out as the cause of an overflow at the first iteration. */
const HUGE_INIT_SCALE = 1e3;
/** Features whose largest |x| is above this are called out as unscaled. */
const LARGE_FEATURE = 100;

function costText(cost: number): string {
  return Number.isNaN(cost) ? 'NaN' : cost > 0 ? 'infinite' : String(cost);
}

/**
 * Why the cost became NaN or infinite at `iteration`, and what to change. The learning rate is
 * named only when it can be the cause: at iteration 0 the cost is computed before any update,
 * so there it is never the learning rate, but the data (NaN or infinite features, features far
 * too large) or the initial weights (`init random 1e200`). A bare number as `context` is the
 * learning rate (the spec and the data unknown).
 */
export function divergenceMessage(iteration: number, cost: number, context: DivergenceContext | number): string {
  const head = `The cost became ${costText(cost)} at iteration ${iteration}`;
  const spec = typeof context === 'number' ? undefined : context.spec;
  const learningRate = typeof context === 'number' ? context : context.spec.learningRate;
  const X = typeof context === 'number' ? undefined : context.data?.X;
  let maxAbs = 0;
  let firstBad = -1;
  if (X) {
    for (let k = 0; k < X.data.length; k++) {
      const v = X.data[k];
      if (!Number.isFinite(v)) {
        firstBad = k;
        break;
      }
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
    }
  }
  if (X && firstBad >= 0) {
    const i = Math.floor(firstBad / X.cols);
    const j = firstBad % X.cols;
    return `${head}: the training features are not all finite numbers (X[${i}][${j}], feature ${i + 1} of example ${j + 1}, is ${X.data[firstBad]}). Fix the data; the learning rate is not the cause.`;
  }
  const init = spec?.init;
  const hugeInit = init?.kind === 'random' && init.scale > HUGE_INIT_SCALE;
  const initText = init?.kind === 'random' ? `init random ${init.scale}` : init ? `init ${init.kind}` : undefined;
  const largeFeatures = X !== undefined && maxAbs > LARGE_FEATURE;
  const featureText = `the features are large (the largest |x| is ${maxAbs.toPrecision(3)}): scale them, e.g. \`scale=1/255\` on the data line`;
  if (iteration === 0) {
    // computed before any update: the learning rate has not acted yet
    const causes: string[] = [];
    if (hugeInit) causes.push(`\`${initText}\` makes the initial weights about ${init.scale} times a standard normal, so Z overflows or A[L] saturates to exactly 0 or 1: use a scale such as 0.01, or \`init he\` / \`init xavier\``);
    if (largeFeatures) causes.push(featureText);
    if (!causes.length) {
      causes.push(
        `the initial weights${initText ? ` (\`${initText}\`)` : ''} or the features are too large, so Z overflows or A[L] saturates to exactly 0 or 1: ` +
          'use a smaller init scale (or `init he` / `init xavier`) and scale the features',
      );
    }
    return `${head}, before any update, so the learning rate is not the cause: ${causes.join('; and ')}.`;
  }
  const extra: string[] = [];
  if (hugeInit) extra.push(`\`${initText}\` is a very large initial scale (try 0.01)`);
  if (largeFeatures) extra.push(featureText);
  return (
    `${head}: the learning rate (${learningRate}) is probably too high, or the output saturated. Try a smaller learning_rate.` +
    (extra.length ? ` Also: ${extra.join('; ')}.` : '')
  );
}

/** A spec the trainer can run has an input and at least one layer; throws a SpecError otherwise. */
export function assertTrainable(spec: { inputSize?: number; layers: readonly unknown[] }): asserts spec is { inputSize: number; layers: readonly unknown[] } {
  if (spec.inputSize === undefined) throw new SpecError('The spec has no `input` line: add one, e.g. `input 2`.');
  if (spec.layers.length === 0) throw new SpecError('The spec has no layers: add at least one `dense` line (the last is the output layer).');
}

/** The protocol's ErrorMessage.kind for an error thrown by the trainer. */
export function errorKind(err: unknown): ErrorKind {
  if (err instanceof DivergedError) return 'diverged';
  if (err instanceof SpecError) return 'spec';
  if (err instanceof DataError) return 'data';
  if (err instanceof MemoryError) return 'memory';
  return 'internal';
}

/** Characters that must not reach a message raw: C0 and C1 controls, DEL, line and paragraph separators, bidi overrides. */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

/**
 * Text taken from a file (a cell, a column name, a dataset name), as a message may quote it: at
 * most `max` characters (then an ellipsis), control characters written as escapes (\n, \t,
 * \x00, \u202e), so that a hostile file cannot put line breaks, terminal escapes or
 * right-to-left overrides into a diagnostic or a CLI line.
 */
export function excerpt(text: string, max = 40): string {
  let out = '';
  let shown = 0;
  for (let i = 0; i < text.length; i++) {
    if (shown >= max) return out + '…';
    const c = text.charCodeAt(i);
    if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (isControl(c)) out += c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // a surrogate pair stays whole
      out += text[i] + text[i + 1];
      i++;
    } else out += text[i];
    shown++;
  }
  return out;
}

/** A list of names from a file for a message: each an excerpt, at most `max` of them ("and 3 more"). */
export function excerptList(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => excerpt(n));
  return shown.join(', ') + (names.length > max ? `, and ${names.length - max} more` : '');
}
