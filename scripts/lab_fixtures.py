#!/usr/bin/env python3
"""NumPy reference for the lab commands (nnspec step, gradcheck, the logistic-regression graph,
the metrics and the mislabelled images): the course's formulas, written out plainly.

Writes test/fixtures/lab/: small seeded data sets (CSV), the specs that train on them (.nnspec)
and lab.json with what NumPy computes for them. test/unit/trainer/lab-*.test.ts and test/unit/cli/lab-sweep.test.ts run the nnspec CLI on
the same specs and compare. Rerun with:  python3 scripts/lab_fixtures.py   (numpy only)

The forward and backward passes, the costs and the initialisation are those of
scripts/numpy_fixtures.py (imported from it), so both fixture sets follow one implementation.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from numpy_fixtures import cost, g, g_backward, init  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'lab')
FLOWER = os.path.join(HERE, '..', 'examples', 'data', 'flower.csv')


# --- the course's passes, keeping every cache ------------------------------------------------

def forward(params, acts, X):
    A = X
    Zs, As = [], []
    for (W, b), a in zip(params, acts):
        Z = np.dot(W, A) + b
        A = g(a, Z)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def backward(params, acts, X, Zs, As, Y, loss):
    """dA[l], dZ[l], dW[l], db[l] for l = 1..L (lists indexed l - 1)."""
    m = Y.shape[1]
    L = len(params)
    AL = As[-1]
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)) if loss == 'binary_cross_entropy' else AL - Y
    dAs, dZs, dWs, dbs = [None] * L, [None] * L, [None] * L, [None] * L
    for l in reversed(range(L)):
        Aprev = X if l == 0 else As[l - 1]
        dAs[l] = dA
        dZ = g_backward(acts[l], dA, Zs[l], As[l])
        dZs[l] = dZ
        dWs[l] = np.dot(dZ, Aprev.T) / m
        dbs[l] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = np.dot(params[l][0].T, dZ)
    return dAs, dZs, dWs, dbs


def train(params, acts, X, Y, loss, lr, n):
    """n batch gradient descent updates, in place; the costs before each."""
    costs = []
    for _ in range(n):
        Zs, As = forward(params, acts, X)
        costs.append(cost(loss, As[-1], Y))
        _, _, dWs, dbs = backward(params, acts, X, Zs, As, Y, loss)
        for l in range(len(params)):
            params[l][0] = params[l][0] - lr * dWs[l]
            params[l][1] = params[l][1] - lr * dbs[l]
    return costs


def stats(M):
    return {'shape': list(M.shape), 'min': float(np.min(M)), 'max': float(np.max(M)),
            'mean': float(np.mean(M)), 'norm': float(np.linalg.norm(M))}


def step(params, acts, X, Y, loss):
    """What `nnspec step` reports: the pass at the current parameters, before the next update."""
    Zs, As = forward(params, acts, X)
    dAs, dZs, dWs, dbs = backward(params, acts, X, Zs, As, Y, loss)
    layers = []
    for l in range(len(params)):
        layers.append({'layer': l + 1, 'Z': stats(Zs[l]), 'A': stats(As[l]), 'dA': stats(dAs[l]), 'dZ': stats(dZs[l]),
                       'dW': stats(dWs[l]), 'db': stats(dbs[l]), 'W': stats(params[l][0]), 'b': stats(params[l][1])})
    return {'cost': cost(loss, As[-1], Y), 'layers': layers}


def gradient_check_n(params, acts, X, Y, loss, epsilon=1e-7):
    """The course's gradient_check_n: every parameter, J(theta +- epsilon) from a whole forward pass."""
    Zs, As = forward(params, acts, X)
    _, _, dWs, dbs = backward(params, acts, X, Zs, As, Y, loss)
    grad_all, approx_all, per_layer = [], [], []
    for l in range(len(params)):
        grad, approx = [], []
        for k, theta in enumerate(params[l]):
            analytic = (dWs if k == 0 else dbs)[l]
            for idx in np.ndindex(theta.shape):
                original = theta[idx]
                theta[idx] = original + epsilon
                plus = cost(loss, forward(params, acts, X)[1][-1], Y)
                theta[idx] = original - epsilon
                minus = cost(loss, forward(params, acts, X)[1][-1], Y)
                theta[idx] = original
                approx.append((plus - minus) / (2 * epsilon))
                grad.append(analytic[idx])
        per_layer.append({'layer': l + 1, 'difference': difference(np.array(grad), np.array(approx))})
        grad_all += grad
        approx_all += approx
    return {'difference': difference(np.array(grad_all), np.array(approx_all)), 'layers': per_layer,
            'gradient': grad_all, 'approx': approx_all}


def difference(grad, approx):
    numerator = np.linalg.norm(grad - approx)
    denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
    return float(numerator / denominator) if denominator else 0.0


def confusion(params, acts, X, Y):
    p = forward(params, acts, X)[1][-1] > 0.5
    y = Y == 1
    tp, fp = int(np.sum(p & y)), int(np.sum(p & ~y))
    tn, fn = int(np.sum(~p & ~y)), int(np.sum(~p & y))
    return {'tp': tp, 'fp': fp, 'tn': tn, 'fn': fn,
            'precision': tp / (tp + fp) if tp + fp else None,
            'recall': tp / (tp + fn) if tp + fn else None,
            'f1': 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else None,
            'accuracy': float(np.mean(p == y))}


def logistic_graph(params, X, Y, k):
    """Week 2's computation graph for example k: x, w, b -> z = w.T x + b -> a = sigmoid(z) -> L(a, y)."""
    W, b = params[0]
    x = X[:, k:k + 1]
    y = float(Y[0, k])
    w = W.T
    z = float(np.dot(w.T, x)[0, 0] + b[0, 0])
    a = float(1 / (1 + np.exp(-z)))
    loss = -(y * np.log(a) + (1 - y) * np.log(1 - a))
    dz = a - y
    return {'example': k, 'x': list(map(float, x[:, 0])), 'y': y, 'w': list(map(float, w[:, 0])), 'b': float(b[0, 0]),
            'z': z, 'a': a, 'loss': float(loss), 'da': float(-y / a + (1 - y) / (1 - a)), 'dz': dz,
            'dw': list(map(float, x[:, 0] * dz)), 'db': dz}


# --- data and specs ------------------------------------------------------------------------------

def write_csv(path, X, Y, names, fmt=repr):
    with open(path, 'w') as f:
        f.write(','.join(names + ['y']) + '\n')
        for j in range(X.shape[1]):
            f.write(','.join(fmt(float(v)) for v in X[:, j]) + f',{int(Y[0, j])}\n')


def points(m, seed):
    """3 features, labels from a noisy nonlinear rule (not separable by a line)."""
    rng = np.random.RandomState(seed)
    X = rng.randn(3, m)
    score = X[0] * X[1] + 0.6 * X[2] + 0.4 * rng.randn(m)
    return X, (score > 0).astype(float).reshape(1, m)


def pixels(m, seed):
    """2x2x3 'images' as bytes (m, 2, 2, 3) flattened per example in C order; label 1 when
    the red channel outweighs the blue one, with a few labels flipped."""
    rng = np.random.RandomState(seed)
    imgs = rng.randint(0, 256, size=(m, 2, 2, 3)).astype(float)
    red, blue = imgs[..., 0].mean(axis=(1, 2)), imgs[..., 2].mean(axis=(1, 2))
    y = (red > blue).astype(float)
    flip = rng.rand(m) < 0.15
    y[flip] = 1 - y[flip]
    return imgs.reshape(m, -1).T, y.reshape(1, m)


def read_csv(path):
    rows = np.loadtxt(path, delimiter=',', skiprows=1)
    return rows[:, :-1].T.copy(), rows[:, -1:].T.copy()


DEEP = """# lab fixture: written by scripts/lab_fixtures.py
network "lab deep"
input 3
dense 5 relu
dense 3 tanh
dense 1 sigmoid
loss binary_cross_entropy
data train "points.csv"
data test "points-test.csv"
init xavier
seed 3
learning_rate 0.3
iterations 60
print_every 10
"""

MSE = """# lab fixture: written by scripts/lab_fixtures.py
network "lab mse"
input 3
dense 4 leaky_relu
dense 1 linear
loss mse
data train "points.csv"
data test "points-test.csv"
init he
seed 5
learning_rate 0.05
iterations 30
print_every 10
"""

IMAGE = """# lab fixture: written by scripts/lab_fixtures.py
network "lab pixels"
input 2x2x3
dense 1 sigmoid
loss binary_cross_entropy
data train "pixels.csv" scale=1/255
data test "pixels-test.csv" scale=1/255
init random 0.01
seed 1
learning_rate 0.5
iterations 150
print_every 50
"""

PLANAR = """# lab fixture: written by scripts/lab_fixtures.py (the course's planar network)
network "lab planar"
input 2
dense 4 tanh
dense 1 sigmoid
data train "../../../examples/data/flower.csv"
init random 0.01
seed 2
learning_rate 1.2
iterations 10000
"""


def case(name, spec, dims, acts, loss, scheme, scale, seed, lr, iterations, X, Y, Xt, Yt, steps, extra=None):
    out = {'spec': f'{name}.nnspec', 'steps': {}}
    for n in steps:
        p = init(dims, scheme, scale, seed)
        train(p, acts, X, Y, loss, lr, n)
        out['steps'][str(n)] = step(p, acts, X, Y, loss)
    p = init(dims, scheme, scale, seed)
    out['gradcheck'] = gradient_check_n(p, acts, X, Y, loss)
    p = init(dims, scheme, scale, seed)
    costs = train(p, acts, X, Y, loss, lr, iterations)
    out['final_cost'] = costs[-1]
    out['train_metrics'] = confusion(p, acts, X, Y)
    out['test_metrics'] = confusion(p, acts, Xt, Yt) if Xt is not None else None
    if extra:
        out.update(extra(p))
    with open(os.path.join(OUT, f'{name}.nnspec'), 'w') as f:
        f.write(spec)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    X, Y = points(48, 11)
    Xt, Yt = points(24, 12)
    write_csv(os.path.join(OUT, 'points.csv'), X, Y, ['x1', 'x2', 'x3'])
    write_csv(os.path.join(OUT, 'points-test.csv'), Xt, Yt, ['x1', 'x2', 'x3'])
    # what the CSV reader gives back (repr round-trips exactly)
    X, Y = read_csv(os.path.join(OUT, 'points.csv'))
    Xt, Yt = read_csv(os.path.join(OUT, 'points-test.csv'))

    P, PY = pixels(60, 21)
    Pt, PYt = pixels(30, 22)
    names = [f'p{r}{c}{ch}' for r in range(2) for c in range(2) for ch in 'rgb']
    write_csv(os.path.join(OUT, 'pixels.csv'), P, PY, names, fmt=lambda v: str(int(v)))
    write_csv(os.path.join(OUT, 'pixels-test.csv'), Pt, PYt, names, fmt=lambda v: str(int(v)))
    scale = 1 / 255
    S, St = P * scale, Pt * scale

    cases = {}
    cases['deep'] = case('deep', DEEP, [3, 5, 3, 1], ['relu', 'tanh', 'sigmoid'], 'binary_cross_entropy', 'xavier', 0, 3, 0.3, 60,
                         X, Y, Xt, Yt, [0, 7, 60])
    cases['mse'] = case('mse', MSE, [3, 4, 1], ['leaky_relu', 'linear'], 'mse', 'he', 0, 5, 0.05, 30, X, Y, Xt, Yt, [0, 5])

    def image_extra(p):
        A = forward(p, ['sigmoid'], St)[1][-1][0]
        wrong = [{'index': j, 'label': int(PYt[0, j]), 'probability': float(A[j])}
                 for j in range(St.shape[1]) if (A[j] > 0.5) != (PYt[0, j] == 1)]
        return {'test_probabilities': list(map(float, A)), 'mislabelled': wrong,
                'graph_trained': logistic_graph(p, S, PY, 4)}

    cases['image'] = case('image', IMAGE, [12, 1], ['sigmoid'], 'binary_cross_entropy', 'random', 0.01, 1, 0.5, 150, S, PY, St, PYt, [0, 150],
                          image_extra)
    cases['image']['graph_initial'] = logistic_graph(init([12, 1], 'random', 0.01, 1), S, PY, 4)
    cases['image']['graph_iteration'] = 150
    cases['image']['graph_example'] = 4

    F, FY = read_csv(FLOWER)
    planar = {'spec': 'planar.nnspec', 'steps': {}}
    for n in [0, 100]:
        p = init([2, 4, 1], 'random', 0.01, 2)
        train(p, ['tanh', 'sigmoid'], F, FY, 'binary_cross_entropy', 1.2, n)
        planar['steps'][str(n)] = step(p, ['tanh', 'sigmoid'], F, FY, 'binary_cross_entropy')
    with open(os.path.join(OUT, 'planar.nnspec'), 'w') as f:
        f.write(PLANAR)
    cases['planar'] = planar

    with open(os.path.join(OUT, 'lab.json'), 'w') as f:
        json.dump({'about': 'NumPy reference for the lab commands; written by scripts/lab_fixtures.py',
                   'numpy': np.__version__, 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
