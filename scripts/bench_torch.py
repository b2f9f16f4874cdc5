#!/usr/bin/env python3
"""PyTorch side of `npm run bench`: the same network and full-batch gradient descent in float64,
with autograd for the gradients, on both cores (torch.set_num_threads(2)). The initial
parameters are the course's (np.random.seed + randn, scripts/numpy_fixtures.py); the cost is the
course's formula. One untimed iteration, then `iterations - 1` timed ones. Prints JSON
{"ms_per_iteration", "cost", "peak_mb"}."""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from numpy_fixtures import init  # noqa: E402
from bench_side import peak_mb  # noqa: E402

torch.set_num_threads(os.cpu_count() or 1)
cfg = json.loads(sys.argv[1])
# X is written one example per row, (m, n), as the course has it before its `.T`
X = torch.from_numpy(np.ascontiguousarray(np.fromfile(cfg['x'], dtype=np.float64).reshape(cfg['m'], cfg['n']).T))
Y = torch.from_numpy(np.fromfile(cfg['y'], dtype=np.float64).reshape(1, cfg['m']))
params = [(torch.from_numpy(W).clone().requires_grad_(), torch.from_numpy(b).clone().requires_grad_())
          for W, b in init(cfg['dims'], cfg['init'], cfg['scale'], cfg['seed'])]
loss = cfg.get('loss', 'binary_cross_entropy')
m = cfg['m']


def g(name, Z):
    if name == 'sigmoid':
        return torch.sigmoid(Z)
    if name == 'tanh':
        return torch.tanh(Z)
    if name == 'relu':
        return torch.relu(Z)
    if name == 'leaky_relu':
        return torch.nn.functional.leaky_relu(Z, 0.01)
    return Z


def step():
    A = X
    for (W, b), a in zip(params, cfg['acts']):
        A = g(a, W @ A + b)
    if loss == 'binary_cross_entropy':
        J = -(1 / m) * torch.sum(Y * torch.log(A) + (1 - Y) * torch.log(1 - A))
    else:
        J = torch.sum((A - Y) ** 2) / (2 * m)
    for W, b in params:
        W.grad = None
        b.grad = None
    J.backward()
    with torch.no_grad():
        for W, b in params:
            W -= cfg['lr'] * W.grad
            b -= cfg['lr'] * b.grad
    return float(J)


J = step()
start = time.perf_counter()
for i in range(1, cfg['iterations']):
    J = step()
elapsed = time.perf_counter() - start
peak = peak_mb()
print(json.dumps({'ms_per_iteration': elapsed * 1000 / (cfg['iterations'] - 1), 'cost': J, 'peak_mb': peak}))
