// Text for messages: tokens quoted short and safe, counts with thousands separators. Linear in
// what they print, whatever the input.

/** The longest a message quotes of a token or a value before it cuts (with an ellipsis). */
export const QUOTE_LIMIT = 40;

/**
 * A token's text as a message quotes it: at most QUOTE_LIMIT characters (then `…`), control
 * characters written as \uXXXX, never half of a surrogate pair.
 */
export function quoted(text: string, limit = QUOTE_LIMIT): string {
  let cut = text;
  if (text.length > limit) {
    let end = limit - 1;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    cut = text.slice(0, end) + '…';
  }
  let out = '';
  let from = 0;
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    if (code < 32 || (code >= 0x7f && code <= 0x9f)) {
      out += cut.slice(from, i) + '\\u' + code.toString(16).padStart(4, '0');
      from = i + 1;
    }
  }
  return from === 0 ? cut : out + cut.slice(from);
}

/**
 * A whole number with thousands separators, as en-US writes it (`3,999,997`), without the
 * cost of toLocaleString (which is slow enough to matter on 200,000 layers). Other numbers
 * are written as String writes them.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return (n < 0 ? '-' : '') + out;
}
