// Heatmaps of the step inspector's matrices, and pictures drawn from pixel values: both painted
// pixel by pixel into a canvas (no image is loaded: nothing for the CSP to allow). A heatmap's
// colours are the decision boundary's (the theme's chart colours): its largest |value| in full
// colour, 0 the background; a screen reader gets a summary in words (`heatmapSummary`).

import type { HeatmapMatrix, StepQuantityDetail } from '../src/shared/model/results';
import { statText } from '../src/shared/model/numbers';
import { divergingColor, type Palette } from './boundary';

/** The largest |value| of a heatmap (what its full colours stand for); 0 when all are 0. */
export function heatmapScale(m: HeatmapMatrix): number {
  let s = 0;
  for (const v of m.values) if (Number.isFinite(v) && Math.abs(v) > s) s = Math.abs(v);
  return s;
}

/** A heatmap as RGBA pixels, one per cell, row by row. No DOM: tested in Node. */
export function heatmapPixels(m: HeatmapMatrix, p: Palette): Uint8ClampedArray<ArrayBuffer> {
  const scale = heatmapScale(m) || 1;
  const out = new Uint8ClampedArray(m.rows * m.cols * 4);
  for (let k = 0; k < m.rows * m.cols; k++) {
    const [r, g, b] = divergingColor(m.values[k] / scale, p);
    out[4 * k] = r;
    out[4 * k + 1] = g;
    out[4 * k + 2] = b;
    out[4 * k + 3] = 255;
  }
  return out;
}

/** What a heatmap shows, in words (its aria-label): the matrix, its statistics and how it is drawn. */
export function heatmapSummary(name: string, q: Pick<StepQuantityDetail, 'shape' | 'min' | 'mean' | 'max' | 'heatmap'>): string {
  const { heatmap: m } = q;
  const drawn = m.downsampled
    ? `drawn as ${m.rows} × ${m.cols} means of blocks of ${m.block[0]} × ${m.block[1]} values`
    : `every value drawn, ${m.rows} × ${m.cols}`;
  return `${name}, shape (${q.shape[0]}, ${q.shape[1]}): min ${statText(q.min)}, mean ${statText(q.mean)}, max ${statText(q.max)}; ${drawn}; blue above 0, orange below, strongest at ±${statText(heatmapScale(m))}.`;
}

/** Paints a heatmap into `canvas` (one backing pixel a cell; CSS scales it up without smoothing). */
export function drawHeatmap(canvas: HTMLCanvasElement, m: HeatmapMatrix, p: Palette): void {
  canvas.width = m.cols;
  canvas.height = m.rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(heatmapPixels(m, p), m.cols, m.rows), 0, 0);
}

/**
 * H·W·C pixel values (row by row, channels last: the data set's layout) as RGBA: 1 channel is
 * grey, 3 RGB, 4 RGBA; values on 0..1 (the whole picture at most 1) are taken as fractions of 255.
 */
export function pictureRgba(pixels: readonly number[], width: number, height: number, channels: number): Uint8ClampedArray<ArrayBuffer> {
  let max = 0;
  for (const v of pixels) if (v > max) max = v;
  const k = max <= 1 ? 255 : 1;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const at = (c: number): number => Math.round(pixels[i * channels + c] * k);
    const [r, g, b] = channels >= 3 ? [at(0), at(1), at(2)] : [at(0), at(0), at(0)];
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = channels === 4 ? at(3) : 255;
  }
  return out;
}

export function drawPicture(canvas: HTMLCanvasElement, pixels: readonly number[], width: number, height: number, channels: number): void {
  canvas.width = width;
  canvas.height = height;
  // a tiny picture as its pixels; a photo-sized one smoothed, as an image viewer shows it
  canvas.style.imageRendering = width < 32 || height < 32 ? 'pixelated' : 'auto';
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(pictureRgba(pixels, width, height, channels), width, height), 0, 0);
}
