// "Show as course code": the whole network in the course's NumPy style (initialisation with
// the spec's seed and scheme, forward propagation with caches, the cost, backward propagation,
// the update and the training loop), written so that running it prints the costs nnspec
// records, number for number. It reads CSV data itself, HDF5 with h5py when it can, and
// otherwise an `.npz` of the data written beside it (generated sets always come from there).

import { layerSizes, type Activation, type DataSource, type InitScheme, type NetworkSpec } from '../shared/model/spec';
import { describeLayers, type ExportModel } from './model';
import { encodeNpz, type NpyArray } from './npz';
import { activationFunctions, LEAKY, pyNumber, pyScale, pyString, pyText } from './python';

/** A data set as loaded with scale 1 (the script applies the spec's scale itself, as nnspec does). */
export interface RawData {
  X: { rows: number; cols: number; data: ArrayLike<number> };
  Y: { rows: number; cols: number; data: ArrayLike<number> };
}

export interface CourseInput {
  /** the script's file name without `.py`; the data file is `${stem}_data.npz` */
  stem: string;
  /**
   * Each data file's path as the script should find it, relative to the script's folder
   * (forward slashes), keyed by split.
   */
  dataPaths: { train?: string; test?: string };
  /** the data sets, unscaled: written to the `.npz` for HDF5 files and generated sets */
  data: { train?: RawData; test?: RawData };
}

export interface CourseFiles {
  script: string;
  /** `${stem}_data.npz`, when the script needs it */
  dataNpz?: Uint8Array;
}

function initLine(init: InitScheme): string {
  const draw = 'np.random.randn(layer_dims[l], layer_dims[l - 1])';
  switch (init.kind) {
    case 'zeros':
      return 'np.zeros((layer_dims[l], layer_dims[l - 1]))';
    case 'random':
      return `${draw} * ${pyNumber(init.scale)}`;
    case 'xavier':
      return `${draw} / np.sqrt(layer_dims[l - 1])`;
    case 'he':
      return `${draw} * np.sqrt(2 / layer_dims[l - 1])`;
  }
}

function initComment(init: InitScheme): string {
  switch (init.kind) {
    case 'zeros':
      return 'init zeros: W[l] = 0';
    case 'random':
      return `init random ${init.scale}: W[l] = randn(n[l], n[l-1]) * ${init.scale}`;
    case 'xavier':
      return 'init xavier: W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1])';
    case 'he':
      return 'init he: W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1])';
  }
}

const BACKWARD: Record<Activation, string> = {
  sigmoid: `def sigmoid_backward(dA, Z):
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)
`,
  tanh: `def tanh_backward(dA, Z):
    t = np.tanh(Z)
    return dA * (1 - t * t)
`,
  relu: `def relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ
`,
  leaky_relu: `def leaky_relu_backward(dA, Z):
    return np.where(Z > 0, dA, ${LEAKY} * dA)
`,
  linear: `def linear_backward_activation(dA, Z):
    return dA
`,
};

function backwardName(g: Activation): string {
  return g === 'linear' ? 'linear_backward_activation' : `${g}_backward`;
}

/** Whether every value is an integer 0..255 (image data): stored as uint8, 8 times smaller. */
function isBytes(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 255 && Number.isInteger(v))) return false;
  }
  return true;
}

function dataArrays(split: 'train' | 'test', d: RawData): NpyArray[] {
  return [
    { name: `${split}_x`, shape: [d.X.rows, d.X.cols], dtype: isBytes(d.X.data) ? 'u1' : 'f8', data: d.X.data },
    { name: `${split}_y`, shape: [d.Y.rows, d.Y.cols], data: d.Y.data },
  ];
}

/** The Python call that loads one split, or undefined without data for it. */
function loadCall(source: DataSource | undefined, split: 'train' | 'test', relPath: string | undefined): string | undefined {
  if (!source) return undefined;
  const scale = pyScale(source.scale);
  if (source.kind === 'generated') return `load_npz(${pyString(split)}, ${scale})  # the generated set '${source.generator}' as nnspec made it`;
  const file = `os.path.join(HERE, ${pyString(relPath ?? source.path)})`;
  if (source.path.toLowerCase().endsWith('.csv')) return `load_csv(${file}, ${source.label === undefined ? 'None' : pyString(source.label)}, ${scale})`;
  return `load_h5(${file}, ${pyString(source.x ?? '')}, ${pyString(source.y ?? '')}, ${scale}, ${pyString(split)})`;
}

function needsNpz(source: DataSource | undefined): boolean {
  return !!source && (source.kind === 'generated' || !source.path.toLowerCase().endsWith('.csv'));
}

function costCode(spec: NetworkSpec): { cost: string; dAL: string; formula: string } {
  if (spec.loss === 'mse') {
    return {
      formula: 'J = (1/(2m)) * sum((AL - Y)^2)',
      cost: 'cost = np.sum((AL - Y) ** 2) / (2 * m)',
      dAL: 'dAL = AL - Y',
    };
  }
  return {
    formula: 'J = -(1/m) * sum(Y log(AL) + (1 - Y) log(1 - AL))',
    cost: 'cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m',
    dAL: 'dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))',
  };
}

/** The course-style script (and the data `.npz` it reads, when it needs one). */
export function courseFiles(model: ExportModel, input: CourseInput): CourseFiles {
  const { spec } = model;
  const n = layerSizes(spec);
  const activations = spec.layers.map((l) => l.activation);
  const used = [...new Set(activations)];
  const dataFile = `${input.stem}_data.npz`;
  const trainCall = loadCall(spec.train, 'train', input.dataPaths.train);
  const testCall = loadCall(spec.test, 'test', input.dataPaths.test);
  const withNpz = needsNpz(spec.train) || needsNpz(spec.test);
  const { cost, dAL, formula } = costCode(spec);
  const usesCsv = [spec.train, spec.test].some((s) => s?.kind === 'file' && s.path.toLowerCase().endsWith('.csv'));
  const usesH5 = [spec.train, spec.test].some((s) => s?.kind === 'file' && !s.path.toLowerCase().endsWith('.csv'));
  const loaders: string[] = [];
  if (usesCsv) {
    loaders.push(`def load_csv(path, label, scale):
    """A CSV file with a header row, one example per row: X (n_x, m) scaled, Y (1, m)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    header = [name.strip() for name in rows[0]]
    column = header.index(label) if label is not None else len(header) - 1
    data = np.array([[float(cell) for cell in row] for row in rows[1:]])
    X = np.delete(data, column, axis=1).T * scale
    Y = data[:, column].reshape(1, -1)
    return X, Y
`);
  }
  if (withNpz) {
    loaders.push(`def load_npz(split, scale):
    """The data as nnspec loaded it (unscaled), from ${dataFile} beside this file."""
    with np.load(os.path.join(HERE, ${pyString(dataFile)}), allow_pickle=False) as data:
        return data[split + "_x"].astype(float) * scale, data[split + "_y"].astype(float)
`);
  }
  if (usesH5) {
    loaders.push(`def load_h5(path, x_name, y_name, scale, split):
    """An HDF5 file, one example per row of x_name, flattened: X (n_x, m) scaled, Y (1, m).
    Without h5py, the same numbers from ${dataFile}."""
    try:
        import h5py
    except ImportError:
        return load_npz(split, scale)
    with h5py.File(path, "r") as f:
        x = np.array(f[x_name])
        y = np.array(f[y_name])
    X = x.reshape(x.shape[0], -1).T.astype(float) * scale
    Y = y.reshape(1, -1).astype(float)
    return X, Y
`);
  }
  const script = `"""${pyText(model.name)}: the whole network in the course's NumPy style, written by nnspec.

From ${pyText(model.specPath ? fileNameOf(model.specPath) : model.provenance)}. Layers: ${pyText(describeLayers(spec))}.
Initialisation, forward propagation with caches, the cost, backward propagation, the update
and the training loop, as in the course's "Deep Neural Network - Application" notebook and
as nnspec's trainer computes them: running this file prints the costs that
\`nnspec train\` prints for the spec (agreeing to about 1e-12 relative; the two sum in different
orders), then the accuracies.

Examples are columns: X is (n_x, m), Y is (1, m), W[l] is (n[l], n[l-1]), b[l] is (n[l], 1).
Needs NumPy${usesH5 ? `; h5py to read the HDF5 file itself (without it, the same numbers come from ${dataFile})` : ''}.
"""
${usesCsv ? 'import csv\n' : ''}import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

layers_dims = [${n.join(", ")}]  # n[0] = n_x, n[1], ..., n[L]
activations = [${activations.map((g) => pyString(g)).join(', ')}]  # g[1], ..., g[L]
learning_rate = ${pyNumber(spec.learningRate)}
num_iterations = ${spec.iterations}
print_every = ${spec.printEvery}
seed = ${spec.seed}


# ---------------------------------------------------------------------------- data

${loaders.join('\n\n')}

def load_data():
    train_x, train_y = ${trainCall ?? 'None, None  # the spec has no training data'}
    test_x, test_y = ${testCall ?? 'None, None  # the spec has no test data'}
    return train_x, train_y, test_x, test_y


# ---------------------------------------------------------------------------- initialisation

def initialize_parameters_deep(layer_dims):
    """${initComment(spec.init)}; b[l] = 0. np.random.seed(seed) first, as nnspec does."""
    np.random.seed(seed)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = ${initLine(spec.init)}
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


# ---------------------------------------------------------------------------- forward propagation

${activationFunctions(used)}

def linear_activation_forward(A_prev, W, b, activation):
    Z = np.dot(W, A_prev) + b
    A = ACTIVATION_FORWARD[activation](Z)
    cache = ((A_prev, W, b), Z)
    return A, cache


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], activations[l - 1])
        caches.append(cache)
    return A, caches


ACTIVATION_FORWARD = {${used.map((g) => `${pyString(g)}: ${g}`).join(', ')}}


# ---------------------------------------------------------------------------- cost

def compute_cost(AL, Y):
    """${formula}"""
    m = Y.shape[1]
    ${cost}
    return np.squeeze(cost)


# ---------------------------------------------------------------------------- backward propagation

${used.map((g) => BACKWARD[g]).join('\n\n')}

ACTIVATION_BACKWARD = {${used.map((g) => `${pyString(g)}: ${backwardName(g)}`).join(', ')}}


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    dZ = ACTIVATION_BACKWARD[activation](dA, Z)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    ${dAL}
    dA = dAL
    for l in reversed(range(1, L + 1)):
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, caches[l - 1], activations[l - 1])
    return grads


# ---------------------------------------------------------------------------- update

def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


# ---------------------------------------------------------------------------- the model

def L_layer_model(X, Y, layers_dims, learning_rate=learning_rate, num_iterations=num_iterations, print_cost=True):
    """Batch gradient descent; the cost of iteration i is computed before its update."""
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % print_every == 0 or i == num_iterations - 1:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration {}: {}".format(i, float(cost)))
    return parameters, costs


def predict(X, parameters):
    """0/1 predictions (1, m): 1 where AL > 0.5."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(float)


if __name__ == "__main__":
    train_x, train_y, test_x, test_y = load_data()
    parameters, costs = L_layer_model(train_x, train_y, layers_dims)
    print("Train accuracy: {:.2f} %".format(100 * np.mean(predict(train_x, parameters) == train_y)))
    if test_x is not None:
        print("Test accuracy: {:.2f} %".format(100 * np.mean(predict(test_x, parameters) == test_y)))
`;
  let dataNpz: Uint8Array | undefined;
  if (withNpz) {
    const arrays: NpyArray[] = [];
    for (const split of ['train', 'test'] as const) {
      const d = input.data[split];
      if (d && needsNpz(spec[split])) arrays.push(...dataArrays(split, d));
    }
    dataNpz = encodeNpz(arrays);
  }
  return { script, dataNpz };
}

function fileNameOf(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
