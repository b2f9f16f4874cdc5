#!/usr/bin/env python3
"""NumPy side of `npm run bench`: the course's formulas (scripts/numpy_fixtures.py), timed.
Reads X and Y as float64 files written by scripts/bench.ts; one untimed iteration, then
`iterations - 1` timed ones. Prints JSON {"ms_per_iteration", "cost", "peak_mb"}; the cost is
that of the last iteration, before its update (as ours)."""
import json
import sys
import time

import numpy as np


sys.path.insert(0, __file__.rsplit('/', 1)[0])
from numpy_fixtures import backward, cost, forward, init  # noqa: E402
from bench_side import peak_mb  # noqa: E402

cfg = json.loads(sys.argv[1])
X = np.fromfile(cfg['x'], dtype=np.float64).reshape(cfg['n'], cfg['m'])
Y = np.fromfile(cfg['y'], dtype=np.float64).reshape(1, cfg['m'])
params = init(cfg['dims'], cfg['init'], cfg['scale'], cfg['seed'])
loss = cfg.get('loss', 'binary_cross_entropy')  # the spec's loss: binary_cross_entropy or mse


def step():
    AL, caches = forward(params, cfg['acts'], X)
    J = cost(loss, AL, Y)
    grads = backward(params, cfg['acts'], caches, AL, Y, loss)
    for l in range(len(params)):
        params[l][0] = params[l][0] - cfg['lr'] * grads[l][0]
        params[l][1] = params[l][1] - cfg['lr'] * grads[l][1]
    return J


J = step()
start = time.perf_counter()
for i in range(1, cfg['iterations']):
    J = step()
elapsed = time.perf_counter() - start
peak = peak_mb()
print(json.dumps({'ms_per_iteration': elapsed * 1000 / (cfg['iterations'] - 1), 'cost': J, 'peak_mb': peak}))
