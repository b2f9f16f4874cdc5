#!/usr/bin/env python3
"""NumPy side of `npm run bench`: the course's own code, as a learner runs it in the notebooks of
"Neural Networks and Deep Learning" (course 1), timed.

- One sigmoid unit (logistic regression): week 2's `propagate` / `optimize` (w of shape (n, 1),
  a scalar b, dw = X·(A − Y)ᵀ/m).
- One tanh hidden layer (the planar data): week 3's `forward_propagation` /
  `backward_propagation` (dZ2 = A2 − Y, dZ1 = W2ᵀ·dZ2 ∘ (1 − A1²)).
- Anything else (the 2- and 4-layer cat nets, the wide net): week 4's `L_layer_model` from
  dnn_app_utils_v3 (`linear_forward`, `relu` / `sigmoid` with their caches, `L_model_backward`,
  which computes dA0 = W1ᵀ·dZ1 too, and `sigmoid_backward`, which computes σ(Z) again).

X is in the course's layout: the examples flattened as `X_orig.reshape(m, -1).T` (a transposed
view, Fortran order), Y of shape (1, m). The cost is computed every iteration, as the course does
(it prints every 100). Initial parameters: np.random.seed, then randn per layer, scaled as the
spec says (the course's initialisations: * 0.01, / sqrt(n[l-1]), * sqrt(2 / n[l-1]), zeros).

Reads the config of scripts/bench.ts (X written as float64 (m, n), Y as (1, m)). Per row: one
untimed iteration, then `iterations - 1` timed ones; prints JSON {"ms_per_iteration", "cost",
"peak_mb"}, the cost that of the last iteration, before its update (as ours). With "all_in" in
the config: the course's whole call (`L_layer_model(X, Y, layers_dims, learning_rate,
num_iterations, print_cost=True)`, its prints formatted but not shown) on data already
loaded, timed as a whole: prints {"seconds", "cost", "peak_mb"}.
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from bench_side import peak_mb  # noqa: E402


# --------------------------------------------------------------------------- week 2: logistic regression

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    cost = np.squeeze(np.array(cost))
    return {'dw': dw, 'db': db}, cost


def logistic_step(state, X, Y, learning_rate):
    grads, cost = propagate(state['w'], state['b'], X, Y)
    state['w'] = state['w'] - learning_rate * grads['dw']
    state['b'] = state['b'] - learning_rate * grads['db']
    return cost


# --------------------------------------------------------------------------- week 3: one hidden layer

def forward_propagation(X, parameters):
    W1, b1, W2, b2 = parameters['W1'], parameters['b1'], parameters['W2'], parameters['b2']
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    return A2, {'Z1': Z1, 'A1': A1, 'Z2': Z2, 'A2': A2}


def compute_cost_planar(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    return float(np.squeeze(-np.sum(logprobs) / m))


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters['W2']
    A1, A2 = cache['A1'], cache['A2']
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}


def planar_step(parameters, X, Y, learning_rate):
    A2, cache = forward_propagation(X, parameters)
    cost = compute_cost_planar(A2, Y)
    grads = backward_propagation(parameters, cache, X, Y)
    for key in ('W1', 'b1', 'W2', 'b2'):
        parameters[key] = parameters[key] - learning_rate * grads['d' + key]
    return cost


# --------------------------------------------------------------------------- week 4: dnn_app_utils_v3

def relu(Z):
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_cached(Z):
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def tanh_cached(Z):
    return np.tanh(Z), Z


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)


def tanh_backward(dA, cache):
    Z = cache
    return dA * (1 - np.power(np.tanh(Z), 2))


def linear_forward(A, W, b):
    Z = W.dot(A) + b
    return Z, (A, W, b)


ACTIVATIONS = {'relu': (relu, relu_backward), 'sigmoid': (sigmoid_cached, sigmoid_backward), 'tanh': (tanh_cached, tanh_backward)}


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = ACTIVATIONS[activation][0](Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters, activations):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters['W' + str(l)], parameters['b' + str(l)], activations[l - 1])
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    return float(np.squeeze(cost))


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = ACTIVATIONS[activation][1](dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches, activations):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in reversed(range(L)):
        dA_prev, dW, db = linear_activation_backward(dA, caches[l], activations[l])
        grads['dA' + str(l)] = dA_prev
        grads['dW' + str(l + 1)] = dW
        grads['db' + str(l + 1)] = db
        dA = dA_prev
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters['W' + str(l + 1)] = parameters['W' + str(l + 1)] - learning_rate * grads['dW' + str(l + 1)]
        parameters['b' + str(l + 1)] = parameters['b' + str(l + 1)] - learning_rate * grads['db' + str(l + 1)]
    return parameters


def deep_step(parameters, X, Y, learning_rate, activations):
    AL, caches = L_model_forward(X, parameters, activations)
    cost = compute_cost(AL, Y)
    grads = L_model_backward(AL, Y, caches, activations)
    update_parameters(parameters, grads, learning_rate)
    return cost


def L_layer_model(X, Y, parameters, activations, learning_rate, num_iterations, print_cost=False, out=sys.stdout):
    cost = None
    for i in range(0, num_iterations):
        cost = deep_step(parameters, X, Y, learning_rate, activations)
        if print_cost and (i % 100 == 0 or i == num_iterations - 1):
            print('Cost after iteration {}: {}'.format(i, np.squeeze(cost)), file=out)
    return parameters, cost


# --------------------------------------------------------------------------- the run

def initial_parameters(dims, scheme, scale, seed):
    """np.random.seed(seed), then W[l] = randn(n[l], n[l-1]) scaled as the course does; b[l] zeros."""
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(dims)):
        if scheme == 'zeros':
            W = np.zeros((dims[l], dims[l - 1]))
        elif scheme == 'random':
            W = np.random.randn(dims[l], dims[l - 1]) * scale
        elif scheme == 'xavier':
            W = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        else:
            W = np.random.randn(dims[l], dims[l - 1]) * np.sqrt(2. / dims[l - 1])
        parameters['W' + str(l)] = W
        parameters['b' + str(l)] = np.zeros((dims[l], 1))
    return parameters


def program(cfg):
    """The course's code for this network: a step function over its own parameters."""
    dims, acts, lr = cfg['dims'], cfg['acts'], cfg['lr']
    parameters = initial_parameters(dims, cfg['init'], cfg['scale'], cfg['seed'])
    if len(dims) == 2 and acts == ['sigmoid']:
        state = {'w': parameters['W1'].T.copy(), 'b': 0.}
        return lambda X, Y: logistic_step(state, X, Y, lr), parameters
    if len(dims) == 3 and acts == ['tanh', 'sigmoid']:
        return lambda X, Y: planar_step(parameters, X, Y, lr), parameters
    return lambda X, Y: deep_step(parameters, X, Y, lr, acts), parameters


def main():
    cfg = json.loads(sys.argv[1])
    if cfg.get('loss', 'binary_cross_entropy') != 'binary_cross_entropy':
        raise SystemExit('bench_numpy.py: the course\'s code trains with the cross-entropy only')
    m, n = cfg['m'], cfg['n']
    # the course's layout: X_orig.reshape(m, -1).T, a Fortran-ordered (n, m) view
    X = np.fromfile(cfg['x'], dtype=np.float64).reshape(m, n).T
    Y = np.fromfile(cfg['y'], dtype=np.float64).reshape(1, m)
    if cfg.get('all_in'):
        parameters = initial_parameters(cfg['dims'], cfg['init'], cfg['scale'], cfg['seed'])
        with open(os.devnull, 'w') as out:
            start = time.perf_counter()
            _, cost = L_layer_model(X, Y, parameters, cfg['acts'], cfg['lr'], cfg['iterations'], print_cost=True, out=out)
            seconds = time.perf_counter() - start
        print(json.dumps({'seconds': seconds, 'cost': cost, 'peak_mb': peak_mb()}))
        return
    step, _ = program(cfg)
    J = step(X, Y)
    start = time.perf_counter()
    for _ in range(1, cfg['iterations']):
        J = step(X, Y)
    elapsed = time.perf_counter() - start
    print(json.dumps({'ms_per_iteration': elapsed * 1000 / (cfg['iterations'] - 1), 'cost': float(J), 'peak_mb': peak_mb()}))


main()
