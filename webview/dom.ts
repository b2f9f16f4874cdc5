// Small DOM helpers: elements from tag + attributes + children, no innerHTML with data.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** Replaces the children, skipping null/false. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Appends, skipping null/false. */
export function add(el: Element, ...children: Child[]): void {
  append(el, children);
}

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
}

export function icon(name: string, label?: string): HTMLElement {
  const el = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });
  return el;
}

/** A toolbar-style icon button (like VS Code's action bar). */
export function iconButton(name: string, label: string, attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'icon-button', title: label, 'aria-label': label, ...attrs }, icon(name));
}

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function formatCost(cost: number | undefined): string {
  if (cost === undefined || !Number.isFinite(cost)) return '–';
  if (cost !== 0 && Math.abs(cost) < 1e-3) return cost.toExponential(3);
  return cost.toFixed(4);
}

export function formatPercent(x: number | null | undefined): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(1)}%`;
}

/** An accuracy as `nnspec sweep` prints it: `90.75 %`, or `–`. */
export function percentText(x: number | null | undefined): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(2)} %`;
}

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Coalesces calls (progress at 20+ Hz) into one call per animation frame, with the latest argument. */
export function perFrame<T>(paint: (value: T) => void): (value: T) => void {
  let frame: number | undefined;
  let pending: T;
  return (value) => {
    pending = value;
    if (frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      paint(pending);
    });
  };
}
