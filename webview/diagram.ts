// The network diagram: one column per layer (the input X, then layers 1..L), units as
// circles joined to the previous column, large layers collapsed to a few units, an ellipsis
// and the count. Under each column: the activation and the shapes of W[l], b[l], A[l].
// Colours come from classes in designer.css (theme variables); export resolves them.

import type { Severity } from '../src/shared/model/diagnostics';
import type { Dim, DocumentState, LayerView } from '../src/shared/wire/designer';
import { s } from './dom';

/** At most this many units are drawn per column; larger layers are collapsed. */
export const MAX_DRAWN_UNITS = 8;
const HEAD = 3;
const TAIL = 2;

/** Column width when there is room (and in exports); the view narrows columns to fit. */
export const COLUMN_WIDTH = 88;
/** Narrowest column: below this the diagram scrolls instead (the cat net's five columns fit VS Code's narrowest sidebar, 170 px). */
export const MIN_COLUMN_WIDTH = 26;
/** Below this column width the counts and activations are abbreviated (12k, σ). */
const TINY_WIDTH = 40;
/** Below this column width the shape lines are left out (the layer list shows them). */
const FULL_LABELS_WIDTH = 80;
const UNIT_GAP = 24;
const RADIUS = 8;
const TOP = 40;

export interface DiagramOptions {
  selected: number | null;
  onSelect(layer: number): void;
  /** the width available (CSS px): columns narrow to fit it, down to MIN_COLUMN_WIDTH */
  width?: number;
}

/** Column width for `columns` columns in `width` px (the natural width when unknown). */
export function columnWidthFor(columns: number, width: number | undefined): number {
  if (width === undefined || !(width > 0)) return COLUMN_WIDTH;
  return Math.max(MIN_COLUMN_WIDTH, Math.min(COLUMN_WIDTH, Math.floor(width / Math.max(1, columns))));
}

interface Column {
  layer: number;
  title: string;
  /** the title in a narrow column */
  shortTitle: string;
  /** the number of units, when known */
  units?: number;
  activation: string;
  lines: string[];
  isOutput: boolean;
  isInput: boolean;
  severity?: Severity;
  messages: string[];
}

/** Which unit slots to draw for a layer of n units: indices, with null for the ellipsis. */
export function drawnUnits(n: number | undefined): (number | null)[] {
  if (n === undefined || n <= 0) return [null];
  if (n <= MAX_DRAWN_UNITS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: HEAD }, (_, i) => i);
  const tail = Array.from({ length: TAIL }, (_, i) => n - TAIL + i);
  return [...head, null, ...tail];
}

export function shapeText(shape: readonly Dim[]): string {
  return `(${shape.join(', ')})`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

function columns(doc: DocumentState): Column[] {
  const bySeverity = (layer: number): { severity?: Severity; messages: string[] } => {
    const ds = doc.diagnostics.filter((d) => d.layer === layer && d.severity !== 'hint');
    if (!ds.length) return { messages: [] };
    const worst = ds.reduce((a, b) => (SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a));
    return { severity: worst.severity, messages: ds.map((d) => d.message) };
  };
  const m: Dim = doc.facts.m ?? 'm';
  const input: Column = {
    layer: 0,
    title: 'X',
    shortTitle: 'X',
    units: doc.input.size,
    activation: doc.input.dims ? doc.input.dims.join('×') : 'input',
    lines: [`X ${shapeText([doc.input.size ?? '?', m])}`],
    isOutput: false,
    isInput: true,
    ...bySeverity(0),
  };
  const layers = doc.layers.map(
    (l: LayerView): Column => ({
      layer: l.index,
      title: l.isOutput ? `${l.index} · output` : `layer ${l.index}`,
      shortTitle: String(l.index),
      units: l.units,
      activation: l.activation ?? (l.activationText || '?'),
      lines: [`W ${shapeText(l.W)}`, `b ${shapeText(l.b)}`, `A ${shapeText(l.A)}`],
      isOutput: l.isOutput,
      isInput: false,
      ...bySeverity(l.index),
    }),
  );
  return [input, ...layers];
}

function unitY(slot: number, count: number, height: number): number {
  const span = (count - 1) * UNIT_GAP;
  return TOP + (height - span) / 2 + slot * UNIT_GAP;
}

/** Builds the diagram as an <svg> element. */
export function renderDiagram(doc: DocumentState, options: DiagramOptions): SVGSVGElement {
  const cols = columns(doc);
  const columnWidth = columnWidthFor(cols.length, options.width);
  const full = columnWidth >= FULL_LABELS_WIDTH;
  const slots = cols.map((c) => drawnUnits(c.units));
  const maxSlots = Math.max(...slots.map((x) => x.length), 1);
  const unitsHeight = (maxSlots - 1) * UNIT_GAP;
  const width = cols.length * columnWidth;
  const labelTop = TOP + unitsHeight + 28;
  const height = labelTop + (full ? 58 : 16);
  const svg = s('svg', {
    class: full ? 'diagram' : 'diagram is-compact',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-label': `Network: ${cols.map((c) => c.units ?? '?').join(', ')} units`,
    'data-testid': 'diagram',
    xmlns: 'http://www.w3.org/2000/svg',
  }) as SVGSVGElement;
  svg.style.setProperty('--diagram-width', `${width}px`);

  const cx = (i: number): number => i * columnWidth + columnWidth / 2;
  const positions = slots.map((col) => col.map((_, k) => unitY(k, col.length, unitsHeight)));

  // selection highlight behind everything
  if (options.selected !== null && options.selected < cols.length) {
    const i = options.selected;
    svg.append(s('rect', { class: 'column-selected', x: i * columnWidth + 3, y: 4, width: columnWidth - 6, height: height - 8, rx: 6 }));
  }

  // connections: every drawn unit to every drawn unit of the previous column
  const edges = s('g', { class: 'edges' });
  for (let i = 1; i < cols.length; i++) {
    slots[i].forEach((a, ka) => {
      if (a === null) return;
      slots[i - 1].forEach((b, kb) => {
        if (b === null) return;
        edges.append(s('line', { class: 'edge', x1: cx(i - 1) + RADIUS, y1: positions[i - 1][kb], x2: cx(i) - RADIUS, y2: positions[i][ka] }));
      });
    });
  }
  svg.append(edges);

  cols.forEach((col, i) => {
    const classes = ['column', col.isInput ? 'is-input' : '', col.isOutput ? 'is-output' : '', col.severity ? `has-${col.severity}` : '', options.selected === col.layer ? 'is-selected' : '']
      .filter(Boolean)
      .join(' ');
    const g = s('g', { class: classes, 'data-layer': col.layer });
    g.addEventListener('click', () => options.onSelect(col.layer));
    // a hit area so that clicks between units select the column
    g.append(s('rect', { class: 'hit', x: i * columnWidth, y: 0, width: columnWidth, height }));
    g.append(s('text', { class: 'title', x: cx(i), y: 20, 'text-anchor': 'middle' }, full ? col.title : col.shortTitle));

    slots[i].forEach((unit, k) => {
      const y = positions[i][k];
      if (unit === null) {
        // the collapsed middle: an ellipsis (or a question mark when the size is unknown)
        const label = col.units === undefined ? '?' : '⋮';
        g.append(s('text', { class: 'ellipsis', x: cx(i), y: y + 5, 'text-anchor': 'middle' }, label));
        return;
      }
      if (col.isInput) {
        g.append(s('rect', { class: 'unit', x: cx(i) - RADIUS, y: y - RADIUS, width: RADIUS * 2, height: RADIUS * 2, rx: 3 }));
      } else {
        g.append(s('circle', { class: 'unit', cx: cx(i), cy: y, r: RADIUS }));
        if (col.isOutput) g.append(s('circle', { class: 'unit-ring', cx: cx(i), cy: y, r: RADIUS + 3 }));
      }
    });

    // the count under the column; in a narrow column just the number, in a tiny one abbreviated
    const tiny = columnWidth < TINY_WIDTH;
    const count = col.units === undefined ? '?' : tiny ? compactCount(col.units) : col.units.toLocaleString('en-US');
    const countText = !full ? count : col.isInput ? `n_x = ${count}` : `n[${col.layer}] = ${count}`;
    g.append(s('text', { class: 'count', x: cx(i), y: labelTop - 8, 'text-anchor': 'middle' }, countText));
    const activation = full ? col.activation : col.isInput ? (tiny ? 'X' : 'input') : tiny ? tinyActivation(col.activation) : shortActivation(col.activation);
    g.append(s('text', { class: 'activation', x: cx(i), y: labelTop + 6, 'text-anchor': 'middle' }, activation));
    if (full) {
      col.lines.forEach((line, k) => {
        g.append(s('text', { class: 'shape', x: cx(i), y: labelTop + 21 + k * 12, 'text-anchor': 'middle' }, line));
      });
    }

    if (col.severity) {
      // a marker with the messages on hover: not colour alone
      const mx = cx(i) + columnWidth / 2 - (full ? 14 : 9);
      const marker = s('g', { class: `marker marker-${col.severity}` });
      marker.append(s('circle', { cx: mx, cy: 16, r: 7 }));
      marker.append(s('text', { x: mx, y: 20, 'text-anchor': 'middle' }, col.severity === 'error' ? '!' : col.severity === 'warning' ? '!' : 'i'));
      marker.append(s('title', {}, col.messages.join('\n')));
      g.append(marker);
    }
    g.append(s('title', {}, [col.isInput ? 'Input X' : `Layer ${col.layer}`, ...col.lines, ...col.messages].join('\n')));
    svg.append(g);
  });
  return svg;
}

/** A count in at most 4 characters: 12288 → 12k, 1500000 → 1.5M. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** Activation names for a tiny column (the course's symbols where it has them). */
function tinyActivation(name: string): string {
  return ({ sigmoid: 'σ', tanh: 'tanh', relu: 'relu', leaky_relu: 'lrelu', linear: 'lin' } as Record<string, string>)[name] ?? (name.length > 4 ? `${name.slice(0, 3)}…` : name);
}

/** Activation names short enough for a narrow column. */
export function shortActivation(name: string): string {
  return name === 'leaky_relu' ? 'leaky' : name.length > 8 ? `${name.slice(0, 7)}…` : name;
}
