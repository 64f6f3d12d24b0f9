import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../src/core/redact.js';

describe('redact', () => {
  it('replaces every occurrence of each secret, deeply, in keys and values', () => {
    const body = {
      error: { message: 'Bearer tok_12345 is invalid', echo: ['tok_12345', { pw: 'hunter22' }] },
      tok_12345: 1,
    };
    const out = redact(body, ['tok_12345', 'hunter22']);
    expect(JSON.stringify(out)).not.toContain('tok_12345');
    expect(JSON.stringify(out)).not.toContain('hunter22');
    expect(out.error.message).toBe(`Bearer ${REDACTED} is invalid`);
  });

  it('does not mutate its input and leaves non-strings alone', () => {
    const body = { n: 1, b: true, s: 'secret-value', nil: null };
    const copy = structuredClone(body);
    const out = redact(body, ['secret-value']);
    expect(body).toEqual(copy);
    expect(out).toEqual({ n: 1, b: true, s: REDACTED, nil: null });
  });

  it('ignores secrets too short to search for safely', () => {
    expect(redact('a b c', ['a'])).toBe('a b c');
  });
});

describe('redact: short secrets and encodings', () => {
  it('replaces a 3-character secret anywhere (the old floor was 4)', () => {
    expect(redact('pin abc echoed', ['abc'])).toBe(`pin ${REDACTED} echoed`);
  });

  it('replaces a 1-2 character secret only where a whole string equals it', () => {
    expect(redact({ password: 'x', note: 'xylophone', x: 'x' }, ['x'])).toEqual({
      password: REDACTED,
      note: 'xylophone',
      [REDACTED]: REDACTED,
    });
  });

  it.each([
    ['JSON-escaped', 'echo "p\\"w\\\\d\\u00e9"'],
    ['URL-encoded', 'q=p%22w%5Cd%C3%A9'],
    ['form-encoded with lower-case hex', 'q=p%22w%5cd%c3%a9'],
    ['HTML-escaped', 'value=p&quot;w\\d&#233;'],
    ['HTML hex references', 'value=p&#x22;w&#X5C;d&#xE9;'],
  ])('replaces a secret echoed %s', (_name, text) => {
    const out = redact(text, ['p"w\\dé']);
    expect(out).toContain(REDACTED);
    // Nothing of the secret is left outside the marker.
    expect(out.split(REDACTED).join('')).not.toMatch(/p|w|d/);
  });

  it('replaces a space echoed as + in a form', () => {
    expect(redact('password=my+secret+pw&x=1', ['my secret pw'])).toBe(`password=${REDACTED}&x=1`);
  });
});

describe('redact: __proto__ in a server-chosen body', () => {
  it('keeps a `__proto__` key as own data, never as the prototype', () => {
    const body = JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":{"code":"X"}}}');
    const out = redact(body, ['some-secret']) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.a)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    // biome-ignore lint/suspicious/noProto: reading the own data property named __proto__ is the point.
    expect(out.__proto__).toEqual({ polluted: true });
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect((out.a as { code?: unknown }).code).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
