// The words of the language, with the one-line documentation that completion and hover show.
// One table per kind of word, so that the parser, completion, hover and the docs agree.

import type { Activation, GeneratorName, InitKind, Loss } from '../shared/model/spec';

export interface WordDoc {
  name: string;
  syntax: string;
  doc: string;
  /** VS Code snippet syntax, for completion */
  snippet?: string;
}

export const STATEMENTS: readonly WordDoc[] = [
  { name: 'network', syntax: 'network "NAME"', doc: 'Names the network.', snippet: 'network "${1:name}"' },
  {
    name: 'input',
    syntax: 'input N | input HxWxC',
    doc: 'n_x, the number of input features. `input 64x64x3` means 12288, flattened.',
    snippet: 'input ${1:2}',
  },
  {
    name: 'dense',
    syntax: 'dense UNITS ACTIVATION',
    doc: 'A fully connected layer with UNITS units. The last dense layer is the output layer.',
    snippet: 'dense ${1:4} ${2|relu,tanh,sigmoid,leaky_relu,linear|}',
  },
  {
    name: 'loss',
    syntax: 'loss binary_cross_entropy | mse',
    doc: 'The cost function. Default `binary_cross_entropy`.',
    snippet: 'loss ${1|binary_cross_entropy,mse|}',
  },
  {
    name: 'data',
    syntax: 'data train|test "PATH" key=value... | data train|test GENERATOR key=value...',
    doc: 'Training or test data: a `.csv` or `.h5` file (path relative to the spec), or a built-in generated set.',
    snippet: 'data ${1|train,test|} "${2:data.csv}"',
  },
  {
    name: 'init',
    syntax: 'init zeros | random SCALE | xavier | he',
    doc: 'How the weights start. Biases always start at zero. Default `random 0.01`.',
    snippet: 'init ${1|random 0.01,xavier,he,zeros|}',
  },
  { name: 'seed', syntax: 'seed N', doc: 'Seed of the random initialisation, as `np.random.seed(N)`. Default 1.', snippet: 'seed ${1:1}' },
  {
    name: 'learning_rate',
    syntax: 'learning_rate ALPHA',
    doc: 'The gradient descent step α: W := W − α·dW. Default 0.0075.',
    snippet: 'learning_rate ${1:0.0075}',
  },
  { name: 'iterations', syntax: 'iterations N', doc: 'Number of batch gradient descent steps. Default 2500.', snippet: 'iterations ${1:2500}' },
  {
    name: 'print_every',
    syntax: 'print_every N',
    doc: 'Record and print the cost every N iterations (and always the first and the last). Default 100.',
    snippet: 'print_every ${1:100}',
  },
];

export const STATEMENT_NAMES = STATEMENTS.map((s) => s.name);

export interface ActivationDoc {
  name: Activation;
  formula: string;
  derivative: string;
  note: string;
}

export const ACTIVATION_DOCS: Record<Activation, ActivationDoc> = {
  sigmoid: {
    name: 'sigmoid',
    formula: 'σ(z) = 1 / (1 + e^(−z))',
    derivative: "σ'(z) = σ(z)(1 − σ(z))",
    note: 'Outputs in (0, 1): the output unit for binary classification. In hidden layers tanh or ReLU usually learn faster.',
  },
  tanh: {
    name: 'tanh',
    formula: 'tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))',
    derivative: "tanh'(z) = 1 − tanh²(z)",
    note: 'Outputs in (−1, 1), centred on zero: a good hidden-layer choice.',
  },
  relu: {
    name: 'relu',
    formula: 'relu(z) = max(0, z)',
    derivative: "relu'(z) = 1 if z > 0, else 0",
    note: 'The usual hidden-layer default: cheap, and its gradient does not vanish for z > 0.',
  },
  leaky_relu: {
    name: 'leaky_relu',
    formula: 'leaky_relu(z) = max(0.01z, z)',
    derivative: "leaky_relu'(z) = 1 if z > 0, else 0.01",
    note: 'Like ReLU, but keeps a small gradient for z < 0, so units cannot die.',
  },
  linear: {
    name: 'linear',
    formula: 'linear(z) = z',
    derivative: "linear'(z) = 1",
    note: 'No non-linearity: for a regression output. Linear hidden layers make the network a linear model.',
  },
};

export const LOSS_DOCS: Record<Loss, { name: Loss; formula: string; dA: string; note: string }> = {
  binary_cross_entropy: {
    name: 'binary_cross_entropy',
    formula: 'J = −(1/m) Σᵢ [ y⁽ⁱ⁾ log a⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − a⁽ⁱ⁾) ]',
    dA: 'dA[L] = −(Y / A[L] − (1 − Y) / (1 − A[L]))',
    note: 'For 0/1 labels with one sigmoid output unit.',
  },
  mse: {
    name: 'mse',
    formula: 'J = (1/(2m)) Σᵢ (a⁽ⁱ⁾ − y⁽ⁱ⁾)²',
    dA: 'dA[L] = A[L] − Y',
    note: 'Mean squared error (with the ½ that makes its derivative A − Y).',
  },
};

export const INIT_DOCS: Record<InitKind, string> = {
  zeros: 'All weights 0. Every hidden unit then computes the same function and gets the same gradient: symmetry is never broken.',
  random: 'W[l] = np.random.randn(n[l], n[l−1]) · SCALE. Small scales (0.01) keep tanh and sigmoid out of saturation.',
  xavier: 'W[l] = np.random.randn(n[l], n[l−1]) / √n[l−1]. Keeps the variance of Z steady through deep tanh/sigmoid nets.',
  he: 'W[l] = np.random.randn(n[l], n[l−1]) · √(2 / n[l−1]). The usual choice for ReLU layers.',
};

export const GENERATOR_DOCS: Record<GeneratorName, string> = {
  flower: 'The course\'s planar "flower" set (week 3): two petal-shaped classes. Default m=400, seed=1 gives the course\'s data.',
  circles: 'A disc of one class inside a ring of the other.',
  xor: 'Four quadrants, opposite quadrants share a label.',
  moons: 'Two interleaving half circles.',
  spiral: 'Two interleaved spirals: needs a deeper net.',
  gaussian: 'Two Gaussian blobs: almost linearly separable.',
};

export const DATA_KEYS: readonly WordDoc[] = [
  { name: 'x', syntax: 'x=DATASET', doc: 'HDF5: the dataset holding the features (e.g. `train_set_x`).' },
  { name: 'y', syntax: 'y=DATASET', doc: 'HDF5: the dataset holding the labels (e.g. `train_set_y`).' },
  { name: 'label', syntax: 'label=COLUMN', doc: 'CSV: the label column. Default: the last column.' },
  { name: 'scale', syntax: 'scale=NUMBER', doc: 'Features are multiplied by this, e.g. `scale=1/255` for pixels.' },
  { name: 'm', syntax: 'm=N', doc: 'Generated sets: the number of examples.' },
  { name: 'noise', syntax: 'noise=NUMBER', doc: 'Generated sets: how noisy the points are.' },
  { name: 'seed', syntax: 'seed=N', doc: 'Generated sets: the seed (default 1 for train, 2 for test).' },
];

/** Three rows of the distance table, reused: words are at most SUGGEST_MAX_LENGTH long. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Edit distance counting an adjacent transposition as one edit (optimal string alignment),
 *  so `rleu` is one edit from `relu`. Three rows of length |b|+1: no allocation per call. */
export function editDistance(a: string, b: string): number {
  if (rows[0].length < b.length + 1) rows = [0, 1, 2].map(() => new Int32Array(b.length + 1));
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
    }
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length];
}

/** "Did you mean" looks only at words up to this long: longer ones are no misspelling of a
 *  keyword, and the edit distance costs length × length. */
export const SUGGEST_MAX_LENGTH = 32;

/** Answers already given, per list of candidates (a file full of the same typo asks once). */
const suggestions = new WeakMap<readonly string[], Map<string, string | undefined>>();
const SUGGESTIONS_KEPT = 4096;

/** The closest candidate, if it is close enough to be what the user meant. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > SUGGEST_MAX_LENGTH) return undefined;
  let known = suggestions.get(candidates);
  if (!known) suggestions.set(candidates, (known = new Map()));
  if (known.has(word)) return known.get(word);
  if (known.size >= SUGGESTIONS_KEPT) known.clear();
  const answer = closest(word, candidates);
  known.set(word, answer);
  return answer;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // a unique prefix of a long word (`binary` for `binary_cross_entropy`)
  let prefixed: string | undefined;
  let prefixes = 0;
  for (const c of candidates) {
    if (c.startsWith(lower)) {
      prefixed = c;
      prefixes++;
    }
  }
  if (lower.length >= 3 && prefixes === 1) return prefixed;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === lower) return candidate;
    const d = editDistance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(best.length / 3));
  return bestDistance <= limit ? best : undefined;
}
