#!/usr/bin/env python3
"""NumPy reference for the nnspec trainer: the course's formulas, written out plainly.

Writes JSON fixtures to test/fixtures/reference/ that test/unit/engine.test.ts compares with
the TypeScript engine to 1e-10 relative. Rerun with:  python3 scripts/numpy_fixtures.py
(numpy only; the data is generated here, small and seeded).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'reference')


def g(name, Z):
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-Z))
    if name == 'tanh':
        return np.tanh(Z)
    if name == 'relu':
        return np.maximum(0, Z)
    if name == 'leaky_relu':
        return np.where(Z > 0, Z, 0.01 * Z)
    return Z


def g_backward(name, dA, Z, A):
    if name == 'sigmoid':
        return dA * A * (1 - A)
    if name == 'tanh':
        return dA * (1 - A * A)
    if name == 'relu':
        dZ = np.array(dA, copy=True)
        dZ[Z <= 0] = 0
        return dZ
    if name == 'leaky_relu':
        return np.where(Z > 0, dA, 0.01 * dA)
    return dA


def init(dims, scheme, scale, seed):
    np.random.seed(seed)
    params = []
    for l in range(1, len(dims)):
        draw = np.random.randn(dims[l], dims[l - 1])
        if scheme == 'zeros':
            W = np.zeros((dims[l], dims[l - 1]))
        elif scheme == 'random':
            W = draw * scale
        elif scheme == 'xavier':
            W = draw / np.sqrt(dims[l - 1])
        else:
            W = draw * np.sqrt(2 / dims[l - 1])
        params.append([W, np.zeros((dims[l], 1))])
    return params


def forward(params, acts, X):
    A = X
    caches = []
    for (W, b), a in zip(params, acts):
        Z = np.dot(W, A) + b
        An = g(a, Z)
        caches.append((A, Z, An))
        A = An
    return A, caches


def cost(loss, AL, Y):
    m = Y.shape[1]
    if loss == 'binary_cross_entropy':
        return float(np.squeeze(-(1 / m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))))
    return float(np.sum((AL - Y) ** 2) / (2 * m))


def backward(params, acts, caches, AL, Y, loss):
    m = Y.shape[1]
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)) if loss == 'binary_cross_entropy' else AL - Y
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        Aprev, Z, A = caches[l]
        dZ = g_backward(acts[l], dA, Z, A)
        dW = np.dot(dZ, Aprev.T) / m
        db = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(params[l][0].T, dZ)
        grads[l] = (dW, db)
    return grads


def mat(M):
    return [list(map(float, row)) for row in np.atleast_2d(M)]


CASES = [
    dict(name='relu-sigmoid-bce', dims=[3, 4, 1], acts=['relu', 'sigmoid'], loss='binary_cross_entropy', init='random', scale=0.5, seed=1, lr=0.5),
    dict(name='tanh-leaky-sigmoid-bce', dims=[3, 5, 3, 1], acts=['tanh', 'leaky_relu', 'sigmoid'], loss='binary_cross_entropy', init='xavier', scale=0, seed=2, lr=0.3),
    dict(name='sigmoid-linear-mse', dims=[3, 4, 1], acts=['sigmoid', 'linear'], loss='mse', init='he', scale=0, seed=3, lr=0.1),
    dict(name='relu-relu-tanh-mse', dims=[3, 6, 4, 2], acts=['relu', 'relu', 'tanh'], loss='mse', init='random', scale=0.3, seed=7, lr=0.05),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    np.random.seed(1)
    rng = {'seed1_randn': list(map(float, np.random.randn(12)))}
    np.random.seed(3)
    rng['seed3_random_sample'] = list(map(float, np.random.random_sample(6)))
    np.random.seed(4294967295)
    rng['seed4294967295_randn'] = list(map(float, np.random.randn(5)))
    with open(os.path.join(OUT, 'rng.json'), 'w') as f:
        json.dump(rng, f, indent=1)

    np.random.seed(0)
    X = np.random.randn(3, 7)
    Yb = (np.random.random_sample((1, 7)) > 0.5).astype(float)
    Y2 = np.random.randn(2, 7) * 0.5
    cases = []
    for c in CASES:
        Y = Y2 if c['dims'][-1] == 2 else (Yb if c['loss'] == 'binary_cross_entropy' else X[0:1, :] * 0.3 + 0.1)
        params = init(c['dims'], c['init'], c['scale'], c['seed'])
        initial = [{'W': mat(W), 'b': mat(b)} for W, b in params]
        AL, caches = forward(params, c['acts'], X)
        J = cost(c['loss'], AL, Y)
        grads = backward(params, c['acts'], caches, AL, Y, c['loss'])
        trajectory = []
        p = [[W.copy(), b.copy()] for W, b in params]
        for i in range(25):
            AL_i, caches_i = forward(p, c['acts'], X)
            trajectory.append(cost(c['loss'], AL_i, Y))
            gr = backward(p, c['acts'], caches_i, AL_i, Y, c['loss'])
            for l in range(len(p)):
                p[l][0] = p[l][0] - c['lr'] * gr[l][0]
                p[l][1] = p[l][1] - c['lr'] * gr[l][1]
        cases.append({
            **c,
            'Y': mat(Y),
            'initial': initial,
            'Z': [mat(z) for _, z, _ in caches],
            'A': [mat(a) for _, _, a in caches],
            'cost': J,
            'grads': [{'dW': mat(dW), 'db': mat(db)} for dW, db in grads],
            'trajectory': trajectory,
            'final': [{'W': mat(W), 'b': mat(b)} for W, b in p],
        })
    with open(os.path.join(OUT, 'networks.json'), 'w') as f:
        json.dump({'X': mat(X), 'numpy': np.__version__, 'cases': cases}, f, indent=1)


if __name__ == '__main__':
    main()
