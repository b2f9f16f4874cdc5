// Property-based tests of the language core (fast-check): whatever the text, nothing throws and
// every range is inside the document; one bad line is reported on that line and the other
// layers keep their numbers and shapes; formatting is idempotent and keeps the meaning;
// designer edits do what they say. Plus the hostile inputs of issue 10 as examples.
// A failure prints fast-check's seed and the shrunk counterexample.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyTextEdits,
  checkSpec,
  completionsAt,
  documentSymbols,
  editToTextEdits,
  formatEdits,
  formatNumber,
  formatSpecShapes,
  formatText,
  hoverAt,
  layerHints,
  parseSpec,
  shapeTableOf,
  specShapes,
  type Diagnostic,
  type ParsedSpec,
  type Range,
} from '../../../src/language';
import type { NetworkEdit } from '../../../src/shared/model/edits';
import { isNumberText, parseNumber } from '../../../src/shared/model/numbers';
import { isSpaceCode, splitLines } from '../../../src/language/scanner';
import { formatCount, quoted } from '../../../src/language/text';
import { editDistance } from '../../../src/language/vocabulary';
import { ACTIVATIONS, GENERATORS, type Activation, type NetworkSpec } from '../../../src/shared/model/spec';

const GiB = 1024 ** 3;
const MEMORY = { memoryBudgetBytes: 2 * GiB, machineBytes: 16 * GiB, memoryBudgetSource: 'test' };

// ------------------------------------------------------------------------------- generators

const HIDDEN: readonly Activation[] = ['relu', 'tanh', 'leaky_relu'];

interface GeneratedSpec {
  text: string;
  /** lines as the editor counts them */
  lines: string[];
}

/** A valid spec (no errors): statements in any order, comments, blank lines, odd spacing, CRLF or LF. */
const validSpec: fc.Arbitrary<GeneratedSpec> = fc
  .record({
    name: fc.option(fc.stringMatching(/^[a-z][a-z ]{0,10}$/), { nil: undefined }),
    input: fc.oneof(
      fc.integer({ min: 1, max: 60 }).map(String),
      fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 })).map((d) => d.join('x')),
    ),
    hidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 64 }), activation: fc.constantFrom(...HIDDEN) }), { maxLength: 5 }),
    loss: fc.constantFrom('default', 'binary_cross_entropy', 'mse'),
    mseOutput: fc.constantFrom(...ACTIVATIONS),
    train: fc.option(
      fc.oneof(
        fc.record({ generator: fc.constantFrom(...GENERATORS), m: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), noise: fc.option(fc.constantFrom('0', '0.2', '1/5'), { nil: undefined }) }).map(
          (g) => `data train ${g.generator}${g.m === undefined ? '' : ` m=${g.m}`}${g.noise === undefined ? '' : ` noise=${g.noise}`}`,
        ),
        fc.constant('data train "data/points.csv" label=y scale=1/255'),
        fc.constant('data train "cat.h5" x=train_set_x y=train_set_y'),
      ),
      { nil: undefined },
    ),
    test: fc.option(fc.constantFrom('data test flower m=50 seed=3', 'data test "test.csv"'), { nil: undefined }),
    init: fc.option(fc.constantFrom('zeros', 'random 0.01', 'random 1/100', 'xavier', 'he'), { nil: undefined }),
    seed: fc.option(fc.integer({ min: 0, max: 4294967295 }), { nil: undefined }),
    duplicateSeed: fc.boolean(),
    learningRate: fc.option(fc.constantFrom('0.0075', '1.2', '1e-3', '.5'), { nil: undefined }),
    iterations: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
    printEvery: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
    comments: fc.array(fc.constantFrom('', '', '', ' # note', '   # aligned "quoted" # twice'), { minLength: 20, maxLength: 20 }),
    blank: fc.array(fc.constantFrom(0, 0, 0, 1), { minLength: 20, maxLength: 20 }),
    space: fc.constantFrom(' ', '  ', '\t', ' \u00a0'),
    indent: fc.constantFrom('', '', '  '),
    eol: fc.constantFrom('\n', '\r\n'),
    finalEol: fc.boolean(),
  })
  .map((g) => {
    const settings: string[] = [];
    if (g.name !== undefined) settings.push(`network "${g.name}"`);
    settings.push(`input ${g.input}`);
    if (g.loss !== 'default') settings.push(`loss ${g.loss}`);
    if (g.train) settings.push(g.train);
    if (g.test) settings.push(g.test);
    if (g.init) settings.push(`init ${g.init}`);
    if (g.seed !== undefined) settings.push(`seed ${g.seed}`);
    if (g.seed !== undefined && g.duplicateSeed) settings.push(`seed ${(g.seed + 1) % 100}`);
    if (g.learningRate) settings.push(`learning_rate ${g.learningRate}`);
    if (g.iterations !== undefined) settings.push(`iterations ${g.iterations}`);
    if (g.printEvery !== undefined) settings.push(`print_every ${g.printEvery}`);
    const output = g.loss === 'mse' ? `dense 1 ${g.mseOutput}` : 'dense 1 sigmoid';
    const layers = [...g.hidden.map((h) => `dense ${h.units} ${h.activation}`), output];
    // the layers keep their order; the settings go anywhere around them
    const statements = layers.slice();
    settings.forEach((s, k) => statements.splice(g.order[k] % (statements.length + 1), 0, s));
    const lines: string[] = [];
    statements.forEach((s, k) => {
      for (let b = 0; b < g.blank[k % 20]; b++) lines.push('');
      lines.push(g.indent + s.split(' ').join(g.space) + g.comments[k % 20]);
    });
    const text = lines.join(g.eol) + (g.finalEol ? g.eol : '');
    return { text, lines: splitLines(text) };
  });

/** Pieces of hostile text: the language's words, numbers and punctuation, words of
 *  Object.prototype, long runs, odd white space, line breaks, surrogates and control characters. */
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('network', 'input', 'dense', 'loss', 'data', 'init', 'seed', 'learning_rate', 'iterations', 'print_every', 'train', 'test', 'flower', 'relu', 'sigmoid', 'tanh', 'mse', 'random', 'zeros', 'x=', 'y=', 'label=', 'scale=', 'm=', 'noise=', 'seed=') },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', ' ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u3000', '\ufeff', '\u2028', '\f', '\v') },
  { weight: 3, arbitrary: fc.constantFrom('1', '4', '0', '-1', '1e-3', '1/255', '2x2x3', '64x64x3', '.5', '1e', '1/', '+2', '99999999999999999999', '0x10', 'NaN', 'Infinity') },
  { weight: 3, arbitrary: fc.constantFrom('"', '#', '=', '\\', '\\"', '"a.csv"', '"b.h5"', '""', '/', 'x', 'é', '😀', '\ud800', '\u0000', '\u001b[31m') },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).chain((n) => fc.constantFrom('9'.repeat(n) + 'x', '='.repeat(n), ' 1'.repeat(n), 'a'.repeat(n), ' '.repeat(n) + 'b')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const hostileText: fc.Arbitrary<string> = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

// ------------------------------------------------------------------------------- helpers

function insideDocument(range: Range, lines: readonly string[], what: string): void {
  const ok = (p: { line: number; character: number }): boolean =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  assert.ok(ok(range.start) && ok(range.end), `${what}: ${JSON.stringify(range)} outside the document`);
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${what}: ${JSON.stringify(range)} ends before it starts`);
}

/** Every language feature over `text`: nothing throws, every range is inside the document. */
function exerciseEverything(text: string, positions: { line: number; character: number }[]): void {
  const parsed = parseSpec(text);
  const lines = parsed.lines;
  assert.deepEqual(lines, splitLines(text));
  const diagnostics = checkSpec(parsed, {}, MEMORY);
  for (const d of diagnostics) {
    insideDocument(d.range, lines, `${d.code} '${d.message}'`);
    assert.ok(d.message.length < 600, `a message of ${d.message.length} characters: ${d.message.slice(0, 100)}`);
    for (const fix of d.fixes ?? []) for (const e of fix.edits) insideDocument(e.range, lines, `fix of ${d.code}`);
  }
  const shapes = specShapes(parsed, 400);
  shapeTableOf(shapes);
  formatSpecShapes(shapes);
  for (const h of layerHints(parsed)) assert.ok(h.line < lines.length && h.character <= lines[h.line].length);
  for (const s of documentSymbols(parsed)) {
    insideDocument(s.range, lines, `symbol ${s.name}`);
    insideDocument(s.selectionRange, lines, `symbol ${s.name}`);
  }
  for (const e of formatEdits(text)) insideDocument(e.range, lines, 'format edit');
  formatText(text);
  for (const raw of positions) {
    const line = raw.line % lines.length;
    const position = { line, character: raw.character % (lines[line].length + 1) };
    const hover = hoverAt(parsed, position, 400, 200);
    if (hover) {
      insideDocument(hover.range, lines, 'hover');
      assert.doesNotMatch(hover.markdown, /native code|\[object|function \w*\(|undefined|NaN/, hover.markdown);
    }
    for (const c of completionsAt(lines[line], position)) assert.equal(typeof c.label, 'string');
  }
}

const key = (d: Diagnostic): string => `${d.range.start.line}:${d.severity}:${d.code}`;

/** One edit of one character of a line: insert, delete or replace (never a line break). */
const MUTATION_CHARS = ['a', 'e', 'x', 'z', '0', '1', '9', ' ', '\t', '"', '=', '.', '-', '/', '_', '#', '\u00a0', 'é', '😀'];

function mutate(line: string, op: number, at: number, ch: string): string {
  const i = at % (line.length + 1);
  switch (op % 3) {
    case 0:
      return line.slice(0, i) + ch + line.slice(i);
    case 1:
      return i < line.length ? line.slice(0, i) + line.slice(i + 1) : line.slice(0, -1);
    default:
      return line.slice(0, i) + ch + line.slice(i + 1);
  }
}

/** The line that gives layer `index` its n[l−1]: the previous dense line, or the input line. */
function providerLine(parsed: ParsedSpec, index: number): number | undefined {
  return index === 1 ? parsed.single.input?.line : parsed.layers[index - 2]?.statement.line;
}

// ------------------------------------------------------------------------------- properties

describe('language properties: any text', () => {
  it('nothing throws and every range is inside the document (hostile text)', () => {
    fc.assert(
      fc.property(hostileText, fc.array(fc.record({ line: fc.nat(), character: fc.nat() }), { minLength: 3, maxLength: 3 }), (text, positions) => {
        exerciseEverything(text, positions);
      }),
      { numRuns: 800 },
    );
  });

  it('nothing throws and every range is inside the document (mutated valid specs)', () => {
    fc.assert(
      fc.property(
        validSpec,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...MUTATION_CHARS)), { maxLength: 6 }),
        fc.array(fc.record({ line: fc.nat(), character: fc.nat() }), { minLength: 3, maxLength: 3 }),
        (spec, mutations, positions) => {
          const lines = spec.lines.slice();
          for (const [line, op, at, ch] of mutations) lines[line % lines.length] = mutate(lines[line % lines.length], op, at, ch);
          exerciseEverything(lines.join('\n'), positions);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the number scanner accepts exactly what the old patterns accepted, with the same values', () => {
    const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    const FRACTION = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\/(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    const old = (t: string): number => (NUMBER.test(t) ? Number(t) : FRACTION.test(t) ? Number(t.split('/')[0]) / Number(t.split('/')[1]) : NaN);
    const numberish = fc.array(fc.constantFrom('0', '1', '5', '9', '.', 'e', 'E', '+', '-', '/', 'x', ' '), { maxLength: 14 }).map((c) => c.join(''));
    fc.assert(
      fc.property(numberish, (t) => {
        assert.equal(isNumberText(t), NUMBER.test(t) || FRACTION.test(t), t);
        assert.ok(Object.is(parseNumber(t), old(t)), t);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('language properties: suggestions', () => {
  it('the edit distance (three reused rows) agrees with the full table', () => {
    const full = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
      return d[a.length][b.length];
    };
    const word = fc.array(fc.constantFrom('a', 'b', 'e', 'l', 'r', 'u'), { maxLength: 12 }).map((c) => c.join(''));
    fc.assert(
      fc.property(word, word, (a, b) => {
        assert.equal(editDistance(a, b), full(a, b), `${a} ${b}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('language properties: counts', () => {
  it('formatCount writes whole numbers as en-US toLocaleString does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1000, max: 100000 })), (n) => {
        assert.equal(formatCount(n), n.toLocaleString('en-US'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('language properties: one bad line', () => {
  it('is reported on that line only, and the other layers keep their numbers and shapes', () => {
    let bad = 0;
    let runs = 0;
    fc.assert(
      fc.property(validSpec, fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...MUTATION_CHARS), (spec, lineSeed, op, at, ch) => {
        runs++;
        const original = parseSpec(spec.text);
        const before = checkSpec(original, {}, MEMORY);
        assert.deepEqual(before.filter((d) => d.severity === 'error'), [], 'the generated spec has errors');
        const statementLines = original.statements.map((s) => s.line);
        const L = statementLines[lineSeed % statementLines.length];
        const lines = spec.lines.slice();
        lines[L] = mutate(lines[L], op, at, ch);
        const mutated = parseSpec(lines.join('\n'));
        const after = checkSpec(mutated, {}, MEMORY);
        // a bad line: one the parser cannot read as written. A change that reads (`dense 1` to
        // `dense 91`, a `#`) is an edit like any other, whatever the checks then say about it
        if (!mutated.diagnostics.some((d) => d.severity === 'error' && d.range.start.line === L)) return;
        bad++;
        // one new diagnostic, the parse error on the bad line; nothing new anywhere else (a
        // file-wide one such as "no training data" may stay where it was, on the first line)
        const parseErrors = after.filter((d) => d.severity === 'error' && d.range.start.line === L && mutated.diagnostics.includes(d));
        assert.equal(parseErrors.length, 1, `more than one error on the bad line ${L + 1} '${lines[L]}': ${parseErrors.map((d) => d.message).join(' | ')}`);
        const allowed = new Map<string, number>();
        for (const d of before) allowed.set(key(d), (allowed.get(key(d)) ?? 0) + 1);
        for (const d of after) {
          if (d === parseErrors[0]) continue;
          const n = allowed.get(key(d)) ?? 0;
          assert.ok(n > 0, `bad line ${L + 1} '${lines[L]}' added on line ${d.range.start.line + 1}: ${d.code} ${d.message}`);
          allowed.set(key(d), n - 1);
        }
        // the other layers: same number, units and activation; the same W, b and parameters
        // unless their n[l−1] comes from the bad line
        const shapesBefore = specShapes(original).layers;
        const shapesAfter = specShapes(mutated).layers;
        for (const row of shapesBefore) {
          const line = row.node.statement.line;
          if (line === L) continue;
          const now = shapesAfter.find((r) => r.node.statement.line === line);
          assert.ok(now, `layer ${row.layer} on line ${line + 1} is gone after bad line ${L + 1}`);
          assert.deepEqual([now.layer, now.units, now.activation], [row.layer, row.units, row.activation], `layer on line ${line + 1}`);
          if (providerLine(original, row.layer) !== L) {
            assert.deepEqual([now.shape?.W, now.shape?.b, now.shape?.params], [row.shape?.W, row.shape?.b, row.shape?.params], `shape of layer ${row.layer}`);
          }
        }
      }),
      { numRuns: Number(process.env.NNSPEC_PROPERTY_RUNS ?? 1500) },
    );
    // most one-character edits of a statement make it an error: the property was exercised
    assert.ok(bad > runs / 3, `only ${bad} of ${runs} mutations were errors`);
  });
});

describe('language properties: formatting', () => {
  const formatted = fc.oneof(
    validSpec.map((s) => s.text),
    hostileText,
  );

  it('format(format(x)) == format(x), with the same spec, layers and diagnostics', () => {
    fc.assert(
      fc.property(formatted, (text) => {
        const once = formatText(text);
        assert.equal(formatText(once), once);
        const a = parseSpec(text);
        const b = parseSpec(once);
        assert.deepEqual(b.spec, a.spec);
        assert.deepEqual(
          b.layers.map((l) => [l.statement.line, l.index, l.units, l.activation]),
          a.layers.map((l) => [l.statement.line, l.index, l.units, l.activation]),
        );
        assert.deepEqual(checkSpec(b).map((d) => [d.range.start.line, d.code]), checkSpec(a).map((d) => [d.range.start.line, d.code]));
        // the minimal edits give the same text (line ends kept as they are)
        assert.equal(splitLines(applyTextEdits(text, formatEdits(text))).join('\n'), splitLines(once).join('\n'));
      }),
      { numRuns: 600 },
    );
  });
});

describe('language properties: designer edits', () => {
  /** A designer action that fits a spec of L layers. */
  const editFor = (L: number): fc.Arbitrary<NetworkEdit> =>
    fc.oneof(
      fc.record({ op: fc.constant('setUnits' as const), layer: fc.integer({ min: 1, max: L }), units: fc.integer({ min: 1, max: 100000 }) }),
      fc.record({ op: fc.constant('setActivation' as const), layer: fc.integer({ min: 1, max: L }), activation: fc.constantFrom(...ACTIVATIONS) }),
      fc.record({ op: fc.constant('addLayer' as const), at: fc.integer({ min: 1, max: L + 1 }), units: fc.integer({ min: 1, max: 512 }), activation: fc.constantFrom(...ACTIVATIONS) }),
      fc.record({ op: fc.constant('removeLayer' as const), layer: fc.integer({ min: 1, max: L }) }),
      fc.record({ op: fc.constant('moveLayer' as const), from: fc.integer({ min: 1, max: L }), to: fc.integer({ min: 1, max: L }) }),
      fc.oneof(
        fc.record({ op: fc.constant('setInput' as const), size: fc.integer({ min: 1, max: 100000 }) }),
        fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4 })).map((dims) => ({ op: 'setInput' as const, size: dims[0] * dims[1] * dims[2], dims })),
      ),
      fc.record({ op: fc.constant('setLearningRate' as const), learningRate: fc.double({ min: 1e-7, max: 10, noNaN: true }) }),
      fc.record({ op: fc.constant('setIterations' as const), iterations: fc.integer({ min: 1, max: 100_000_000 }) }),
      fc.record({ op: fc.constant('setSeed' as const), seed: fc.integer({ min: 0, max: 4294967295 }) }),
      fc.record({ op: fc.constant('setLoss' as const), loss: fc.constantFrom('binary_cross_entropy' as const, 'mse' as const) }),
      fc.oneof(
        fc.constantFrom({ kind: 'zeros' as const }, { kind: 'xavier' as const }, { kind: 'he' as const }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }).map((scale) => ({ kind: 'random' as const, scale })),
      ).map((init) => ({ op: 'setInit' as const, init })),
    );

  /** What the spec should be after `edit`. */
  function intended(spec: NetworkSpec, edit: NetworkEdit): NetworkSpec {
    const s: NetworkSpec = { ...spec, layers: spec.layers.map((l) => ({ ...l })) };
    switch (edit.op) {
      case 'setUnits':
        s.layers[edit.layer - 1].units = edit.units;
        break;
      case 'setActivation':
        s.layers[edit.layer - 1].activation = edit.activation;
        break;
      case 'addLayer':
        s.layers.splice(edit.at - 1, 0, { units: edit.units, activation: edit.activation });
        break;
      case 'removeLayer':
        s.layers.splice(edit.layer - 1, 1);
        break;
      case 'moveLayer': {
        const [moved] = s.layers.splice(edit.from - 1, 1);
        s.layers.splice(edit.to - 1, 0, moved);
        break;
      }
      case 'setInput':
        s.inputSize = edit.size;
        if (edit.dims) s.inputDims = edit.dims;
        else delete s.inputDims;
        break;
      case 'setLearningRate':
        s.learningRate = Number(formatNumber(edit.learningRate));
        break;
      case 'setIterations':
        s.iterations = edit.iterations;
        break;
      case 'setSeed':
        s.seed = edit.seed;
        break;
      case 'setLoss':
        s.loss = edit.loss;
        break;
      case 'setInit':
        s.init = edit.init.kind === 'random' ? { kind: 'random', scale: Number(formatNumber(edit.init.scale)) } : edit.init;
        break;
    }
    return s;
  }

  it('applying the text edits and parsing again gives the intended spec, without new errors', () => {
    fc.assert(
      fc.property(
        validSpec.chain((spec) => fc.tuple(fc.constant(spec), editFor(parseSpec(spec.text).layers.length))),
        ([spec, edit]) => {
          const parsed = parseSpec(spec.text);
          const eol = spec.text.includes('\r\n') ? '\r\n' : '\n';
          const result = applyTextEdits(spec.text, editToTextEdits(parsed, edit, { eol }));
          const after = parseSpec(result);
          assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error'), [], result);
          assert.deepEqual(after.spec, intended(parsed.spec, edit), `${JSON.stringify(edit)}\n${result}`);
          // lines other than the edited ones keep their comments
          const comments = (p: ParsedSpec): string[] => p.statements.flatMap((s) => (s.comment ? [s.comment.text] : [])).sort();
          if (edit.op !== 'removeLayer') assert.deepEqual(comments(after), comments(parsed));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// ------------------------------------------------------------------------------- examples

describe('hostile input: examples from issue 10', () => {
  it('hover on words of Object.prototype shows documentation or nothing, never JavaScript internals', () => {
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      for (const line of [`init ${word}`, `data train ${word}`, `loss ${word}`, `dense 4 ${word}`, `data train flower ${word}=1`, `${word} 2`]) {
        const text = `input 2\n${line}\ndense 1 sigmoid\n`;
        const parsed = parseSpec(text);
        for (let character = 0; character <= line.length; character++) {
          const hover = hoverAt(parsed, { line: 1, character });
          if (hover) assert.doesNotMatch(hover.markdown, /native code|\[object|function \w*\(|undefined/, `${line} @${character}: ${hover.markdown}`);
        }
        for (const d of checkSpec(parsed)) assert.doesNotMatch(d.message, /native code|function \w*\(/, d.message);
      }
    }
    // the generator hover still works
    assert.match(hoverAt(parseSpec('data train flower\n'), { line: 0, character: 12 })?.markdown ?? '', /planar "flower" set/);
  });

  it('messages quote at most 40 characters of a token, with an ellipsis', () => {
    const long = 'q'.repeat(10000);
    for (const line of [`dense ${long} relu`, `dense 4 ${long}`, `${long} 2`, `seed ${long}`, `data train ${long}`, `data train flower ${long}=1`, `seed 1${' 1'.repeat(5000)}`, `input 2x${long}`]) {
      const d = checkSpec(parseSpec(`input 2\n${line}\ndense 1 sigmoid\ndata train flower\n`));
      for (const x of d) assert.ok(x.message.length < 300, `${x.code}: ${x.message.length} characters`);
      assert.ok(d.some((x) => x.range.start.line === 1), line.slice(0, 30));
    }
    assert.equal(quoted('a'.repeat(50)), 'a'.repeat(39) + '…');
    assert.equal(quoted('ab\u0000\u001b'), 'ab\\u0000\\u001b');
    // never half of a surrogate pair
    assert.equal(quoted('a'.repeat(38) + '😀'.repeat(5)), 'a'.repeat(38) + '…');
  });

  it("'did you mean' looks at words up to 32 characters", () => {
    const [near] = checkSpec(parseSpec('input 2\ndense 1 sigmoidd\ndata train flower\n'));
    assert.match(near.message, /Did you mean 'sigmoid'/);
    const [far] = checkSpec(parseSpec(`input 2\ndense 1 sigmoid${'d'.repeat(40)}\ndata train flower\n`));
    assert.match(far.message, /^Unknown activation 'sigmoiddd*…'\. Expected one of/);
  });

  it('white space is exactly what \\s matches', () => {
    for (let code = 0; code < 0x10000; code++) assert.equal(isSpaceCode(code), /\s/.test(String.fromCharCode(code)), code.toString(16));
  });

  it('200,000 layer lines: parse, checks, shapes, format, symbols, hints, hover and completion without overflowing the stack', () => {
    const text = 'input 2\n' + 'dense 4 relu  # hidden\n'.repeat(200_000) + 'dense 1 sigmoid\ndata train flower\n';
    const parsed = parseSpec(text);
    assert.equal(parsed.layers.length, 200_001);
    // 3,999,997 parameters; Z, A, dZ, dA of 800,001 units for 400 examples: about 9.5 GB
    const d = checkSpec(parsed, {}, MEMORY);
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]), [
      ['nnspec-many-parameters', 1],
      ['nnspec-memory-budget', 200_001],
    ]);
    assert.match(d[1].message, /needs about 9\.6 GB of memory/);
    const shapes = specShapes(parsed, 400);
    assert.equal(shapeTableOf(shapes).layers.length, 200_001);
    assert.match(formatSpecShapes(shapes), /total parameters: 3,999,997, m = 400$/);
    assert.ok(formatText(text) === text, 'the formatter changed a formatted file');
    assert.equal(documentSymbols(parsed).length, 200_003);
    assert.equal(layerHints(parsed).length, 200_001);
    assert.match(hoverAt(parsed, { line: 200_001, character: 3 }, 400)?.markdown ?? '', /Layer 200001\*\* of 200001 \(output layer\)[\s\S]*Memory to train/);
    assert.ok(completionsAt('dense 4 ', { line: 5, character: 8 }).length > 0);
  });
});
