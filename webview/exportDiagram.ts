// Export of the diagram: a standalone SVG (every themed colour resolved to a concrete value,
// so the file looks the same outside VS Code) and a PNG drawn from it at 2x.

const PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
] as const;

function copyStyles(source: Element, target: Element): void {
  const style = getComputedStyle(source);
  for (const prop of PROPERTIES) {
    const value = style.getPropertyValue(prop);
    if (value) target.setAttribute(prop, value);
  }
  const display = style.getPropertyValue('display');
  if (display === 'none') target.setAttribute('display', 'none');
  const sourceChildren = Array.from(source.children);
  const targetChildren = Array.from(target.children);
  sourceChildren.forEach((child, i) => {
    if (targetChildren[i]) copyStyles(child, targetChildren[i]);
  });
}

/** The diagram as standalone SVG text, on the editor background. */
export function diagramSvgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  copyStyles(svg, clone);
  // interaction-only parts are not part of the picture
  clone.querySelectorAll('.hit, title, .column-selected').forEach((el) => el.remove());
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  clone.removeAttribute('data-testid');
  clone.removeAttribute('role');
  clone.querySelectorAll('[class]').forEach((el) => el.removeAttribute('class'));
  clone.querySelectorAll('[data-layer]').forEach((el) => el.removeAttribute('data-layer'));
  const [, , width, height] = (svg.getAttribute('viewBox') ?? '0 0 300 200').split(/\s+/).map(Number);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const background = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
  const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('x', '0');
  rect.setAttribute('y', '0');
  rect.setAttribute('width', String(width));
  rect.setAttribute('height', String(height));
  rect.setAttribute('fill', background);
  clone.insertBefore(rect, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

/** The diagram as a PNG data URL at `scale` times its size. */
export async function diagramPngDataUrl(svg: SVGSVGElement, scale = 2): Promise<string> {
  const text = diagramSvgText(svg);
  const [, , width, height] = (svg.getAttribute('viewBox') ?? '0 0 300 200').split(/\s+/).map(Number);
  const image = new Image();
  image.width = width;
  image.height = height;
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the SVG could not be drawn'));
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}
