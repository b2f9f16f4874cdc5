// The `data` statement: a split, a file (in quotes, .csv or .h5) or a generated set, then
// key=value options. The first problem found, left to right, is the line's one diagnostic.

import { GENERATORS, type GeneratorName, type Split } from '../shared/model/spec';
import { parseNumber } from '../shared/model/numbers';
import { rangeOf, type Range, type Token } from './types';
import { DATA_KEYS, didYouMean } from './vocabulary';
import { quoted } from './text';
import { replaceFix, type Reporter } from './reporter';
import type { Statement } from './types';
import type { DataNode } from './parser';

const FILE_KEYS = ['x', 'y', 'label', 'scale'];
const GENERATOR_KEYS = ['m', 'noise', 'seed', 'scale'];

export function parseData(p: Reporter, statement: Statement): DataNode | undefined {
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
