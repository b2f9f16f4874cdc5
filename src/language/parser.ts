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
} from '../shared/spec';
import { parseNumber, scanLine, splitLines, toStatement } from './scanner';
import { rangeOf, type Diagnostic, type QuickFix, type Range, type Statement, type Token } from './types';
import { DATA_KEYS, STATEMENT_NAMES, didYouMean } from './vocabulary';

export interface LayerNode {
  /** l, 1-based as in the course */
  index: number;
  statement: Statement;
  unitsToken?: Token;
  activationToken?: Token;
  units?: number;
  activation?: Activation;
}

export interface DataNode {
  split: Split;
  statement: Statement;
  /** the path (string token) or the generator name (word token) */
  sourceToken?: Token;
  source?: DataSource;
}

export interface ParsedSpec {
  lines: string[];
  statements: Statement[];
  spec: NetworkSpec;
  layers: LayerNode[];
  data: { train?: DataNode; test?: DataNode };
  /** the last statement of each single-valued kind (the one that counts) */
  single: Partial<Record<'network' | 'input' | 'loss' | 'init' | 'seed' | 'learning_rate' | 'iterations' | 'print_every', Statement>>;
  diagnostics: Diagnostic[];
}

const SINGLE = ['network', 'input', 'loss', 'init', 'seed', 'learning_rate', 'iterations', 'print_every'] as const;
type SingleKeyword = (typeof SINGLE)[number];

const FILE_KEYS = ['x', 'y', 'label', 'scale'];
const GENERATOR_KEYS = ['m', 'noise', 'seed', 'scale'];

function replaceFix(title: string, range: Range, newText: string): QuickFix {
  return { title, edits: [{ range, newText }], preferred: true };
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];

  error(range: Range, code: string, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push({ severity: 'error', code, message, range, fixes });
  }
  warning(range: Range, code: string, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push({ severity: 'warning', code, message, range, fixes });
  }

  /** An unknown word: error with a "did you mean" suggestion and its quick fix. */
  unknownWord(token: Token, what: string, candidates: readonly string[], code: string): void {
    const suggestion = didYouMean(token.text, candidates);
    const list = candidates.join(', ');
    if (suggestion) {
      this.error(rangeOf(token), code, `Unknown ${what} '${token.text}'. Did you mean '${suggestion}'?`, [
        replaceFix(`Change to '${suggestion}'`, rangeOf(token), suggestion),
      ]);
    } else {
      this.error(rangeOf(token), code, `Unknown ${what} '${token.text}'. Expected one of: ${list}.`);
    }
  }

  extraArgs(statement: Statement, from: number, usage: string): void {
    const extra = statement.args.slice(from);
    if (!extra.length) return;
    const range: Range = {
      start: { line: statement.line, character: extra[0].start },
      end: { line: statement.line, character: extra[extra.length - 1].end },
    };
    this.error(range, 'nnspec-extra-argument', `Unexpected '${extra.map((t) => t.text).join(' ')}'. Usage: ${usage}`);
  }

  missing(statement: Statement, what: string, usage: string): void {
    // point just after the statement so that the squiggle sits where the text is missing
    this.error(statement.range, 'nnspec-missing-argument', `Missing ${what}. Usage: ${usage}`);
  }

  /** A positive integer argument; reports and returns undefined when it is not one. */
  positiveInteger(token: Token, what: string, code: string): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.error(rangeOf(token), code, `${what} must be a positive whole number, not '${token.text}'.`);
      return undefined;
    }
    if (!Number.isInteger(value) || value <= 0) {
      this.error(rangeOf(token), code, `${what} must be a positive whole number, not ${token.text}.`);
      return undefined;
    }
    return value;
  }

  positiveNumber(token: Token, what: string, code: string): number | undefined {
    const value = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      this.error(rangeOf(token), code, `${what} must be a number, not '${token.text}'.`);
      return undefined;
    }
    if (!(value > 0)) {
      this.error(rangeOf(token), code, `${what} must be positive, not ${token.text}.`);
      return undefined;
    }
    return value;
  }
}

export function parseSpec(text: string): ParsedSpec {
  const lines = splitLines(text);
  const p = new Parser();
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

  lines.forEach((lineText, line) => {
    const scanned = scanLine(lineText, line);
    if (scanned.unterminatedString !== undefined) {
      p.error(
        { start: { line, character: scanned.unterminatedString }, end: { line, character: lineText.replace(/\s+$/, '').length } },
        'nnspec-unterminated-string',
        'Unterminated string: add the closing ".',
      );
      return;
    }
    const statement = toStatement(scanned);
    if (!statement) return;
    const { keyword } = statement;
    if (keyword.kind !== 'word' || !STATEMENT_NAMES.includes(keyword.text)) {
      statements.push(statement);
      p.unknownWord(keyword, 'statement', STATEMENT_NAMES, 'nnspec-unknown-statement');
      return;
    }
    statements.push(statement);
    const kw = keyword.text as SingleKeyword | 'dense' | 'data';
    if ((SINGLE as readonly string[]).includes(kw)) {
      const previous = single[kw as SingleKeyword];
      if (previous) {
        p.warning(
          rangeOf(previous.keyword),
          'nnspec-duplicate-statement',
          `'${kw}' is set again on line ${line + 1}; this line is ignored.`,
        );
        p.diagnostics[p.diagnostics.length - 1].unnecessary = true;
      }
      single[kw as SingleKeyword] = statement;
    }
    switch (kw) {
      case 'network':
        parseNetwork(p, statement, spec);
        break;
      case 'input':
        parseInput(p, statement, spec);
        break;
      case 'dense':
        layers.push(parseDense(p, statement, layers.length + 1));
        break;
      case 'loss':
        parseLoss(p, statement, spec);
        break;
      case 'data': {
        const node = parseData(p, statement);
        if (node) {
          const previous = data[node.split];
          if (previous) {
            p.warning(
              rangeOf(previous.statement.keyword),
              'nnspec-duplicate-statement',
              `'data ${node.split}' is set again on line ${line + 1}; this line is ignored.`,
            );
          }
          data[node.split] = node;
        }
        break;
      }
      case 'init':
        parseInit(p, statement, spec);
        break;
      case 'seed':
        parseSeed(p, statement, spec);
        break;
      case 'learning_rate':
        parseScalar(p, statement, 'learning_rate ALPHA', (t) => {
          const v = p.positiveNumber(t, 'The learning rate', 'nnspec-invalid-learning-rate');
          if (v !== undefined) spec.learningRate = v;
        });
        break;
      case 'iterations':
        parseScalar(p, statement, 'iterations N', (t) => {
          const v = p.positiveInteger(t, 'The number of iterations', 'nnspec-invalid-iterations');
          if (v !== undefined) spec.iterations = v;
        });
        break;
      case 'print_every':
        parseScalar(p, statement, 'print_every N', (t) => {
          const v = p.positiveInteger(t, 'print_every', 'nnspec-invalid-print-every');
          if (v !== undefined) spec.printEvery = v;
        });
        break;
    }
  });

  for (const layer of layers) {
    if (layer.units !== undefined && layer.activation !== undefined) {
      spec.layers.push({ units: layer.units, activation: layer.activation });
    }
  }
  if (data.train?.source) spec.train = data.train.source;
  if (data.test?.source) spec.test = data.test.source;

  return { lines, statements, spec, layers, data, single, diagnostics: p.diagnostics };
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
  p.extraArgs(statement, 1, usage);
  if (/^\d+(x\d+)+$/i.test(token.text)) {
    const dims = token.text.toLowerCase().split('x').map(Number);
    if (dims.some((d) => d <= 0)) {
      p.error(rangeOf(token), 'nnspec-invalid-input', `Every input dimension must be positive, not ${token.text}.`);
      return;
    }
    spec.inputDims = dims;
    spec.inputSize = dims.reduce((a, b) => a * b, 1);
    return;
  }
  const n = p.positiveInteger(token, 'The input size', 'nnspec-invalid-input');
  if (n !== undefined) spec.inputSize = n;
}

function parseDense(p: Parser, statement: Statement, index: number): LayerNode {
  const usage = 'dense UNITS ACTIVATION, e.g. dense 4 tanh';
  const node: LayerNode = { index, statement };
  const [unitsToken, activationToken] = statement.args;
  node.unitsToken = unitsToken;
  node.activationToken = activationToken;
  if (!unitsToken) {
    p.missing(statement, 'the number of units and the activation', usage);
    return node;
  }
  node.units = p.positiveInteger(unitsToken, 'The number of units', 'nnspec-invalid-units');
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
      p.error(rangeOf(token), 'nnspec-invalid-seed', `The seed must be a whole number from 0 to 4294967295, not '${token.text}'.`);
      return;
    }
    spec.seed = v;
  });
}

function parseData(p: Parser, statement: Statement): DataNode | undefined {
  const usage = 'data train|test "PATH" key=value...  or  data train|test GENERATOR key=value...';
  const [splitToken, sourceToken, ...options] = statement.args;
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
  const values = new Map<string, Token>();
  let ok = true;
  const isFile = sourceToken.kind === 'string';
  const allowed = isFile ? FILE_KEYS : GENERATOR_KEYS;
  for (const option of options) {
    if (option.kind !== 'pair') {
      p.error(rangeOf(option), 'nnspec-expected-key-value', `Expected key=value here, not '${option.text}'. Keys: ${allowed.join(', ')}.`);
      ok = false;
      continue;
    }
    const key = option.key ?? '';
    if (!allowed.includes(key)) {
      const keyRange: Range = {
        start: { line: option.line, character: option.start },
        end: { line: option.line, character: option.start + key.length },
      };
      const suggestion = didYouMean(key, allowed);
      const kind = isFile ? 'data file' : 'generated data';
      if (suggestion) {
        p.error(keyRange, 'nnspec-unknown-key', `Unknown ${kind} key '${key}'. Did you mean '${suggestion}'?`, [
          replaceFix(`Change to '${suggestion}'`, keyRange, suggestion),
        ]);
      } else {
        const known = DATA_KEYS.filter((k) => allowed.includes(k.name)).map((k) => k.name);
        p.error(keyRange, 'nnspec-unknown-key', `Unknown ${kind} key '${key}'. Keys: ${known.join(', ')}.`);
      }
      ok = false;
      continue;
    }
    values.set(key, option);
  }

  const valueRange = (t: Token): Range => ({
    start: { line: t.line, character: t.valueStart ?? t.start },
    end: { line: t.line, character: t.end },
  });
  const numberValue = (key: string, check: (v: number) => boolean, rule: string): number | undefined => {
    const t = values.get(key);
    if (!t) return undefined;
    const v = parseNumber(t.pairValue ?? '');
    if (!Number.isFinite(v) || !check(v)) {
      p.error(valueRange(t), 'nnspec-invalid-value', `${key} must be ${rule}, not '${t.pairValue}'.`);
      ok = false;
      return undefined;
    }
    return v;
  };
  const scale = numberValue('scale', (v) => v > 0, 'a positive number (e.g. 1/255)') ?? 1;

  if (isFile) {
    if (!sourceToken.value) {
      p.error(rangeOf(sourceToken), 'nnspec-invalid-path', 'The data path is empty.');
      return node;
    }
    const path = sourceToken.value;
    const lower = path.toLowerCase();
    const isCsv = lower.endsWith('.csv');
    const isH5 = lower.endsWith('.h5') || lower.endsWith('.hdf5');
    if (!isCsv && !isH5) {
      p.error(rangeOf(sourceToken), 'nnspec-unknown-format', `Unknown data format for '${path}': use a .csv, .h5 or .hdf5 file.`);
      return node;
    }
    if (isH5) {
      for (const key of ['x', 'y']) {
        if (!values.has(key)) {
          p.error(
            rangeOf(sourceToken),
            'nnspec-missing-dataset-key',
            `An HDF5 file needs ${key}=DATASET to name its ${key === 'x' ? 'features' : 'labels'} dataset.`,
          );
          ok = false;
        }
      }
    }
    if (isCsv && (values.has('x') || values.has('y'))) {
      const t = values.get('x') ?? values.get('y')!;
      p.warning(rangeOf(t), 'nnspec-unused-key', 'x= and y= name HDF5 datasets; a CSV file uses label=COLUMN.');
    }
    if (!ok) return node;
    node.source = {
      kind: 'file',
      split,
      path,
      x: values.get('x')?.pairValue,
      y: values.get('y')?.pairValue,
      label: values.get('label')?.pairValue,
      scale,
    };
    return node;
  }

  if (!(GENERATORS as readonly string[]).includes(sourceToken.text)) {
    const suggestion = didYouMean(sourceToken.text, GENERATORS);
    const message = suggestion
      ? `Unknown generated set '${sourceToken.text}'. Did you mean '${suggestion}'? (A file path goes in quotes.)`
      : `Expected a file path in quotes or a generated set (${GENERATORS.join(', ')}), not '${sourceToken.text}'.`;
    p.error(rangeOf(sourceToken), 'nnspec-unknown-generator', message, suggestion ? [replaceFix(`Change to '${suggestion}'`, rangeOf(sourceToken), suggestion)] : undefined);
    return node;
  }
  const m = numberValue('m', (v) => Number.isInteger(v) && v > 0 && v <= 1_000_000, 'a whole number from 1 to 1000000');
  const noise = numberValue('noise', (v) => v >= 0, 'zero or positive');
  const seed = numberValue('seed', (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'a whole number from 0 to 4294967295');
  if (!ok) return node;
  node.source = {
    kind: 'generated',
    split,
    generator: sourceToken.text as GeneratorName,
    m: m ?? (split === 'train' ? 400 : 200),
    noise,
    seed: seed ?? (split === 'train' ? 1 : 2),
    scale,
  };
  return node;
}
