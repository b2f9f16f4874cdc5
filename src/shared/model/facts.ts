// What an analysis of a spec knows beyond its diagnostics, derived once (deriveSpecFacts) and
// read by everything that shows or acts on the spec: the extension host (the designer's state,
// the inlay hints, training, the lab, the export), the designer webview (from the document state)
// and the command line. And the rules built on it that more than one of them applies: whether a
// pass can be asked of the initial parameters or of a run (passTargets), whether the spec is
// logistic regression (its computation graph). No vscode, DOM or node imports.

import { estimateTrainingMemory, trainingBytesPerExample, type MemoryEstimate } from './memory';
import { errorsOf, type Severity } from './diagnostics';
import type { RunRecord } from './runs';
import type { LayerNodeShape, LayerOutline, SpecShapes } from './shapes';
import type { NetworkSpec } from './spec';

/** The memory a training run needs (see estimateTrainingMemory). */
export interface SpecMemory {
  /** [n_x, n[1], ..., n[L]] */
  dims: number[];
  /** training examples, when known */
  m?: number;
  /** test examples counted (0 without a test set, or when its size is not known) */
  mTest: number;
  /** a test set is given but its size is not known yet (it is not counted) */
  testUnknown: boolean;
  /** with m when known; otherwise with m = 0: the parameters and gradients, a lower bound */
  estimate: MemoryEstimate;
  /** bytes each training example adds (caches and data) */
  perExample: number;
}

/**
 * The memory estimate for these shapes, or undefined while n_x or a layer's units are unknown.
 * The test set counts when both m and its size are known.
 */
export function memoryOf(shapes: SpecShapes<unknown>, m?: number, mTest?: number, testUnknown = false): SpecMemory | undefined {
  if (shapes.input === undefined || shapes.layers.length === 0 || shapes.layers.some((l) => l.units === undefined)) return undefined;
  const dims = [shapes.input, ...shapes.layers.map((l) => l.units!)];
  const counted = m === undefined ? 0 : mTest ?? 0;
  return {
    dims,
    m,
    mTest: counted,
    testUnknown,
    estimate: estimateTrainingMemory(dims, m ?? 0, counted),
    perExample: trainingBytesPerExample(dims),
  };
}

/** A layer's shapes, as the facts keep them (without the parser's node). */
export type LayerFacts = Omit<LayerNodeShape, 'node'>;

export interface SpecFacts {
  /** error diagnostics (a spec with any cannot be trained, swept, inspected or exported) */
  errors: number;
  /** no error diagnostics */
  trainable: boolean;
  /** training examples, when known (from the data, or a generated set's m=) */
  m?: number;
  /** n_x, when known */
  input?: number;
  /** every layer, numbered as in the file, with what is known of its shapes */
  layers: LayerFacts[];
  /** the parameters of the whole network, when every layer's shape is known */
  totalParams?: number;
  /** n_x and every layer (units and activation) are known */
  complete: boolean;
  /** the memory a run needs, when n_x and every layer's units are known */
  memory?: SpecMemory;
  /** one sigmoid unit on the inputs with the cross-entropy: the course's logistic regression (its computation graph applies) */
  logistic: boolean;
}

/**
 * The facts of one analysis: its shapes (computed once, with the nodes the language needs; the
 * facts keep them without), its memory, and what its diagnostics allow. `testM` is the test set's
 * size when known, `testGiven` whether the spec has a test set at all.
 */
export function deriveSpecFacts(
  shapes: SpecShapes<LayerOutline>,
  diagnostics: readonly { severity: Severity }[],
  spec: Pick<NetworkSpec, 'layers' | 'loss'>,
  test: { given: boolean; m?: number } = { given: false },
): SpecFacts {
  const errors = errorsOf(diagnostics).length;
  const layers = shapes.layers.map(({ node: _node, ...rest }) => rest);
  return {
    errors,
    trainable: errors === 0,
    m: shapes.m,
    input: shapes.input,
    layers,
    totalParams: shapes.totalParams,
    complete: shapes.complete,
    memory: memoryOf(shapes, shapes.m, test.m, test.given && test.m === undefined),
    logistic: isLogistic(spec),
  };
}

/** One `dense 1 sigmoid` layer on the inputs with the cross-entropy: the course's logistic regression (week 2), whose computation graph the lab draws. */
export function isLogistic(spec: Pick<NetworkSpec, 'layers' | 'loss'>): boolean {
  const [layer, ...rest] = spec.layers;
  return !!layer && rest.length === 0 && layer.units === 1 && layer.activation === 'sigmoid' && spec.loss === 'binary_cross_entropy';
}

/**
 * Where one forward and backward pass can be asked (the step inspector, the gradient check): at
 * the initial parameters when the spec has no errors, and at the run's parameters while it runs,
 * is paused, or has finished (not after a stop or a failure: it keeps none). The designer's
 * buttons and the host's answers follow this one rule.
 */
export function passTargets(facts: Pick<SpecFacts, 'trainable'> | undefined, run: Pick<RunRecord, 'finished' | 'cancelled' | 'error'> | undefined): { initial: boolean; run: boolean } {
  return {
    initial: !!facts?.trainable,
    run: !!run && !(run.finished && (run.cancelled || !!run.error)),
  };
}
