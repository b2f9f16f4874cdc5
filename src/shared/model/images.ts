// Pictures as a spec's `input HxWxC` sees them. No vscode, DOM or node imports.

/**
 * An RGBA image (ImageData.data: width × height × 4 bytes, row by row) as the H·W·C values a
 * spec's `input HxWxC` expects, row by row with the channels last (the course's HDF5 layout,
 * flattened in C order): C = 3 is RGB (alpha dropped), C = 4 RGBA, C = 1 the luma
 * 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601). The image must already be width × height.
 */
export function rgbaToPixels(rgba: ArrayLike<number>, width: number, height: number, channels: number): number[] {
  if (rgba.length !== width * height * 4) throw new Error(`rgbaToPixels: ${rgba.length} bytes are not a ${width}×${height} RGBA image`);
  if (![1, 3, 4].includes(channels)) throw new Error(`rgbaToPixels: ${channels} channels; an image has 1 (grey), 3 (RGB) or 4 (RGBA)`);
  const out = new Array<number>(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else for (let c = 0; c < channels; c++) out[p * channels + c] = rgba[4 * p + c];
  }
  return out;
}
