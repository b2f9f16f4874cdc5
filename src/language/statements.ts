// The statements other than `data`: each reads its arguments into the spec (or a layer node)
// and reports what is wrong with them through the reporter.

import {
  ACTIVATIONS,
  INIT_SCHEMES,
  LOSSES,
  type Activation,
  type InitScheme,
  type Loss,
  type NetworkSpec,
  MAX_INPUT_SIZE,
  MAX_ITERATIONS,
  MAX_UNITS,
} from '../shared/model/spec';
import { parseDims, parseNumber } from '../shared/model/numbers';
import { rangeOf, type Statement, type Token } from './types';
import { formatCount, quoted } from './text';
import type { Reporter } from './reporter';
import type { LayerNode } from './parser';

export type SingleKeyword = 'network' | 'input' | 'loss' | 'init' | 'seed' | 'learning_rate' | 'iterations' | 'print_every';

export function parseSingle(p: Reporter, kw: SingleKeyword, statement: Statement, spec: NetworkSpec): void {
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

function parseScalar(p: Reporter, statement: Statement, usage: string, take: (token: Token) => void): void {
  const [value] = statement.args;
  if (!value) return p.missing(statement, 'a value', usage);
  take(value);
  p.extraArgs(statement, 1, usage);
}

function parseNetwork(p: Reporter, statement: Statement, spec: NetworkSpec): void {
  if (!statement.args.length) return p.missing(statement, 'the network name', 'network "NAME"');
  const [first] = statement.args;
  if (first.kind === 'string') {
    spec.name = first.value;
    p.extraArgs(statement, 1, 'network "NAME"');
  } else {
    spec.name = statement.args.map((t) => t.text).join(' ');
  }
}

function parseInput(p: Reporter, statement: Statement, spec: NetworkSpec): void {
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

export function parseDense(p: Reporter, statement: Statement, index: number): LayerNode {
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

function parseLoss(p: Reporter, statement: Statement, spec: NetworkSpec): void {
  const usage = 'loss binary_cross_entropy | mse';
  const [token] = statement.args;
  if (!token) return p.missing(statement, 'the loss', usage);
  if ((LOSSES as readonly string[]).includes(token.text)) spec.loss = token.text as Loss;
  else p.unknownWord(token, 'loss', LOSSES, 'nnspec-unknown-loss');
  p.extraArgs(statement, 1, usage);
}

function parseInit(p: Reporter, statement: Statement, spec: NetworkSpec): void {
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

function parseSeed(p: Reporter, statement: Statement, spec: NetworkSpec): void {
  parseScalar(p, statement, 'seed N', (token) => {
    const v = parseNumber(token.text);
    if (token.kind !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      p.report(rangeOf(token), 'nnspec-invalid-seed', `The seed must be a whole number from 0 to 4294967295, not '${quoted(token.text)}'.`);
      return;
    }
    spec.seed = v;
  });
}
