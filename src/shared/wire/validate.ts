// The checks of untrusted messages (from a webview): plain predicates the message guards are
// written with. No vscode, DOM or node imports.

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isInt(v: unknown, min = -Infinity, max = Infinity): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function isPositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

export function oneOf<T extends string>(v: unknown, values: readonly T[]): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

/** Only these keys: an unknown key makes a message malformed. */
export function onlyKeys(o: Obj, keys: string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

/**
 * The checks of a union of messages, one per `type`: the mapped type makes every message of the
 * union have its check (a new message without one does not compile), and `checker` derives the
 * guard of the whole union from the table (an unknown type is malformed).
 */
export type Checks<M extends { type: string }> = { [K in M['type']]: (msg: Obj) => boolean };

export function checker<M extends { type: string }>(checks: Checks<M>): (msg: unknown) => msg is M {
  return (msg: unknown): msg is M => isObject(msg) && typeof msg.type === 'string' && Object.hasOwn(checks, msg.type) && checks[msg.type as M['type']](msg);
}

/** A check of a message that has no field but `type`. */
export const typeOnly = (msg: Obj): boolean => onlyKeys(msg, ['type']);
