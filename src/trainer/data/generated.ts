// The built-in generated data sets (`data train flower m=400`): seeded, two features, labels 0/1.

import { MAX_GENERATED_EXAMPLES, type GeneratedDataSource, type GeneratorName } from '../../shared/model/spec';
import { DataError, excerpt } from '../errors';
import { matrix } from '../kernels';
import { NumpyRandom } from '../numpyRandom';
import type { Dataset } from './files';

export const DEFAULT_NOISE: Record<GeneratorName, number> = {
  flower: 0.2,
  circles: 0.1,
  xor: 0.1,
  moons: 0.1,
  spiral: 0.1,
  gaussian: 1,
};

/** The generated set as (x1, x2, y) arrays. Deterministic for a seed. */
export function generate(source: Pick<GeneratedDataSource, 'generator' | 'm' | 'noise' | 'seed'>): { x1: number[]; x2: number[]; y: number[] } {
  const rng = new NumpyRandom(source.seed);
  const noise = source.noise ?? DEFAULT_NOISE[source.generator];
  const m = source.m;
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  const push = (a: number, b: number, label: number): void => {
    x1.push(a);
    x2.push(b);
    y.push(label);
  };
  const half = [Math.floor(m / 2), m - Math.floor(m / 2)];
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.randomSample();
  switch (source.generator) {
    case 'flower': {
      // the course's load_planar_dataset(): petals of a = 4, angle and radius noise
      const a = 4;
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        const start = 3.12 * j;
        const stop = 3.12 * (j + 1);
        const t: number[] = [];
        for (let i = 0; i < N; i++) t.push(N === 1 ? start : i === N - 1 ? stop : start + i * ((stop - start) / (N - 1)));
        const tn = t.map((v) => v + rng.gaussian() * noise);
        const r = tn.map((v) => a * Math.sin(4 * v) + rng.gaussian() * noise);
        for (let i = 0; i < N; i++) push(r[i] * Math.sin(tn[i]), r[i] * Math.cos(tn[i]), j);
      }
      break;
    }
    case 'circles': {
      // a disc (label 1) inside a ring (label 0), radius 5, as TensorFlow Playground draws it
      const R = 5;
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < half[j]; i++) {
          const r = j === 1 ? uniform(0, R * 0.5) : uniform(R * 0.7, R);
          const angle = uniform(0, 2 * Math.PI);
          push(r * Math.sin(angle) + uniform(-R, R) * noise, r * Math.cos(angle) + uniform(-R, R) * noise, j === 1 ? 1 : 0);
        }
      }
      break;
    }
    case 'xor': {
      const padding = 0.3;
      for (let i = 0; i < m; i++) {
        let a = uniform(-5, 5);
        a += a > 0 ? padding : -padding;
        let b = uniform(-5, 5);
        b += b > 0 ? padding : -padding;
        const label = a * b >= 0 ? 1 : 0;
        push(a + uniform(-5, 5) * noise, b + uniform(-5, 5) * noise, label);
      }
      break;
    }
    case 'moons': {
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        for (let i = 0; i < N; i++) {
          const t = N === 1 ? 0 : (Math.PI * i) / (N - 1);
          const a = j === 0 ? Math.cos(t) : 1 - Math.cos(t);
          const b = j === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
          push(a + rng.gaussian() * noise, b + rng.gaussian() * noise, j);
        }
      }
      break;
    }
    case 'spiral': {
      for (let j = 0; j < 2; j++) {
        const N = half[j];
        const delta = j === 0 ? 0 : Math.PI;
        for (let i = 0; i < N; i++) {
          const r = (i / N) * 5;
          const t = 1.75 * (i / N) * 2 * Math.PI + delta;
          push(r * Math.sin(t) + uniform(-1, 1) * noise * 5, r * Math.cos(t) + uniform(-1, 1) * noise * 5, j);
        }
      }
      break;
    }
    case 'gaussian': {
      for (let j = 0; j < 2; j++) {
        const c = j === 0 ? -2 : 2;
        for (let i = 0; i < half[j]; i++) push(c + rng.gaussian() * noise, c + rng.gaussian() * noise, j);
      }
      break;
    }
  }
  return { x1, x2, y };
}

export function generatedDataset(source: GeneratedDataSource): Dataset {
  // a spec's parser keeps m within bounds; a saved model or a message may not have
  if (!Number.isInteger(source.m) || source.m < 1 || source.m > MAX_GENERATED_EXAMPLES) {
    throw new DataError(`A generated set needs m from 1 to ${MAX_GENERATED_EXAMPLES.toLocaleString('en-US')} examples, not ${excerpt(String(source.m))}.`);
  }
  const { x1, x2, y } = generate(source);
  const m = y.length;
  const X = matrix(2, m);
  for (let j = 0; j < m; j++) {
    X.data[j] = x1[j] * source.scale;
    X.data[m + j] = x2[j] * source.scale;
  }
  return { X, Y: matrix(1, m, Float64Array.from(y)) };
}

