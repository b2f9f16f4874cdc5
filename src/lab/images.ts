// The pictures, data side: for an `input HxWxC` spec, the test examples the network gets wrong
// with their pixels (the course's "mislabelled images"), and the prediction for a picture given
// as H·W·C pixel values in the data set's layout (row by row, channels last: the course's HDF5
// images (m, H, W, C) flattened per example in C order, which is how X's columns hold them).

import type { NetworkSpec } from '../shared/model/spec';
import type { ImageLayout, ImagePrediction, MislabelledExample } from '../shared/model/results';
import type { SavedModel } from '../shared/model/results';
import type { Dataset } from '../trainer/datasets';
import { matrix } from '../trainer/kernels';
import { forward, type LayerParams } from '../trainer/model';
import { modelParameters } from '../trainer/savedModel';

/** H, W, C and the scale of an image spec (`input 64x64x3`; `input 28x28` has one channel); undefined otherwise. */
export function imageLayout(spec: Pick<NetworkSpec, 'inputDims' | 'train'>): ImageLayout | undefined {
  const d = spec.inputDims;
  if (!d || d.length < 2 || d.length > 3) return undefined;
  return { height: d[0], width: d[1], channels: d[2] ?? 1, scale: spec.train?.scale ?? 1 };
}

/** v / scale, as the pixel was before `scale=`; a value within 1e-9 of a whole number is that number (255 · (v / 255) is 254.99999999999997). */
function unscale(v: number, scale: number): number {
  const p = v / scale;
  const r = Math.round(p);
  return Math.abs(p - r) <= 1e-9 * Math.max(1, Math.abs(r)) ? r : p;
}

/** A[L] for every example of `data`, in batches (so a large set needs no (n, m) buffer per layer). */
export function probabilities(params: LayerParams[], activations: NetworkSpec['layers'][number]['activation'][], data: Dataset, batch = 256): Float64Array {
  const { X } = data;
  const out = new Float64Array(X.cols);
  for (let from = 0; from < X.cols; from += batch) {
    const width = Math.min(batch, X.cols - from);
    const Xb = matrix(X.rows, width);
    for (let i = 0; i < X.rows; i++) Xb.data.set(X.data.subarray(i * X.cols + from, i * X.cols + from + width), i * width);
    const { AL } = forward(params, activations, Xb);
    out.set(AL.data.subarray(0, width), from);
  }
  return out;
}

/**
 * The examples of `data` (the test set) whose prediction (A[L] > 0.5) differs from the label, in
 * order, with their pixels before scaling; at most `limit` of them (`total` counts them all).
 */
export function mislabelled(
  spec: NetworkSpec,
  params: LayerParams[],
  data: Dataset,
  limit = Infinity,
): { layout: ImageLayout | undefined; examples: MislabelledExample[]; total: number } {
  const layout = imageLayout(spec);
  const scale = layout?.scale ?? spec.train?.scale ?? 1;
  const p = probabilities(params, spec.layers.map((l) => l.activation), data);
  const { X, Y } = data;
  const examples: MislabelledExample[] = [];
  let total = 0;
  for (let j = 0; j < X.cols; j++) {
    const label = Y.data[j];
    if ((p[j] > 0.5 ? 1 : 0) === label) continue;
    total++;
    if (examples.length >= limit) continue;
    const pixels = new Array<number>(X.rows);
    for (let i = 0; i < X.rows; i++) pixels[i] = unscale(X.data[i * X.cols + j], scale);
    examples.push({ index: j, label, probability: p[j], pixels });
  }
  return { layout, examples, total };
}

/**
 * The network's prediction for one picture: `pixels` are the H·W·C values in the data set's
 * layout before scaling (0..255 for bytes); the spec's `scale=` is applied as the data loader
 * applies it (pixel × scale), then forward propagation.
 */
export function predictImage(model: SavedModel | { spec: NetworkSpec; params: LayerParams[] }, pixels: ArrayLike<number>): ImagePrediction {
  const { spec } = model;
  const params = 'params' in model ? model.params : modelParameters(model);
  const n = spec.inputSize ?? 0;
  if (pixels.length !== n) {
    const layout = imageLayout(spec);
    const want = layout ? `${layout.height}×${layout.width}×${layout.channels} = ${n}` : String(n);
    throw new RangeError(`The network's input is ${want} values, but the picture has ${pixels.length}.`);
  }
  const scale = spec.train?.scale ?? 1;
  const x = matrix(n, 1);
  for (let i = 0; i < n; i++) {
    const v = pixels[i];
    if (!Number.isFinite(v)) throw new RangeError(`Pixel ${i} is ${v}, not a number.`);
    x.data[i] = v * scale;
  }
  const { AL } = forward(params, spec.layers.map((l) => l.activation), x);
  const probability = AL.data[0];
  return { probability, label: probability > 0.5 ? 1 : 0 };
}
