// The form controls the layer list and the settings share: VS Code's text fields and selects
// (vscode-elements), and committing a field as one designer edit.

import type { NetworkEdit } from '../src/shared/model/edits';
import { h } from './dom';

export type Select = HTMLElement & { value: string; disabled: boolean };
export type Checkbox = HTMLElement & { checked: boolean; disabled: boolean };
export type Button = HTMLElement & { disabled: boolean };
/** a vscode-textfield */
export type TextField = HTMLElement & { value: string; invalid: boolean };

export function textField(attrs: Record<string, string>, value: string): TextField {
  const el = h('vscode-textfield', { spellcheck: 'false', ...attrs }) as TextField;
  el.value = value;
  el.dataset.committed = value;
  return el;
}

export function selectEl(options: readonly string[], value: string, attrs: Record<string, string>, invalidText?: string): Select {
  const el = h('vscode-single-select', attrs) as Select;
  // a value the spec has but the list does not (a typo): shown as it is, not as the first option
  if (!options.includes(value)) el.append(h('vscode-option', { value: '', disabled: true }, invalidText ? `${invalidText} (unknown)` : '—'));
  for (const option of options) el.append(h('vscode-option', { value: option }, option));
  el.value = value;
  return el;
}

/** Commit a field on Enter, change and blur as the edit `parse` makes of it; Escape restores the document's value. */
export function commitOn(field: TextField, parse: (text: string) => NetworkEdit | undefined, rule: string, edit: (e: NetworkEdit) => void): void {
  const invalid = (on: boolean): void => {
    field.invalid = on;
    if (on) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
    field.title = on ? rule : '';
  };
  const commit = (): void => {
    const text = field.value;
    if (text === field.dataset.committed) {
      invalid(false);
      return;
    }
    const e = parse(text);
    if (!e) {
      invalid(true);
      return;
    }
    invalid(false);
    // sent once: the new state resets `committed`
    field.dataset.committed = text;
    edit(e);
  };
  field.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      field.value = field.dataset.committed ?? '';
      invalid(false);
    }
  });
  field.addEventListener('change', commit);
  field.addEventListener('blur', commit);
  field.addEventListener('input', () => {
    if (field.invalid && parse(field.value)) invalid(false);
  });
}

/** Rebuilds inside `container` and puts the focus (and text being typed) back. */
export function preservingFocus(container: HTMLElement, rebuild: () => void): void {
  // (a vscode-textfield is the active element while its inner input has the focus)
  const active = document.activeElement as (HTMLElement & { value?: unknown }) | null;
  const key = active && container.contains(active) ? active.dataset.key : undefined;
  let typed: string | undefined;
  if (active && typeof active.value === 'string' && active.value !== active.dataset.committed) typed = active.value;
  rebuild();
  if (!key) return;
  const next = container.querySelector<HTMLElement & { value?: unknown }>(`[data-key="${CSS.escape(key)}"]`);
  if (!next) return;
  if (typed !== undefined && typeof next.value === 'string') next.value = typed;
  next.focus({ preventScroll: true });
}

export function severityIcon(severity: string): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info';
}
