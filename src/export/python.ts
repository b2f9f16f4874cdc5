// The NumPy and PyTorch exports: the parameters as an `.npz` (W1, b1, ..., WL, bL in the
// course's shapes) and a short Python file that loads it. Python helpers shared with the
// course-code export live here too.

import type { Activation } from '../shared/model/spec';
import { LEAKY_SLOPE } from '../trainer/model';
import { layerSizes } from '../shared/model/spec';
import { describeLayers, formatScale, inputScale, type ExportModel } from './model';
import { encodeNpz, type NpyArray } from './npz';

/** The parameters as `.npz` arrays: W{l} (n[l], n[l-1]) and b{l} (n[l], 1), float64, C order. */
export function parameterArrays(model: ExportModel): NpyArray[] {
  const n = layerSizes(model.spec);
  return model.parameters.flatMap(({ W, b }, i) => {
    const l = i + 1;
    const flat = new Float64Array(n[l] * n[l - 1]);
    W.forEach((row, r) => flat.set(row, r * n[l - 1]));
    return [
      { name: `W${l}`, shape: [n[l], n[l - 1]], data: flat },
      { name: `b${l}`, shape: [n[l], 1], data: Float64Array.from(b) },
    ];
  });
}

export function parametersNpz(model: ExportModel): Uint8Array {
  return encodeNpz(parameterArrays(model));
}

/** A Python string literal (JSON's escapes are Python's too). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** A number as Python source that reads back as the same double (shortest round trip). */
export function pyNumber(x: number): string {
  const s = String(x);
  return /[.eE]/.test(s) || !Number.isFinite(x) ? s : `${s}.0`;
}

/** The scale as Python source: `1 / 255` when it is exactly that, else the number. */
export function pyScale(scale: number): string {
  const text = formatScale(scale);
  return text.includes('/') ? text.replace('/', ' / ') : pyNumber(scale);
}

/** Text safe inside a Python docstring or comment: one line, no backslashes or triple quotes. */
export function pyText(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\\/g, '/').replace(/"""/g, "'''");
}

/** The course's forward functions of the activations the network uses, in order of first use. */
export function activationFunctions(activations: Activation[]): string {
  const defs: Record<Activation, string> = {
    sigmoid: 'def sigmoid(Z):\n    return 1 / (1 + np.exp(-Z))\n',
    tanh: 'def tanh(Z):\n    return np.tanh(Z)\n',
    relu: 'def relu(Z):\n    return np.maximum(0, Z)\n',
    leaky_relu: `def leaky_relu(Z):\n    return np.where(Z > 0, Z, ${LEAKY} * Z)\n`,
    linear: 'def linear(Z):\n    return Z\n',
  };
  return [...new Set(activations)].map((g) => defs[g]).join('\n\n');
}

/** The negative slope of leaky ReLU as Python source: the trainer's own (0.01). */
export const LEAKY = pyNumber(LEAKY_SLOPE);

function layerComment(model: ExportModel): string {
  const n = layerSizes(model.spec);
  return model.spec.layers
    .map((layer, i) => `    layer ${i + 1}: W${i + 1} (${n[i + 1]}, ${n[i]}), b${i + 1} (${n[i + 1]}, 1), ${layer.activation}${i === model.spec.layers.length - 1 ? ' (output)' : ''}`)
    .join('\n');
}

function scaleSentence(model: ExportModel, batchFirst: boolean): string {
  const scale = inputScale(model.spec);
  const what = batchFirst ? 'x' : 'X';
  return scale === 1
    ? `The spec has no input scale: use the features as they are.`
    : `Multiply the raw features by SCALE = ${formatScale(scale)} first (the spec's scale=), as nnspec does: ${what} = raw * SCALE.`;
}

/** The NumPy file: load the `.npz`, L_model_forward and predict in the course's style. */
export function numpyScript(model: ExportModel, npzName: string): string {
  const { spec } = model;
  const n = layerSizes(spec);
  const activations = spec.layers.map((l) => l.activation);
  return `"""${pyText(model.name)}: the network exported by nnspec, in the course's NumPy style.

From ${pyText(model.provenance)}.
Parameters: ${npzName} beside this file, W1, b1, ..., W${spec.layers.length}, b${spec.layers.length} in the course's shapes, W[l] (n[l], n[l-1]) and b[l] (n[l], 1), float64:
${layerComment(model)}
Layers: ${pyText(describeLayers(spec))}.

Examples are columns, as in the course: X is (n_x, m) = (${n[0]}, m), and AL, the output, is
(${n[n.length - 1]}, m). ${scaleSentence(model, false)}

    parameters = load_parameters()
    AL, caches = L_model_forward(X, parameters)     # X: np.ndarray (${n[0]}, m), float64
    p = predict(X, parameters)                      # 0/1, where AL > 0.5
"""
import os

import numpy as np

LAYERS_DIMS = [${n.join(", ")}]
ACTIVATIONS = [${activations.map((g) => pyString(g)).join(', ')}]
SCALE = ${pyScale(inputScale(spec))}
PARAMETERS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyString(npzName)})


def load_parameters(path=PARAMETERS_FILE):
    """W1, b1, ..., WL, bL from the .npz (plain arrays: no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


${activationFunctions(activations)}

ACTIVATION_FUNCTIONS = {${[...new Set(activations)].map((g) => `${pyString(g)}: ${g}`).join(', ')}}


def L_model_forward(X, parameters):
    """Forward propagation: AL and, per layer, the cache ((A_prev, W, b), Z)."""
    caches = []
    A = X
    L = len(LAYERS_DIMS) - 1
    for l in range(1, L + 1):
        A_prev = A
        W = parameters["W" + str(l)]
        b = parameters["b" + str(l)]
        Z = np.dot(W, A_prev) + b
        A = ACTIVATION_FUNCTIONS[ACTIVATIONS[l - 1]](Z)
        caches.append(((A_prev, W, b), Z))
    return A, caches


def predict(X, parameters):
    """0/1 predictions (1, m): 1 where AL > 0.5, as nnspec predicts."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(float)


if __name__ == "__main__":
    parameters = load_parameters()
    for key, value in parameters.items():
        print(key, value.shape)
`;
}

const TORCH_LAYERS: Record<Activation, string> = {
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  relu: 'nn.ReLU()',
  leaky_relu: `nn.LeakyReLU(negative_slope=${LEAKY})`,
  linear: 'nn.Identity()',
};

/** The PyTorch file: an nn.Sequential (float64) with the weights from the `.npz`. */
export function pytorchScript(model: ExportModel, npzName: string): string {
  const { spec } = model;
  const n = layerSizes(spec);
  const L = spec.layers.length;
  const layers = spec.layers
    .map((layer, i) => `        nn.Linear(${n[i]}, ${n[i + 1]}),  # layer ${i + 1}${i === L - 1 ? ' (output)' : ''}\n        ${TORCH_LAYERS[layer.activation]},`)
    .join('\n');
  return `"""${pyText(model.name)}: the network exported by nnspec, as a PyTorch nn.Sequential (float64).

From ${pyText(model.provenance)}.
Weights: ${npzName} beside this file (W1, b1, ..., W${L}, b${L}), read with NumPy (no pickle) and copied in with torch.from_numpy. nn.Linear's weight is
(out, in), which is the course's W[l] (n[l], n[l-1]) as it is; its bias is b[l] (n[l], 1)
flattened to (n[l],).
Layers: ${pyText(describeLayers(spec))}.

Inputs are batch first: x is (N, n_x) = (N, ${n[0]}), one example per ROW (the transpose of the
course's X, which has one example per column), float64. The output is (N, ${n[L]}): A[L] per
example${spec.layers[L - 1].activation === 'sigmoid' ? ', a probability; nnspec predicts 1 where it is > 0.5' : ''}.
${scaleSentence(model, true)}

    model = load_model()
    with torch.no_grad():
        out = model(torch.from_numpy(x))    # x: np.ndarray (N, ${n[0]}), float64
"""
import os

import numpy as np
import torch
from torch import nn

SCALE = ${pyScale(inputScale(spec))}
WEIGHTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyString(npzName)})


def build_model():
    """The network with PyTorch's default initialisation (load_model sets the exported weights)."""
    return nn.Sequential(
${layers}
    ).to(torch.float64)


def load_model(path=WEIGHTS_FILE):
    model = build_model()
    linears = [module for module in model if isinstance(module, nn.Linear)]
    with np.load(path, allow_pickle=False) as data, torch.no_grad():
        for l, linear in enumerate(linears, start=1):
            linear.weight.copy_(torch.from_numpy(data["W%d" % l]))
            linear.bias.copy_(torch.from_numpy(data["b%d" % l].reshape(-1)))
    return model.eval()


def predict(model, x):
    """0/1 predictions (N, 1): 1 where the output is > 0.5, as nnspec predicts."""
    with torch.no_grad():
        return (model(x) > 0.5).to(torch.float64)


if __name__ == "__main__":
    print(load_model())
`;
}
