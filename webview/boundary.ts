// The decision boundary for 2-feature data, as TensorFlow Playground draws it: the network's
// output probability over the input plane (class 0 → one colour, class 1 → the other, 0.5 →
// the background), the training points on top (filled) and the test points (rings); and one
// small heatmap per hidden unit, showing what each neuron has learned.

import type { BoundarySnapshot, Grid2D, PointSet } from '../src/shared/model/runs';
import { cssVar } from './dom';

type RGB = [number, number, number];

export interface Palette {
  negative: RGB;
  positive: RGB;
  background: RGB;
  foreground: RGB;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour as RGB (through the canvas, which normalises it). */
export function parseColor(color: string, fallback: RGB): RGB {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return fallback;
  probe.fillStyle = '#010203';
  probe.fillStyle = color;
  const value = String(probe.fillStyle);
  if (value === '#010203' && color.trim().toLowerCase() !== '#010203') return fallback;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(value);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return fallback;
}

export function readPalette(): Palette {
  return {
    negative: parseColor(cssVar('--vscode-charts-orange', '#d18616'), [209, 134, 22]),
    positive: parseColor(cssVar('--vscode-charts-blue', '#3794ff'), [55, 148, 255]),
    background: parseColor(cssVar('--vscode-editor-background', '#ffffff'), [255, 255, 255]),
    foreground: parseColor(cssVar('--vscode-editor-foreground', '#333333'), [51, 51, 51]),
  };
}

/** t in [-1, 1]: -1 = negative colour, 0 = background, 1 = positive colour. */
export function divergingColor(t: number, p: Palette): RGB {
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const target = x < 0 ? p.negative : p.positive;
  const k = Math.abs(x) * 0.85;
  return [0, 1, 2].map((i) => Math.round(p.background[i] + (target[i] - p.background[i]) * k)) as RGB;
}

const css = (c: RGB, alpha = 1): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;

/** Sizes the canvas backing store to its CSS size times the device pixel ratio. */
function prepare(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | undefined {
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || Number(canvas.getAttribute('width')) || 200;
  const h = canvas.clientHeight || w;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w, h };
}

/**
 * A grid as RGBA pixels, one per grid point, in the worker's layout (see Grid2D): row 0 is
 * the top of the picture (the highest x2), column 0 the left (the lowest x1). No DOM: tested
 * in Node against the worker's snapshots.
 */
export function gridPixels(grid: Grid2D, toT: (v: number) => number, p: Palette): Uint8ClampedArray {
  const n = grid.size;
  const pixels = new Uint8ClampedArray(n * n * 4);
  for (let k = 0; k < n * n; k++) {
    const [R, G, B] = divergingColor(toT(grid.values[k]), p);
    pixels[k * 4] = R;
    pixels[k * 4 + 1] = G;
    pixels[k * 4 + 2] = B;
    pixels[k * 4 + 3] = 255;
  }
  return pixels;
}

/** Draws a grid scaled to the canvas, mapped to t in [-1, 1]. */
function drawGrid(ctx: CanvasRenderingContext2D, grid: Grid2D, toT: (v: number) => number, p: Palette, w: number, h: number): void {
  const n = grid.size;
  const image = new ImageData(n, n);
  image.data.set(gridPixels(grid, toT, p));
  const off = document.createElement('canvas');
  off.width = n;
  off.height = n;
  off.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, w, h);
}

export interface BoundaryInput {
  snapshot?: BoundarySnapshot;
  points?: { train: PointSet; test?: PointSet };
}

/** The plane the picture covers: the snapshot's grid, else the points' extent. */
function extent(input: BoundaryInput): { x1: [number, number]; x2: [number, number] } | undefined {
  if (input.snapshot) return { x1: input.snapshot.output.x1, x2: input.snapshot.output.x2 };
  const pts = input.points;
  if (!pts || !pts.train.x1.length) return undefined;
  const all1 = [...pts.train.x1, ...(pts.test?.x1 ?? [])];
  const all2 = [...pts.train.x2, ...(pts.test?.x2 ?? [])];
  const pad = (a: number[]): [number, number] => {
    const lo = Math.min(...a);
    const hi = Math.max(...a);
    const d = (hi - lo || 1) * 0.1;
    return [lo - d, hi + d];
  };
  return { x1: pad(all1), x2: pad(all2) };
}

export function drawBoundary(canvas: HTMLCanvasElement, input: BoundaryInput, palette = readPalette()): void {
  const prepared = prepare(canvas);
  if (!prepared) return;
  const { ctx, w, h } = prepared;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = css(palette.background);
  ctx.fillRect(0, 0, w, h);
  if (input.snapshot) drawGrid(ctx, input.snapshot.output, (v) => 2 * v - 1, palette, w, h);
  const box = extent(input);
  if (!box || !input.points) return;
  const px = (x: number): number => ((x - box.x1[0]) / (box.x1[1] - box.x1[0])) * w;
  const py = (y: number): number => h - ((y - box.x2[0]) / (box.x2[1] - box.x2[0])) * h;
  const radius = Math.max(2, Math.min(3.5, w / 80));
  const classColor = (y: number): RGB => (y >= 0.5 ? palette.positive : palette.negative);
  const { train, test } = input.points;
  for (let i = 0; i < train.x1.length; i++) {
    ctx.beginPath();
    ctx.arc(px(train.x1[i]), py(train.x2[i]), radius, 0, Math.PI * 2);
    ctx.fillStyle = css(classColor(train.y[i]));
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = css(palette.foreground, 0.55);
    ctx.stroke();
  }
  if (test) {
    for (let i = 0; i < test.x1.length; i++) {
      // test points: rings on the background colour, so they are told apart without colour
      ctx.beginPath();
      ctx.arc(px(test.x1[i]), py(test.x2[i]), radius + 0.5, 0, Math.PI * 2);
      ctx.fillStyle = css(palette.background);
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = css(classColor(test.y[i]));
      ctx.stroke();
    }
  }
}

/** Maps a unit's activation to [-1, 1] for the heatmap. */
export function activationScale(activation: string, values: readonly number[]): (v: number) => number {
  if (activation === 'tanh') return (v) => v;
  if (activation === 'sigmoid') return (v) => 2 * v - 1;
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return (v) => (max > 0 ? v / max : 0);
}

export function drawUnit(canvas: HTMLCanvasElement, grid: Grid2D, activation: string, palette = readPalette()): void {
  const prepared = prepare(canvas);
  if (!prepared) return;
  const { ctx, w, h } = prepared;
  drawGrid(ctx, grid, activationScale(activation, grid.values), palette, w, h);
}
