// What a line that does not parse is probably meant as, so that the checks of the rest of the
// file neither fire for what it may provide nor renumber the layers after it.

import { ACTIVATIONS, MAX_UNITS, type Split } from '../shared/model/spec';
import { isNumberText, parseNumber } from '../shared/model/numbers';
import { scanLine, toStatement } from './scanner';
import type { Statement, Token } from './types';
import { STATEMENT_NAMES, didYouMean } from './vocabulary';
import type { LayerNode, UnreadLine } from './parser';

/** What a line that does not parse is probably meant as (see meantStatement). */
export interface Guess {
  meant?: string;
  /** for a line meant as `dense`: the tokens that read as its units and activation */
  unitsToken?: Token;
  activationToken?: Token;
}

function isActivationLike(token: Token | undefined): boolean {
  if (token?.kind !== 'word') return false;
  return (ACTIVATIONS as readonly string[]).includes(token.text) || didYouMean(token.text, ACTIVATIONS) !== undefined;
}

/**
 * The statement a line that does not parse is probably meant as: its keyword or the keyword's
 * "did you mean"; else what its words look like: `train`/`test` first (`dat train flower`:
 * data), a number followed by an activation (`se 1 sigmoid`, `de nse 4 relu`: dense), a
 * keyword after a stray word (`a dense 4 relu`), the text of an unterminated string that opens
 * the line (`"dense 4 relu`), the first word joined to the comment that is all that follows
 * it or to the string right after it (`d#ense 4 relu`, `d"ense 4 relu`). Undefined when nothing
 * tells: it may be meant as any statement. Only tokens count, never the white space between
 * them, so that formatting does not change the guess.
 */
export function meantStatement(statement: Statement): Guess {
  const guess = guessFrom(statement);
  if (guess.meant) return guess;
  const { keyword, args, comment } = statement;
  if (keyword.kind !== 'word') return guess;
  // a '#' or '"' typed into the first word took the rest of the line
  const rest = args.length === 0 && comment ? comment.text.slice(1) : args[0]?.kind === 'string' ? (args[0].value ?? '') : undefined;
  if (rest === undefined) return guess;
  const inner = toStatement(scanLine(keyword.text + rest, statement.line));
  const second = inner ? guessFrom(inner) : {};
  if (!second.meant) return guess;
  // what the joined words say, at the place they were written
  const at = args[0] ?? keyword;
  const moved = (t: Token | undefined): Token | undefined => t && { ...t, start: at.start, end: at.end };
  return { meant: second.meant, unitsToken: moved(second.unitsToken), activationToken: moved(second.activationToken) };
}

function guessFrom(statement: Statement): Guess {
  const { keyword, args } = statement;
  const known = (word: string): string | undefined => (STATEMENT_NAMES.includes(word) ? word : didYouMean(word, STATEMENT_NAMES));
  if (keyword.kind === 'word') {
    const meant = known(keyword.text);
    if (meant) return { meant, unitsToken: args[0], activationToken: args[1] };
    // a keyword run into what follows it (`densea1 relu`, `seed12`)
    const prefix = STATEMENT_NAMES.find((name) => keyword.text.startsWith(name));
    if (prefix) return { meant: prefix, activationToken: args[0] };
  }
  if (keyword.kind === 'pair' && keyword.key) {
    // `dense=4 tanh`: an '=' for the space
    const meant = known(keyword.key);
    const value = keyword.pairValue ?? '';
    const start = keyword.valueStart ?? keyword.end;
    const unitsToken: Token = { kind: isNumberText(value) ? 'number' : 'word', text: value, line: keyword.line, start, end: keyword.end };
    if (meant) return { meant, unitsToken, activationToken: args[0] };
  }
  if (keyword.kind === 'string') {
    // a quote typed before the statement: read what is inside it
    const inner = toStatement(scanLine(keyword.value ?? '', statement.line));
    if (inner && inner.keyword.kind === 'word') {
      const guess = guessFrom(inner);
      // its tokens' columns are not the line's: keep what they say, not where they are
      if (guess.meant) return { meant: guess.meant, unitsToken: guess.unitsToken && { ...guess.unitsToken, start: keyword.start, end: keyword.end } };
    }
  }
  const first = args[0];
  if (first && (first.text === 'train' || first.text === 'test')) return { meant: 'data' };
  for (let k = 0; k + 1 < args.length && k < 8; k++) {
    if (args[k].kind === 'number' && isActivationLike(args[k + 1])) return { meant: 'dense', unitsToken: args[k], activationToken: args[k + 1] };
  }
  if (first?.kind === 'word' && STATEMENT_NAMES.includes(first.text)) return { meant: first.text, unitsToken: args[1], activationToken: args[2] };
  return {};
}

/** A layer for a line meant as `dense` (see LayerNode.unread): its units when they read as a number. */
export function unreadLayer(statement: Statement, index: number, why: UnreadLine['why'], guess: Guess): LayerNode {
  const { unitsToken, activationToken } = guess;
  const value = unitsToken?.kind === 'number' ? parseNumber(unitsToken.text) : NaN;
  const units = Number.isInteger(value) && value > 0 && value <= MAX_UNITS ? value : undefined;
  return { index, statement, unitsToken, activationToken, units, activation: undefined, unread: why };
}

/** The split a word is (or probably means). */
export function meantSplit(word: string): Split | undefined {
  if (word === 'train' || word === 'test') return word;
  return didYouMean(word, ['train', 'test']) as Split | undefined;
}
