// Shared by the lab tests (not a test file itself): the NumPy fixtures of
// scripts/lab_fixtures.py (test/fixtures/lab/) and how numbers are compared with them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const LAB = path.join(__dirname, '..', '..', 'fixtures', 'lab');
export const fixtures: { numpy: string; cases: Record<string, any> } = JSON.parse(readFileSync(path.join(LAB, 'lab.json'), 'utf8'));

/** A fixture spec's path. */
export const labSpec = (name: string): string => path.join(LAB, `${name}.nnspec`);

/**
 * |a − e| ≤ tol · scale, where scale is |e| (relative) unless a larger one is given: a mean of
 * values of both signs is compared relative to the largest |value| of its matrix, because the
 * two sum in different orders and the cancellation can leave a mean far smaller than its terms.
 * An expected exact zero with no scale must be zero up to 1e-300.
 */
export function assertClose(actual: number, expected: number, what: string, tol = 1e-10, scale = Math.abs(expected)): void {
  assert.equal(typeof actual, 'number', `${what}: ${actual} is not a number`);
  if (scale === 0) {
    assert.ok(Math.abs(actual) <= 1e-300, `${what}: ${actual} vs NumPy 0`);
    return;
  }
  const err = Math.abs(actual - expected) / scale;
  assert.ok(err <= tol, `${what}: ${actual} vs NumPy ${expected} (error ${err} of ${scale})`);
}

export interface Stats {
  shape: [number, number];
  min: number;
  max: number;
  mean: number;
  norm: number;
}

/** A matrix's statistics against NumPy's: the shape exactly, the rest to 1e-10 (the mean relative to the largest |value|). */
export function assertStats(actual: Stats, expected: Stats, what: string, tol = 1e-10): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assertClose(actual.min, expected.min, `${what}.min`, tol);
  assertClose(actual.max, expected.max, `${what}.max`, tol);
  assertClose(actual.norm, expected.norm, `${what}.norm`, tol);
  assertClose(actual.mean, expected.mean, `${what}.mean`, tol, Math.max(Math.abs(expected.min), Math.abs(expected.max)));
}
