#!/usr/bin/env python3
"""NumPy reference for the nnspec trainer: the course's formulas, written out plainly.

Writes JSON fixtures to test/fixtures/reference/ that test/unit/trainer/engine.test.ts compares with
the TypeScript engine to 1e-10 relative. Rerun with:  python3 scripts/numpy_fixtures.py
(numpy only; the data is generated here, small and seeded).

It also writes rng-bits.json, which test/unit/trainer/rng-exact.test.ts compares BIT FOR BIT (no
tolerance) with src/trainer/numpyRandom.ts and src/trainer/exactLog.ts:
  - randn: for several seeds, the float64 bits of the first draws of
    `np.random.seed(S); np.random.randn(count)` and a SHA-256 of all `count` draws;
  - log: hard inputs for log (near 1, tiny, subnormal, powers of two, inputs where glibc's
    log is not correctly rounded) with glibc's result (math.log calls the same libm `log`
    as NumPy's legacy_gauss) and the correctly rounded value computed with `decimal`;
  - fma: fused multiply-add cases, many exactly at rounding ties, with exact results
    computed with `fractions`.
NumPy's draws depend on the C library's log, so rng-bits.json is only written on the
platform the TypeScript reproduces: Linux x86_64, glibc >= 2.28, CPU with FMA and AVX2
(glibc then uses its FMA build of log). Elsewhere the script says so and keeps the
committed file.
"""
import hashlib
import json
import math
import os
import platform
import random
from decimal import Decimal, getcontext
from fractions import Fraction

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

    rng_bits()


# --- Bit-exact RNG reference (rng-bits.json) -------------------------------------------------

RANDN_SEEDS = [0, 1, 2, 3, 42, 2**31, 2**32 - 1]
RANDN_COUNT = 50000  # draws per seed covered by the SHA-256
RANDN_HEAD = 400  # draws per seed listed one by one


def bits(x):
    """The IEEE-754 bits of a float as 16 hex digits."""
    return np.float64(x).view(np.uint64).item().to_bytes(8, 'big').hex()


def correctly_rounded_log(x):
    if x == 1:
        return 0.0
    getcontext().prec = 60  # far beyond the 2^-118 or so a double's log can need
    return float(Decimal(x).ln())


def libm_log(x):
    try:
        return math.log(x)
    except ValueError:
        return -math.inf if x == 0 else math.nan


def reproducible_platform():
    if platform.system() != 'Linux' or platform.machine() != 'x86_64':
        return f'{platform.system()} {platform.machine()}'
    lib, version = platform.libc_ver()
    if lib != 'glibc' or tuple(int(v) for v in version.split('.')[:2]) < (2, 28):
        return f'{lib} {version}'
    try:
        with open('/proc/cpuinfo') as f:
            flags = next((line.split(':', 1)[1].split() for line in f if line.startswith('flags')), [])
    except OSError:
        flags = []
    if 'fma' not in flags or 'avx2' not in flags:
        return 'a CPU without FMA/AVX2'
    return None


def log_cases():
    """Hard inputs for log: (x, note) pairs."""
    d = float.fromhex
    xs = [
        (d('0x1.fffffffffffffp-1'), '1 - 2^-53'),
        (d('0x1.0000000000001p+0'), '1 + 2^-52'),
        (d('0x1.ffffffffffffep-1'), '1 - 2^-52'),
        (d('0x1.0000000000002p+0'), '1 + 2^-51'),
        (1 - 2**-30, '1 - 2^-30'),
        (1 + 2**-30, '1 + 2^-30'),
        (1 - 2**-27 - 2**-52, 'r splits unevenly'),
        (d('0x1.ep-1'), 'near-1 range starts (1 - 2^-4)'),
        (d('0x1.dffffffffffffp-1'), 'just below the near-1 range'),
        (d('0x1.109p+0'), 'near-1 range ends (1 + 0x1.09p-4), outside'),
        (d('0x1.108ffffffffffp+0'), 'last input of the near-1 range'),
        (d('0x1.6p-1'), 'table offset 0x3fe6...'),
        (d('0x1.5ffffffffffffp-1'), 'just below the table offset'),
        (5e-324, 'smallest subnormal'),
        (d('0x0.fffffffffffffp-1022'), 'largest subnormal'),
        (d('0x0.8p-1022'), 'subnormal power of two'),
        (d('0x0.0000000000003p-1022'), 'subnormal 3 * 2^-1074'),
        (2.2250738585072014e-308, 'smallest normal'),
        (1.7976931348623157e308, 'largest double'),
        (0.5, '1/2'),
        (2.0, '2'),
        (math.e, 'e'),
        (0.1, '0.1'),
        (d('0x1.6a09e667f3bcdp-1'), '1/sqrt(2)'),
    ]
    xs += [(2.0**k, f'2^{k}') for k in list(range(-1074, -1000, 7)) + list(range(-1000, 1024, 37)) + list(range(-8, 9))]
    rnd = random.Random(20240601)
    xs += [(rnd.getrandbits(52) * 2.0**-1074 or 5e-324, 'random subnormal') for _ in range(12)]
    xs += [(rnd.uniform(d('0x1.ep-1'), d('0x1.109p+0')), 'random near 1') for _ in range(40)]
    xs += [(1 + rnd.choice((-1, 1)) * 2.0**-rnd.randint(5, 52) * (1 + rnd.random()), 'random, close to 1') for _ in range(30)]
    xs += [(np.uint64(rnd.getrandbits(63) % 0x7ff0000000000000).view(np.float64).item(), 'random double') for _ in range(40)]
    # r2 = x1^2 + x2^2 as legacy_gauss computes it; keep 60 ordinary ones and every one
    # (up to 150) where glibc's log is not correctly rounded.
    ordinary, not_cr = [], []
    while len(not_cr) < 150:
        a, b = 2 * rnd.random() - 1, 2 * rnd.random() - 1
        r = a * a + b * b
        if not 0 < r < 1:
            continue
        if libm_log(r) != correctly_rounded_log(r):
            not_cr.append((r, 'r2, glibc not correctly rounded'))
        elif len(ordinary) < 60:
            ordinary.append((r, 'r2'))
    return xs + ordinary + not_cr


def fma_cases():
    """(a, b, c, RN(a*b + c)) with exact results; two thirds built to sit on or next to a tie."""
    rnd = random.Random(7)

    def double(lo=-40, hi=40):
        return math.ldexp(rnd.getrandbits(52) | (1 << 52), rnd.randint(lo, hi) - 52) * rnd.choice((-1, 1))

    out = []
    for n in range(150):
        a, b = double(), double()
        p = Fraction(a) * Fraction(b)
        if n % 3 == 0:
            c = double()
        elif n % 3 == 1:  # a*b + c within one rounding of a midpoint between two doubles
            y = float(p) * rnd.choice((0.5, 1.0, 3.0, -1.0, -0.25))
            c = float((Fraction(y) + Fraction(math.nextafter(y, math.inf))) / 2 - p)
        else:  # heavy cancellation
            c = -float(p) * (1 + rnd.choice((0.0, 2**-52, -2**-52, 2**-30)))
        exact = p + Fraction(c)
        out.append([bits(a), bits(b), bits(c), bits(float(exact) if exact != 0 else 0.0)])
    return out


def rng_bits():
    path = os.path.join(OUT, 'rng-bits.json')
    other = reproducible_platform()
    if other:
        print(f'rng-bits.json NOT regenerated: NumPy\'s randn uses the C library log, and on {other} it is not '
              'the glibc FMA build that src/trainer/exactLog.ts reproduces. Kept the committed file.')
        return
    randn = []
    for seed in RANDN_SEEDS:
        np.random.seed(seed)
        draws = np.random.randn(RANDN_COUNT).astype('<f8')
        randn.append({
            'seed': seed,
            'count': RANDN_COUNT,
            'sha256': hashlib.sha256(draws.tobytes()).hexdigest(),
            'head': ''.join(bits(v) for v in draws[:RANDN_HEAD]),
        })
    logs = []
    for x, note in log_cases():
        y = libm_log(x)
        logs.append([bits(x), bits(y), bits(correctly_rounded_log(x)), note])
    specials = [[bits(x), bits(libm_log(x)), note] for x, note in [
        (1.0, 'log(1) = +0'), (0.0, '+0'), (-0.0, '-0'), (-1.0, 'negative'), (-5e-324, 'negative subnormal'),
        (math.inf, '+inf'), (-math.inf, '-inf'), (math.nan, 'NaN')]]
    doc = {
        'about': 'Bit patterns (IEEE-754 binary64, 16 hex digits, most significant first) from NumPy and glibc. '
                 'Generated by scripts/numpy_fixtures.py; compared bit for bit by test/unit/trainer/rng-exact.test.ts.',
        'numpy': np.__version__,
        'platform': f'{platform.system()} {platform.machine()}, {" ".join(platform.libc_ver())}, CPU with FMA and AVX2',
        'randn': randn,
        'log_columns': ['x', 'glibc log(x)', 'correctly rounded log(x)', 'note'],
        'log': logs,
        'log_specials': specials,
        'fma_columns': ['a', 'b', 'c', 'RN(a*b + c)'],
        'fma': fma_cases(),
    }
    with open(path, 'w') as f:
        json.dump(doc, f, indent=0)
        f.write('\n')


if __name__ == '__main__':
    main()
