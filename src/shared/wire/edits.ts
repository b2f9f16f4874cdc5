// The check the host applies to a designer edit that comes from the webview (untrusted input).
// No vscode, DOM or node imports.

import type { NetworkEdit } from '../model/edits';
import { ACTIVATIONS, INIT_SCHEMES, LOSSES, MAX_ITERATIONS, MAX_UNITS, type InitScheme } from '../model/spec';
import { isInt, isObject, isPositive, oneOf, onlyKeys } from './validate';

export function isInitScheme(v: unknown): v is InitScheme {
  if (!isObject(v) || !oneOf(v.kind, INIT_SCHEMES)) return false;
  if (v.kind === 'random') return isPositive(v.scale) && onlyKeys(v, ['kind', 'scale']);
  return onlyKeys(v, ['kind']);
}

export function isNetworkEdit(v: unknown): v is NetworkEdit {
  if (!isObject(v) || typeof v.op !== 'string') return false;
  const layer = (x: unknown): boolean => isInt(x, 1, 100_000);
  const units = (x: unknown): boolean => isInt(x, 1, MAX_UNITS);
  switch (v.op) {
    case 'addLayer':
      return onlyKeys(v, ['op', 'at', 'units', 'activation']) && layer(v.at) && units(v.units) && oneOf(v.activation, ACTIVATIONS);
    case 'removeLayer':
      return onlyKeys(v, ['op', 'layer']) && layer(v.layer);
    case 'moveLayer':
      return onlyKeys(v, ['op', 'from', 'to']) && layer(v.from) && layer(v.to);
    case 'setUnits':
      return onlyKeys(v, ['op', 'layer', 'units']) && layer(v.layer) && units(v.units);
    case 'setActivation':
      return onlyKeys(v, ['op', 'layer', 'activation']) && layer(v.layer) && oneOf(v.activation, ACTIVATIONS);
    case 'setInput': {
      if (!onlyKeys(v, ['op', 'size', 'dims']) || !units(v.size)) return false;
      if (v.dims === undefined) return true;
      return (
        Array.isArray(v.dims) &&
        v.dims.length >= 2 &&
        v.dims.length <= 4 &&
        v.dims.every((d) => units(d)) &&
        (v.dims as number[]).reduce((a, b) => a * b, 1) === v.size
      );
    }
    case 'setLearningRate':
      return onlyKeys(v, ['op', 'learningRate']) && isPositive(v.learningRate);
    case 'setIterations':
      return onlyKeys(v, ['op', 'iterations']) && isInt(v.iterations, 1, MAX_ITERATIONS);
    case 'setInit':
      return onlyKeys(v, ['op', 'init']) && isInitScheme(v.init);
    case 'setSeed':
      return onlyKeys(v, ['op', 'seed']) && isInt(v.seed, 0, 0xffffffff);
    case 'setLoss':
      return onlyKeys(v, ['op', 'loss']) && oneOf(v.loss, LOSSES);
    default:
      return false;
  }
}
