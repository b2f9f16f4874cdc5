// The network a `.nnspec` file describes, as plain data. No vscode, DOM or node imports:
// the language service, the trainer, the CLI, the extension host and the webview all use it.

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const LOSSES = ['binary_cross_entropy', 'mse'] as const;
export type Loss = (typeof LOSSES)[number];

export const INIT_SCHEMES = ['zeros', 'random', 'xavier', 'he'] as const;
export type InitKind = (typeof INIT_SCHEMES)[number];

/** Built-in, seeded data sets (`data train flower m=400`). */
export const GENERATORS = ['flower', 'circles', 'xor', 'moons', 'spiral', 'gaussian'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

export type InitScheme =
  | { kind: 'zeros' }
  /** standard normal times `scale` */
  | { kind: 'random'; scale: number }
  /** standard normal divided by sqrt(n[l-1]) */
  | { kind: 'xavier' }
  /** standard normal times sqrt(2 / n[l-1]) */
  | { kind: 'he' };

export interface LayerSpec {
  units: number;
  activation: Activation;
}

export type Split = 'train' | 'test';

/** A data file, path as written in the spec (relative to the spec file). */
export interface FileDataSource {
  kind: 'file';
  split: Split;
  path: string;
  /** HDF5 dataset names. */
  x?: string;
  y?: string;
  /** CSV label column name (default: the last column). */
  label?: string;
  /** Features are multiplied by this (e.g. 1/255). Default 1. */
  scale: number;
}

/** A built-in generated set: 2 features, labels 0/1. */
export interface GeneratedDataSource {
  kind: 'generated';
  split: Split;
  generator: GeneratorName;
  /** number of examples */
  m: number;
  /** noise level (generator specific; default depends on the generator) */
  noise?: number;
  /** seed for the generator; default 1 for train, 2 for test */
  seed: number;
  scale: number;
}

export type DataSource = FileDataSource | GeneratedDataSource;

export interface NetworkSpec {
  name?: string;
  /** n_x, the number of input features; undefined when the spec has no `input` line */
  inputSize?: number;
  /** `input 64x64x3` keeps the dimensions here; inputSize is their product */
  inputDims?: number[];
  /** dense layers 1..L; the last is the output layer */
  layers: LayerSpec[];
  loss: Loss;
  train?: DataSource;
  test?: DataSource;
  init: InitScheme;
  /** NumPy-compatible seed (np.random.seed(S)) used for initialisation */
  seed: number;
  learningRate: number;
  iterations: number;
  /** report the cost every this many iterations */
  printEvery: number;
}

export const DEFAULTS = {
  loss: 'binary_cross_entropy' as Loss,
  init: { kind: 'random', scale: 0.01 } as InitScheme,
  seed: 1,
  learningRate: 0.0075,
  iterations: 2500,
  printEvery: 100,
  scale: 1,
} as const;

/** Largest number of units in a layer, and largest input size n_x (the language's bounds). */
export const MAX_UNITS = 1_000_000;
export const MAX_INPUT_SIZE = MAX_UNITS;
/** Largest number of iterations. */
export const MAX_ITERATIONS = 100_000_000;
/** Largest m of a generated set (`data train flower m=...`), as the parser accepts it. */
export const MAX_GENERATED_EXAMPLES = 1_000_000;

/** n[0..L]: the input size followed by every layer's units. */
export function layerSizes(spec: NetworkSpec): number[] {
  const sizes = [spec.inputSize ?? 0];
  for (const layer of spec.layers) sizes.push(layer.units);
  return sizes;
}
