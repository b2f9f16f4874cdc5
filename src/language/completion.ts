// Completion by context: statements at the start of a line, then the words each statement takes.

import { ACTIVATIONS, GENERATORS, LOSSES } from '../shared/model/spec';
import { isSpaceCode, scanLine } from './scanner';
import type { Position } from './types';
import { ACTIVATION_DOCS, DATA_KEYS, GENERATOR_DOCS, INIT_DOCS, LOSS_DOCS, STATEMENTS } from './vocabulary';

export type CompletionKind = 'keyword' | 'value' | 'property' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** VS Code snippet text; when absent the label is inserted */
  snippet?: string;
}

export function completionsAt(lineText: string, position: Position): CompletionItem[] {
  const before = lineText.slice(0, position.character);
  const scanned = scanLine(before, position.line);
  // in a comment (a '#' the scanner sees as one: not a '#' inside a quoted path), or inside a
  // string, which the host completes as a file path
  if (scanned.comment || scanned.unterminatedString !== undefined) return [];
  const tokens = scanned.tokens;
  const endsWithSpace = before.length === 0 || isSpaceCode(before.charCodeAt(before.length - 1));
  const typing = endsWithSpace ? undefined : tokens[tokens.length - 1];
  // in the value of a key=value pair (`x=` and after): values have no suggestions, and the keys
  // must not be offered again
  if (typing?.kind === 'pair' && position.character >= (typing.valueStart ?? Infinity)) return [];
  // the words already complete before the one being typed
  const done = endsWithSpace ? tokens : tokens.slice(0, -1);
  if (done.length === 0) {
    return STATEMENTS.map((s) => ({ label: s.name, kind: 'keyword', detail: s.syntax, documentation: s.doc, snippet: s.snippet }));
  }
  const keyword = done[0].text;
  const argIndex = done.length - 1; // index of the argument being typed
  switch (keyword) {
    case 'dense':
      if (argIndex === 1) {
        return ACTIVATIONS.map((a) => ({
          label: a,
          kind: 'value',
          detail: ACTIVATION_DOCS[a].formula,
          documentation: ACTIVATION_DOCS[a].note,
        }));
      }
      return [];
    case 'loss':
      return argIndex === 0
        ? LOSSES.map((l) => ({ label: l, kind: 'value', detail: LOSS_DOCS[l].formula, documentation: LOSS_DOCS[l].note }))
        : [];
    case 'init':
      if (argIndex !== 0) return [];
      return [
        { label: 'random', kind: 'value', detail: 'random 0.01', documentation: INIT_DOCS.random, snippet: 'random ${1:0.01}' },
        { label: 'xavier', kind: 'value', documentation: INIT_DOCS.xavier },
        { label: 'he', kind: 'value', documentation: INIT_DOCS.he },
        { label: 'zeros', kind: 'value', documentation: INIT_DOCS.zeros },
      ];
    case 'data': {
      if (argIndex === 0) {
        return [
          { label: 'train', kind: 'value', documentation: 'The training set.' },
          { label: 'test', kind: 'value', documentation: 'The test set (accuracy only, never trained on).' },
        ];
      }
      if (argIndex === 1) {
        return GENERATORS.map((g) => ({ label: g, kind: 'value', detail: 'generated, 2 features', documentation: GENERATOR_DOCS[g] }));
      }
      const source = done[2];
      const keys = source?.kind === 'string' ? fileKeys(source.value ?? '') : ['m', 'noise', 'seed', 'scale'];
      const used = new Set(done.slice(3).map((t) => t.key));
      return DATA_KEYS.filter((k) => keys.includes(k.name) && !used.has(k.name)).map((k) => ({
        label: `${k.name}=`,
        kind: 'property',
        detail: k.syntax,
        documentation: k.doc,
        snippet: `${k.name}=\${1}`,
      }));
    }
    default:
      return [];
  }
}

/** The keys a data file takes: x= and y= for HDF5, label= for CSV, scale= for both. */
function fileKeys(path: string): string[] {
  const lower = path.toLowerCase();
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return ['x', 'y', 'scale'];
  if (lower.endsWith('.csv')) return ['label', 'scale'];
  return ['scale'];
}
