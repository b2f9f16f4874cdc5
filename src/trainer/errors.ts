// The trainer's error kinds, as the worker protocol reports them (ErrorMessage.kind):
// DataError -> 'data', SpecError -> 'spec', DivergedError -> 'diverged', anything else 'internal';
// CancelledError (kernels.ts) is not an error for the user: the run ends as cancelled.

/** The data cannot be read or does not suit the spec (missing file, ragged CSV, labels not 0/1, ...). */
export class DataError extends Error {
  constructor(message: string) {
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

/** The cost became NaN or infinite: the run stops with a message naming the iteration and the learning rate. */
export class DivergedError extends Error {
  constructor(
    readonly iteration: number,
    cost: number,
    learningRate: number,
  ) {
    super(
      `The cost became ${Number.isNaN(cost) ? 'NaN' : cost > 0 ? 'infinite' : cost} at iteration ${iteration}: ` +
        `the learning rate (${learningRate}) is probably too high, or the output saturated. Try a smaller learning_rate.`,
    );
    this.name = 'DivergedError';
  }
}

/** A spec the trainer can run has an input and at least one layer; throws a SpecError otherwise. */
export function assertTrainable(spec: { inputSize?: number; layers: readonly unknown[] }): asserts spec is { inputSize: number; layers: readonly unknown[] } {
  if (spec.inputSize === undefined) throw new SpecError('The spec has no `input` line: add one, e.g. `input 2`.');
  if (spec.layers.length === 0) throw new SpecError('The spec has no layers: add at least one `dense` line (the last is the output layer).');
}

export type ErrorKind = 'data' | 'diverged' | 'spec' | 'internal';

/** The protocol's ErrorMessage.kind for an error thrown by the trainer. */
export function errorKind(err: unknown): ErrorKind {
  if (err instanceof DivergedError) return 'diverged';
  if (err instanceof SpecError) return 'spec';
  if (err instanceof DataError) return 'data';
  return 'internal';
}
