// The `.nnspec` parser: one statement per line, so recovery is per line. A bad line gives one
// diagnostic on that line and the rest of the file is still understood. The statements are read
// in statements.ts and dataStatement.ts, what they report goes through reporter.ts, and what an
// unreadable line is probably meant as is guessed in guess.ts.

import { DEFAULTS, type Activation, type DataSource, type NetworkSpec, type Split } from '../shared/model/spec';
import { scanLine, splitLines, toStatement, type ScannedLine } from './scanner';
import { rangeOf, type Diagnostic, type Statement, type Token } from './types';
import { STATEMENT_NAMES } from './vocabulary';
import { Reporter } from './reporter';
import { meantSplit, meantStatement, unreadLayer } from './guess';
import { parseDense, parseSingle, type SingleKeyword } from './statements';
import { parseData } from './dataStatement';

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

export function parseSpec(text: string): ParsedSpec {
  const lines = splitLines(text);
  const p = new Reporter(lines);
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
