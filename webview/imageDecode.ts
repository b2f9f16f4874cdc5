// Predict an Image, the webview's part: the host sends the picture's bytes (base64) through the
// messenger; the browser's own decoder (createImageBitmap, from a Blob: no URL is loaded, so the
// CSP needs nothing for it) decodes and resizes it to the input's width × height, and the pixels
// go back in the data set's layout (rgbaToPixels). No native dependency.

import { rgbaToPixels } from '../src/shared/model/images';
import { type DecodedImageMessage, type DecodeImageMessage } from '../src/shared/wire/labMessages';

export async function decodePicture(msg: DecodeImageMessage): Promise<DecodedImageMessage> {
  const { width, height, channels } = msg;
  try {
    const binary = atob(msg.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const blob = new Blob([bytes], { type: msg.mime });
    // (the browser's resize, with its best filter: a large photo to 64×64 as an image program would)
    const bitmap = await createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return { type: 'decodedImage', error: 'this webview has no 2-D canvas' };
    ctx.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, width, height).data;
    return { type: 'decodedImage', width, height, channels, pixels: rgbaToPixels(rgba, width, height, channels) };
  } catch (err) {
    return { type: 'decodedImage', error: `it is not a picture the browser can decode (${err instanceof Error ? err.message : String(err)})` };
  }
}
