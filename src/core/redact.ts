/**
 * Scrubs secrets out of anything we attach to an error. A provider (or a proxy in front of
 * it) can echo a request back — the bearer token, a password field — and an error object
 * ends up in logs, so everything taken from a response passes through here first.
 *
 * An echo is not always verbatim: a JSON encoder escapes `"`, `\` and (sometimes) every
 * non-ASCII character, a query string percent-encodes, an HTML error page entity-escapes. So
 * each secret is searched as a pattern in which every character may appear raw or in any of
 * those encodings (mixed freely, hex digits in either case).
 */

export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this (in characters) are replaced only where a whole string equals
 * them: replacing every occurrence of one or two letters would wreck the text around them.
 */
const MIN_SECRET_LENGTH = 3;
const MAX_DEPTH = 20;

const encoder = new TextEncoder();
/**
 * Regex source of the other spellings of characters that JSON escapers (`\"`, `\\`, `\n`, …,
 * and `\/`, as PHP writes it) and HTML escapers (named entities) rewrite.
 */
const ESCAPED: Record<string, string> = {
  '"': '\\\\"|&quot;',
  '\\': '\\\\\\\\',
  '/': '\\\\/',
  '\b': '\\\\b',
  '\f': '\\\\f',
  '\n': '\\\\n',
  '\r': '\\\\r',
  '\t': '\\\\t',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  ' ': '\\+',
};

/** Returns a copy of `value` with every occurrence of each secret replaced by `[redacted]`. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const given = secrets.filter((s) => typeof s === 'string' && s !== '');
  if (given.length === 0) return value;
  // Longest first, so that a secret containing another is replaced whole.
  const long = given.filter((s) => [...s].length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const pattern = long.length > 0 ? new RegExp(long.map(secretPattern).join('|'), 'g') : undefined;
  const text = (s: string) => (given.includes(s) ? REDACTED : pattern ? s.replace(pattern, REDACTED) : s);
  return scrub(value, text, 0) as T;
}

function scrub(value: unknown, text: (s: string) => string, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => scrub(v, text, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // Defined, not assigned: `out['__proto__'] = x` would make `x` the prototype of `out`,
    // and an error body's keys are the server's to choose. Defined, the key stays own data.
    Object.defineProperty(out, text(key), {
      value: scrub(v, text, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Regex source matching `secret` with each character raw or encoded (see the file comment). */
function secretPattern(secret: string): string {
  return [...secret].map(charPattern).join('');
}

/** Hex digits of `n`, each letter matching either case. */
const hex = (n: number, width: number) =>
  n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);

function charPattern(char: string): string {
  const point = char.codePointAt(0) as number;
  return `(?:${[
    char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'),
    // JSON: `\uXXXX` per UTF-16 unit.
    char.replace(/[\s\S]/g, (unit) => `\\\\u${hex(unit.charCodeAt(0), 4)}`),
    // URL: `%XX` per UTF-8 byte (and, from ESCAPED, `+` for a space in a form).
    [...encoder.encode(char)].map((byte) => `%${hex(byte, 2)}`).join(''),
    // HTML: numeric character references.
    `&#(?:0*${point}|[xX]0*${hex(point, 1)});`,
    ...(ESCAPED[char] ? [ESCAPED[char]] : []),
  ].join('|')})`;
}
