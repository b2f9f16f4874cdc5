// The `.nnspec` parser: one statement per line, so recovery is per line. A bad line gives one
// diagnostic on that line and the rest of the file is still understood.

import {
  ACTIVATIONS,
  DEFAULTS,
  GENERATORS,
  INIT_SCHEMES,
  LOSSES,
  type Activation,
  type DataSource,
  type GeneratorName,
  type InitScheme,
  type Loss,
  type NetworkSpec,
  type Split,
  MAX_INPUT_SIZE,
  MAX_ITERATIONS,
  MAX_UNITS,
} from '../shared/model/spec';
import { isNumberText, parseDims, parseNumber } from '../shared/model/numbers';
import { scanLine, splitLines, toStatement, type ScannedLine } from './scanner';
import { diagnostic, rangeOf, type Diagnostic, type DiagnosticCode, type QuickFix, type Range, type Statement, type Token } from './types';
import { DATA_KEYS, STATEMENT_NAMES, didYouMean } from './vocabulary';
import { formatCount, quoted } from './text';

export interface LayerNode {
  /** l, 1-based as in the course */
  index: number;
  statement: Statement;
  unitsToken?: Token;
  activationToken?: Token;
  units?: number;
  activation?: Activation;
  /**
   * The line is no `dense` statement as written but probably meant as one (`dens 4 tanh`, an
   * unterminated string on a `dense` line, `se 1 sigmoid`): it keeps its place in the numbering
   * and its units when they read as a number, so the other layers keep their numbers and shapes.
   * Its activation is unknown, and the output-layer checks skip it.
   */
  unread?: UnreadLine['why'];
}

export interface DataNode {
  split: Split;
  statement: Statement;
  /** the path (string token) or the generator name (word token) */
  sourceToken?: Token;
  source?: DataSource;
}

/**
 * A line the parser could not read as the statement it is probably meant to be: an unknown
 * statement (`inptu 2`, meant `input`), a line with an unterminated string, or a `data` line
 * without a valid split. The structural checks (no input, no layers, no training data, the
 * output layer) do not fire for what such a line may provide: its own error is the one to fix.
 */
export interface UnreadLine {
  line: number;
  why: 'unknown-statement' | 'unterminated-string' | 'malformed-data';
  /**
   * The statement the line is probably meant as: its keyword, the "did you mean" suggestion, or
   * what its arguments look like (`NUMBER ACTIVATION`: dense, `train`/`test` first: data).
   * Undefined: it may be meant as any statement.
   */
  meant?: string;
  /** a `data` line: the split it names or probably means (undefined: unknown) */
  split?: Split;
}

export interface ParsedSpec {
  lines: string[];
  statements: Statement[];
  spec: NetworkSpec;
  layers: LayerNode[];
  data: { train?: DataNode; test?: DataNode };
  /**
   * The statement of each single-valued kind that counts: the last one that parsed without
   * error (or the first one, when none did).
   */
  single: Partial<Record<'network' | 'input' | 'loss' | 'init' | 'seed' | 'learning_rate' | 'iterations' | 'print_every', Statement>>;
  /** lines that could not be read as the statement they may be (see UnreadLine) */
  unread: UnreadLine[];
  diagnostics: Diagnostic[];
}

type SingleKeyword = 'network' | 'input' | 'loss' | 'init' | 'seed' | 'learning_rate' | 'iterations' | 'print_every';

const FILE_KEYS = ['x', 'y', 'label', 'scale'];
const GENERATOR_KEYS = ['m', 'noise', 'seed', 'scale'];

function replaceFix(title: string, range: Range, newText: string): QuickFix {
  return { title, edits: [{ range, newText }], preferred: true };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly lines: readonly string[]) {}

  lineText(line: number): string {
    return this.lines[line] ?? '';
  }

  /** A diagnostic of `code`, with its severity from the catalog (src/shared/diagnostics.ts). */
  report(range: Range, code: DiagnosticCode, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push(diagnostic(code, message, range, fixes ? { fixes } : {}));
  }

  /** An unknown word: error with a "did you mean" suggestion and its quick fix. */
  unknownWord(token: Token, what: string, candidates: readonly string[], code: DiagnosticCode): void {
    const suggestion = didYouMean(token.text, candidates);
    const list = candidates.join(', ');
    if (suggestion) {
      this.report(rangeOf(token), code, `Unknown ${what} '${quoted(token.text)}'. Did you mean '${suggestion}'?`, [
        replaceFix(`Change to '${suggestion}'`, rangeOf(token), suggestion),
      ]);
    } else {
      this.report(rangeOf(token), code, `Unknown ${what} '${quoted(token.text)}'. Expected one of: ${list}.`);
    }
  }

  extraArgs(statement: Statement, from: number, usage: string): void {
    const args = statement.args;
    if (args.length <= from) return;
    const first = args[from];
    const last = args[args.length - 1];
    const range: Range = {
      start: { line: statement.line, character: first.start },
      end: { line: statement.line, character: last.end },
    };
    // quote what the extra arguments say, as written (at most QUOTE_LIMIT characters of it)
    const line = this.lineText(statement.line);
    this.report(range, 'nnspec-extra-argument', `Unexpected '${quoted(line.slice(first.start, Math.min(last.end, first.start + 100)))}'. Usage: ${usage}`);
  }

  missing(statement: Statement, what: string, usage: string): void {
    // point just after the statement so that the squiggle sits where the text is missing
    this.report(statement.range, 'nnspec-missing-argument', `Missing ${what}. Usage: ${usage}`);
  }

  /** A positive integer argument (at most `max`); reports and returns undefined when it is not one. */
  positiveInteger(token: Token, what: string, code: DiagnosticCode, max?: number): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.report(rangeOf(token), code, `${what} must be a positive whole number, not '${quoted(token.text)}'.`);
      return undefined;
    }
    if (!Number.isInteger(value) || value <= 0) {
      this.report(rangeOf(token), code, `${what} must be a positive whole number, not ${quoted(token.text)}.`);
      return undefined;
    }
    if (max !== undefined && value > max) {
      this.report(rangeOf(token), code, `${what} must be at most ${formatCount(max)}, not ${quoted(token.text)}.`);
      return undefined;
    }
    return value;
  }

  /** Whether an error was reported since `mark` (a length of `diagnostics`). */
  erredSince(mark: number): boolean {
    for (let k = mark; k < this.diagnostics.length; k++) if (this.diagnostics[k].severity === 'error') return true;
    return false;
  }

  /**
   * One bad line gives one diagnostic on that line: when the diagnostics reported since `mark`
   * include an error on `line`, keep only the first of them (the parse functions report left to
   * right) and drop the rest of that line's diagnostics. Diagnostics on other lines stay.
   */
  limitLine(mark: number, line: number): void {
    if (this.diagnostics.length === mark) return;
    const added = this.diagnostics.slice(mark);
    const first = added.find((d) => d.severity === 'error' && d.range.start.line === line);
    if (!first) return;
    this.diagnostics.length = mark;
    for (const d of added) if (d === first || d.range.start.line !== line) this.diagnostics.push(d);
  }

  positiveNumber(token: Token, what: string, code: DiagnosticCode): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.report(rangeOf(token), code, `${what} must be a number, not '${quoted(token.text)}'.`);
      return undefined;
    }
    if (!(value > 0)) {
      this.report(rangeOf(token), code, `${what} must be positive, not ${quoted(token.text)}.`);
      return undefined;
    }
    return value;
  }
}

export function parseSpec(text: string): ParsedSpec {
  const lines = splitLines(text);
  const p = new Parser(lines);
  const statements: Statement[] = [];
  const layers: LayerNode[] = [];
  const data: ParsedSpec['data'] = {};
  const single: ParsedSpec['single'] = {};
  const spec: NetworkSpec = {
    layers: [],
    loss: DEFAULTS.loss,
    init: DEFAULTS.init,
    seed: DEFAULTS.seed,
    learningRate: DEFAULTS.learningRate,
    iterations: DEFAULTS.iterations,
    printEvery: DEFAULTS.printEvery,
  };

  const unread: UnreadLine[] = [];
  /** single statements that count although they have an error (no clean one yet) */
  const erred = new Set<SingleKeyword>();
  const erredData = new Set<Split>();

  lines.forEach((lineText, line) => {
    const mark = p.diagnostics.length;
    parseLine(lineText, line);
    p.limitLine(mark, line);
  });

  /** A line that is no statement as written: remember what it may be meant as (see UnreadLine). */
  function unreadLine(scanned: ScannedLine, why: UnreadLine['why'], statement = toStatement(scanned)): void {
    if (!statement) return;
    const guess = meantStatement(statement);
    const meant = guess.meant;
    const first = statement.args[0];
    unread.push({ line: scanned.line, why, meant, split: meant === 'data' && first ? meantSplit(first.text) : undefined });
    if (meant === 'dense') layers.push(unreadLayer(statement, layers.length + 1, why, guess));
  }

  function parseLine(lineText: string, line: number): void {
    const scanned = scanLine(lineText, line);
    if (scanned.unterminatedString !== undefined) {
      p.report(
        { start: { line, character: scanned.unterminatedString }, end: { line, character: lineText.trimEnd().length } },
        'nnspec-unterminated-string',
        'Unterminated string: add the closing ".',
      );
      unreadLine(scanned, 'unterminated-string');
      return;
    }
    const statement = toStatement(scanned);
    if (!statement) return;
    const { keyword } = statement;
    statements.push(statement);
    if (keyword.kind !== 'word' || !STATEMENT_NAMES.includes(keyword.text)) {
      p.unknownWord(keyword, 'statement', STATEMENT_NAMES, 'nnspec-unknown-statement');
      unreadLine(scanned, 'unknown-statement', statement);
      return;
    }
    const kw = keyword.text as SingleKeyword | 'dense' | 'data';
    if (kw === 'dense') {
      layers.push(parseDense(p, statement, layers.length + 1));
      return;
    }
    if (kw === 'data') {
      const mark = p.diagnostics.length;
      const node = parseData(p, statement);
      if (!node) {
        const [first] = statement.args;
        unread.push({ line, why: 'malformed-data', meant: 'data', split: first ? meantSplit(first.text) : undefined });
        return;
      }
      const failed = p.erredSince(mark);
      const previous = data[node.split];
      // a later line takes over only when it parsed without error
      if (previous && failed) return;
      if (previous && !erredData.has(node.split)) {
        p.report(
          rangeOf(previous.statement.keyword),
          'nnspec-duplicate-statement',
          `'data ${node.split}' is set again on line ${line + 1}; this line is ignored.`,
        );
        p.diagnostics[p.diagnostics.length - 1].unnecessary = true;
      }
      data[node.split] = node;
      if (failed) erredData.add(node.split);
      else erredData.delete(node.split);
      return;
    }
    // a single-valued statement: parse into a copy, which counts unless an earlier line of the
    // same kind counts and this one has an error
    const mark = p.diagnostics.length;
    const draft: NetworkSpec = { ...spec };
    parseSingle(p, kw, statement, draft);
    const failed = p.erredSince(mark);
    const previous = single[kw];
    if (previous && failed) return;
    if (previous && !erred.has(kw)) {
      p.report(rangeOf(previous.keyword), 'nnspec-duplicate-statement', `'${kw}' is set again on line ${line + 1}; this line is ignored.`);
      p.diagnostics[p.diagnostics.length - 1].unnecessary = true;
    }
    single[kw] = statement;
    // the draft replaces the spec (including fields it removed, such as inputDims)
    for (const key of Object.keys(spec) as (keyof NetworkSpec)[]) if (!(key in draft)) delete spec[key];
    Object.assign(spec, draft);
    if (failed) erred.add(kw);
    else erred.delete(kw);
  }

  for (const layer of layers) {
    if (layer.units !== undefined && layer.activation !== undefined) {
      spec.layers.push({ units: layer.units, activation: layer.activation });
    }
  }
  if (data.train?.source) spec.train = data.train.source;
  if (data.test?.source) spec.test = data.test.source;

  return { lines, statements, spec, layers, data, single, unread, diagnostics: p.diagnostics };
}

/** What a line that does not parse is probably meant as (see meantStatement). */
interface Guess {
  meant?: string;
  /** for a line meant as `dense`: the tokens that read as its units and activation */
  unitsToken?: Token;
  activationToken?: Token;
}

function isActivationLike(token: Token | undefined): boolean {
  if (token?.kind !== 'word') return false;
  return (ACTIVATIONS as readonly string[]).includes(token.text) || didYouMean(token.text, ACTIVATIONS) !== undefined;
}

/**
 * The statement a line that does not parse is probably meant as: its keyword or the keyword's
 * "did you mean"; else what its words look like: `train`/`test` first (`dat train flower`:
 * data), a number followed by an activation (`se 1 sigmoid`, `de nse 4 relu`: dense), a
 * keyword after a stray word (`a dense 4 relu`), the text of an unterminated string that opens
 * the line (`"dense 4 relu`), the first word joined to the comment that is all that follows
 * it or to the string right after it (`d#ense 4 relu`, `d"ense 4 relu`). Undefined when nothing
 * tells: it may be meant as any statement. Only tokens count, never the white space between
 * them, so that formatting does not change the guess.
 */
function meantStatement(statement: Statement): Guess {
  const guess = guessFrom(statement);
  if (guess.meant) return guess;
  const { keyword, args, comment } = statement;
  if (keyword.kind !== 'word') return guess;
  // a '#' or '"' typed into the first word took the rest of the line
  const rest = args.length === 0 && comment ? comment.text.slice(1) : args[0]?.kind === 'string' ? (args[0].value ?? '') : undefined;
  if (rest === undefined) return guess;
  const inner = toStatement(scanLine(keyword.text + rest, statement.line));
  const second = inner ? guessFrom(inner) : {};
  if (!second.meant) return guess;
  // what the joined words say, at the place they were written
  const at = args[0] ?? keyword;
  const moved = (t: Token | undefined): Token | undefined => t && { ...t, start: at.start, end: at.end };
  return { meant: second.meant, unitsToken: moved(second.unitsToken), activationToken: moved(second.activationToken) };
}

function guessFrom(statement: Statement): Guess {
  const { keyword, args } = statement;
  const known = (word: string): string | undefined => (STATEMENT_NAMES.includes(word) ? word : didYouMean(word, STATEMENT_NAMES));
  if (keyword.kind === 'word') {
    const meant = known(keyword.text);
    if (meant) return { meant, unitsToken: args[0], activationToken: args[1] };
    // a keyword run into what follows it (`densea1 relu`, `seed12`)
    const prefix = STATEMENT_NAMES.find((name) => keyword.text.startsWith(name));
    if (prefix) return { meant: prefix, activationToken: args[0] };
  }
  if (keyword.kind === 'pair' && keyword.key) {
    // `dense=4 tanh`: an '=' for the space
    const meant = known(keyword.key);
    const value = keyword.pairValue ?? '';
    const start = keyword.valueStart ?? keyword.end;
    const unitsToken: Token = { kind: isNumberText(value) ? 'number' : 'word', text: value, line: keyword.line, start, end: keyword.end };
    if (meant) return { meant, unitsToken, activationToken: args[0] };
  }
  if (keyword.kind === 'string') {
    // a quote typed before the statement: read what is inside it
    const inner = toStatement(scanLine(keyword.value ?? '', statement.line));
    if (inner && inner.keyword.kind === 'word') {
      const guess = guessFrom(inner);
      // its tokens' columns are not the line's: keep what they say, not where they are
      if (guess.meant) return { meant: guess.meant, unitsToken: guess.unitsToken && { ...guess.unitsToken, start: keyword.start, end: keyword.end } };
    }
  }
  const first = args[0];
  if (first && (first.text === 'train' || first.text === 'test')) return { meant: 'data' };
  for (let k = 0; k + 1 < args.length && k < 8; k++) {
    if (args[k].kind === 'number' && isActivationLike(args[k + 1])) return { meant: 'dense', unitsToken: args[k], activationToken: args[k + 1] };
  }
  if (first?.kind === 'word' && STATEMENT_NAMES.includes(first.text)) return { meant: first.text, unitsToken: args[1], activationToken: args[2] };
  return {};
}

/** A layer for a line meant as `dense` (see LayerNode.unread): its units when they read as a number. */
function unreadLayer(statement: Statement, index: number, why: UnreadLine['why'], guess: Guess): LayerNode {
  const { unitsToken, activationToken } = guess;
  const value = unitsToken?.kind === 'number' ? parseNumber(unitsToken.text) : NaN;
  const units = Number.isInteger(value) && value > 0 && value <= MAX_UNITS ? value : undefined;
  return { index, statement, unitsToken, activationToken, units, activation: undefined, unread: why };
}

/** The split a word is (or probably means). */
function meantSplit(word: string): Split | undefined {
  if (word === 'train' || word === 'test') return word;
  return didYouMean(word, ['train', 'test']) as Split | undefined;
}

function parseSingle(p: Parser, kw: SingleKeyword, statement: Statement, spec: NetworkSpec): void {
  switch (kw) {
    case 'network':
      return parseNetwork(p, statement, spec);
    case 'input':
      return parseInput(p, statement, spec);
    case 'loss':
      return parseLoss(p, statement, spec);
    case 'init':
      return parseInit(p, statement, spec);
    case 'seed':
      return parseSeed(p, statement, spec);
    case 'learning_rate':
      return parseScalar(p, statement, 'learning_rate ALPHA', (t) => {
        const v = p.positiveNumber(t, 'The learning rate', 'nnspec-invalid-learning-rate');
        if (v !== undefined) spec.learningRate = v;
      });
    case 'iterations':
      return parseScalar(p, statement, 'iterations N', (t) => {
        const v = p.positiveInteger(t, 'The number of iterations', 'nnspec-invalid-iterations', MAX_ITERATIONS);
        if (v !== undefined) spec.iterations = v;
      });
    case 'print_every':
      return parseScalar(p, statement, 'print_every N', (t) => {
        const v = p.positiveInteger(t, 'print_every', 'nnspec-invalid-print-every');
        if (v !== undefined) spec.printEvery = v;
      });
  }
}

function parseScalar(p: Parser, statement: Statement, usage: string, take: (token: Token) => void): void {
  const [value] = statement.args;
  if (!value) return p.missing(statement, 'a value', usage);
  take(value);
  p.extraArgs(statement, 1, usage);
}

function parseNetwork(p: Parser, statement: Statement, spec: NetworkSpec): void {
  if (!statement.args.length) return p.missing(statement, 'the network name', 'network "NAME"');
  const [first] = statement.args;
  if (first.kind === 'string') {
    spec.name = first.value;
    p.extraArgs(statement, 1, 'network "NAME"');
  } else {
    spec.name = statement.args.map((t) => t.text).join(' ');
  }
}

function parseInput(p: Parser, statement: Statement, spec: NetworkSpec): void {
  const usage = 'input N  or  input HxWxC';
  const [token] = statement.args;
  if (!token) return p.missing(statement, 'the number of input features', usage);
  // this line replaces an earlier `input` (64x64x3 then 2 must not keep the dimensions)
  delete spec.inputSize;
  delete spec.inputDims;
  const dims = parseDims(token.text);
  if (dims) {
    const size = dims.reduce((a, b) => a * b, 1);
    if (dims.some((d) => d <= 0)) {
      p.report(rangeOf(token), 'nnspec-invalid-input', `Every input dimension must be positive, not ${quoted(token.text)}.`);
    } else if (!(size <= MAX_INPUT_SIZE)) {
      p.report(
        rangeOf(token),
        'nnspec-invalid-input',
        `The input size must be at most ${formatCount(MAX_INPUT_SIZE)}, not ${quoted(token.text)} = ${formatCount(size)}.`,
      );
    } else {
      spec.inputDims = dims;
      spec.inputSize = size;
    }
  } else {
    const n = p.positiveInteger(token, 'The input size', 'nnspec-invalid-input', MAX_INPUT_SIZE);
    if (n !== undefined) spec.inputSize = n;
  }
  p.extraArgs(statement, 1, usage);
}

function parseDense(p: Parser, statement: Statement, index: number): LayerNode {
  const usage = 'dense UNITS ACTIVATION, e.g. dense 4 tanh';
  const [unitsToken, activationToken] = statement.args;
  // every field from the start: one object shape for every layer
  const node: LayerNode = { index, statement, unitsToken, activationToken, units: undefined, activation: undefined, unread: undefined };
  if (!unitsToken) {
    p.missing(statement, 'the number of units and the activation', usage);
    return node;
  }
  node.units = p.positiveInteger(unitsToken, 'The number of units', 'nnspec-invalid-units', MAX_UNITS);
  if (!activationToken) {
    p.missing(statement, 'the activation', usage);
    return node;
  }
  if ((ACTIVATIONS as readonly string[]).includes(activationToken.text)) {
    node.activation = activationToken.text as Activation;
  } else {
    p.unknownWord(activationToken, 'activation', ACTIVATIONS, 'nnspec-unknown-activation');
  }
  p.extraArgs(statement, 2, usage);
  return node;
}

function parseLoss(p: Parser, statement: Statement, spec: NetworkSpec): void {
  const usage = 'loss binary_cross_entropy | mse';
  const [token] = statement.args;
  if (!token) return p.missing(statement, 'the loss', usage);
  if ((LOSSES as readonly string[]).includes(token.text)) spec.loss = token.text as Loss;
  else p.unknownWord(token, 'loss', LOSSES, 'nnspec-unknown-loss');
  p.extraArgs(statement, 1, usage);
}

function parseInit(p: Parser, statement: Statement, spec: NetworkSpec): void {
  const usage = 'init zeros | random SCALE | xavier | he';
  const [token, scaleToken] = statement.args;
  if (!token) return p.missing(statement, 'the initialisation scheme', usage);
  if (!(INIT_SCHEMES as readonly string[]).includes(token.text)) {
    p.unknownWord(token, 'init scheme', INIT_SCHEMES, 'nnspec-unknown-init');
    return;
  }
  let init: InitScheme;
  if (token.text === 'random') {
    let scale = 0.01;
    if (scaleToken) {
      const v = p.positiveNumber(scaleToken, 'The random scale', 'nnspec-invalid-init-scale');
      if (v === undefined) return;
      scale = v;
    }
    init = { kind: 'random', scale };
    p.extraArgs(statement, 2, usage);
  } else {
    init = { kind: token.text as 'zeros' | 'xavier' | 'he' };
    p.extraArgs(statement, 1, usage);
  }
  spec.init = init;
}

function parseSeed(p: Parser, statement: Statement, spec: NetworkSpec): void {
  parseScalar(p, statement, 'seed N', (token) => {
    const v = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      p.report(rangeOf(token), 'nnspec-invalid-seed', `The seed must be a whole number from 0 to 4294967295, not '${quoted(token.text)}'.`);
      return;
    }
    spec.seed = v;
  });
}

function parseData(p: Parser, statement: Statement): DataNode | undefined {
  const usage = 'data train|test "PATH" key=value...  or  data train|test GENERATOR key=value...';
  const [splitToken, sourceToken] = statement.args;
  const options = statement.args.slice(2);
  if (!splitToken) {
    p.missing(statement, "'train' or 'test'", usage);
    return undefined;
  }
  if (splitToken.text !== 'train' && splitToken.text !== 'test') {
    p.unknownWord(splitToken, 'data split', ['train', 'test'], 'nnspec-unknown-split');
    return undefined;
  }
  const split = splitToken.text as Split;
  const node: DataNode = { split, statement, sourceToken };
  if (!sourceToken) {
    p.missing(statement, 'the data file (in quotes) or a generated set', usage);
    return node;
  }

  // 1. the source, 2. the options left to right, 3. what is missing: the first problem found
  // is the line's one diagnostic
  const isFile = sourceToken.kind === 'string';
  let format: 'csv' | 'h5' | undefined;
  if (isFile) {
    const path = sourceToken.value ?? '';
    if (!path) {
      p.report(rangeOf(sourceToken), 'nnspec-invalid-path', 'The data path is empty.');
      return node;
    }
    const lower = path.toLowerCase();
    format = lower.endsWith('.csv') ? 'csv' : lower.endsWith('.h5') || lower.endsWith('.hdf5') ? 'h5' : undefined;
    if (!format) {
      p.report(rangeOf(sourceToken), 'nnspec-unknown-format', `Unknown data format for '${quoted(path)}': use a .csv, .h5 or .hdf5 file.`);
      return node;
    }
  } else if (!(GENERATORS as readonly string[]).includes(sourceToken.text)) {
    const suggestion = didYouMean(sourceToken.text, GENERATORS);
    const message = suggestion
      ? `Unknown generated set '${quoted(sourceToken.text)}'. Did you mean '${suggestion}'? (A file path goes in quotes.)`
      : `Expected a file path in quotes or a generated set (${GENERATORS.join(', ')}), not '${quoted(sourceToken.text)}'.`;
    p.report(rangeOf(sourceToken), 'nnspec-unknown-generator', message, suggestion ? [replaceFix(`Change to '${suggestion}'`, rangeOf(sourceToken), suggestion)] : undefined);
    return node;
  }

  const allowed = isFile ? FILE_KEYS : GENERATOR_KEYS;
  const kind = isFile ? 'data file' : 'generated data';
  const values = new Map<string, Token>();
  const numbers = new Map<string, number>();
  for (let k = 0; k < options.length; k++) {
    const option = options[k];
    const spaced = spacedPair(options, k);
    if (spaced) {
      const range: Range = { start: { line: option.line, character: option.start }, end: { line: option.line, character: spaced.last.end } };
      const written = `${spaced.key}=${spaced.value}`;
      p.report(range, 'nnspec-key-value-spaces', `Write key=value without spaces around '=': ${quoted(written)}.`, [
        replaceFix(`Remove the spaces: ${written}`, range, written),
      ]);
      return node;
    }
    if (option.kind !== 'pair') {
      p.report(rangeOf(option), 'nnspec-expected-key-value', `Expected key=value here, not '${quoted(option.text)}'. Keys: ${allowed.join(', ')}.`);
      return node;
    }
    const key = option.key ?? '';
    if (!key) {
      p.report(rangeOf(option), 'nnspec-expected-key-value', `'=' needs a key before it: write key=value (keys: ${allowed.join(', ')}).`);
      return node;
    }
    if (!allowed.includes(key)) {
      const keyRange: Range = {
        start: { line: option.line, character: option.start },
        end: { line: option.line, character: option.start + key.length },
      };
      const suggestion = didYouMean(key, allowed);
      if (suggestion) {
        p.report(keyRange, 'nnspec-unknown-key', `Unknown ${kind} key '${quoted(key)}'. Did you mean '${suggestion}'?`, [
          replaceFix(`Change to '${suggestion}'`, keyRange, suggestion),
        ]);
      } else {
        const known = DATA_KEYS.filter((d) => allowed.includes(d.name)).map((d) => d.name);
        p.report(keyRange, 'nnspec-unknown-key', `Unknown ${kind} key '${quoted(key)}'. Keys: ${known.join(', ')}.`);
      }
      return node;
    }
    const rule = NUMERIC_KEYS.get(key);
    if (rule) {
      const v = parseNumber(option.pairValue ?? '');
      if (!Number.isFinite(v) || !rule.check(v)) {
        p.report(valueRange(option), 'nnspec-invalid-value', `${key} must be ${rule.text}, not '${quoted(option.pairValue ?? '')}'.`);
        return node;
      }
      numbers.set(key, v);
    } else if (!option.pairValue && option.text === `${key}=`) {
      p.report(valueRange(option), 'nnspec-invalid-value', `${key}= needs a value: ${DATA_KEYS.find((d) => d.name === key)?.syntax ?? `${key}=VALUE`}.`);
      return node;
    }
    values.set(key, option);
  }
  const scale = numbers.get('scale') ?? 1;

  if (format) {
    if (format === 'h5') {
      const missing = ['x', 'y'].filter((key) => !values.has(key));
      if (missing.length) {
        const needs = missing.map((key) => `${key}=DATASET`).join(' and ');
        const names = missing.length === 2 ? 'its features and labels datasets' : `its ${missing[0] === 'x' ? 'features' : 'labels'} dataset`;
        p.report(rangeOf(sourceToken), 'nnspec-missing-dataset-key', `An HDF5 file needs ${needs} to name ${names}.`);
        return node;
      }
      const label = values.get('label');
      if (label) p.report(rangeOf(label), 'nnspec-unused-key', 'label= names a CSV column and is ignored here: an HDF5 file uses x= and y=.');
    } else {
      const t = values.get('x') ?? values.get('y');
      if (t) p.report(rangeOf(t), 'nnspec-unused-key', 'x= and y= name HDF5 datasets and are ignored here: a CSV file uses label=COLUMN.');
    }
    node.source = {
      kind: 'file',
      split,
      path: sourceToken.value!,
      x: values.get('x')?.pairValue,
      y: values.get('y')?.pairValue,
      label: values.get('label')?.pairValue,
      scale,
    };
    return node;
  }
  node.source = {
    kind: 'generated',
    split,
    generator: sourceToken.text as GeneratorName,
    m: numbers.get('m') ?? (split === 'train' ? 400 : 200),
    noise: numbers.get('noise'),
    seed: numbers.get('seed') ?? (split === 'train' ? 1 : 2),
    scale,
  };
  return node;
}

const NUMERIC_KEYS = new Map<string, { check: (v: number) => boolean; text: string }>([
  ['scale', { check: (v) => v > 0, text: 'a positive number (e.g. 1/255)' }],
  ['m', { check: (v) => Number.isInteger(v) && v > 0 && v <= 1_000_000, text: 'a whole number from 1 to 1000000' }],
  ['noise', { check: (v) => v >= 0, text: 'zero or positive' }],
  ['seed', { check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, text: 'a whole number from 0 to 4294967295' }],
]);

function valueRange(t: Token): Range {
  return { start: { line: t.line, character: t.valueStart ?? t.start }, end: { line: t.line, character: t.end } };
}

/**
 * `key = value`, `key =value` or `key= value` at options[k]: a key=value pair written with
 * spaces around '='. Returns the key, the value as written and the last token it spans.
 */
function spacedPair(options: Token[], k: number): { key: string; value: string; last: Token } | undefined {
  const [t, next, after] = [options[k], options[k + 1], options[k + 2]];
  if (!next) return undefined;
  if (t.kind !== 'pair' && next.kind === 'pair' && next.key === '') {
    // `key =value`, or `key = value` (the lone '=' scans as a pair with no key and no value)
    if (next.text === '=' && after && after.kind !== 'pair') return { key: t.text, value: after.text, last: after };
    return { key: t.text, value: next.text.slice(1), last: next };
  }
  if (t.kind === 'pair' && t.key && t.text === `${t.key}=` && next.kind !== 'pair') {
    return { key: t.key, value: next.text, last: next };
  }
  return undefined;
}
