// The signature header is split directly when it needs no decoding (no `%`, `+` or leading `?`),
// and read through URLSearchParams otherwise. Both must read any header alike. Strings are well
// formed: URLSearchParams replaces a lone surrogate with U+FFFD, which changes no outcome (no such
// value is valid unix seconds or hex, and `alg` is only tested for presence).
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { headerParams } from '../../src/anzu/webhook-signature.js';

const viaUrlSearchParams = (text: string) => {
  const params = new URLSearchParams(text);
  return { ts: params.get('ts'), v: params.get('v'), alg: params.get('alg'), sig: params.getAll('sig') };
};

// Headers as lists of parameters (repeated names, empty parts, a name without `=`, a value with
// `=` in it), with values and stray text that may or may not need decoding.
const name = fc.constantFrom('ts', 'v', 'alg', 'sig', 'Ts', 's', '', 't%73', 'v+');
const text = fc.oneof(
  fc.constantFrom('1', '1700000000', 'ab'.repeat(32), '=', '==', '%3D', '%26', '%', '+', '?', ' ', 'é'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const value = fc.array(text, { maxLength: 3 }).map((parts) => parts.join(''));
const param = fc.oneof(
  fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
  name,
  text,
);
const header = fc
  .tuple(fc.constantFrom('', '', '', '?'), fc.array(param, { maxLength: 6 }))
  .map(([start, params]) => start + params.join('&'));

it('reads every header as URLSearchParams does, on both the direct and the decoding path', () => {
  fc.assert(
    fc.property(header, (text) => {
      expect(headerParams(text)).toEqual(viaUrlSearchParams(text));
    }),
    { numRuns: 2_000 },
  );
});

it('takes the direct path for the header Anzu sends', () => {
  const text = `ts=1700000000&v=1&sig=${'ab'.repeat(32)}&sig=${'cd'.repeat(32)}`;
  expect(headerParams(text)).toEqual({ ts: '1700000000', v: '1', alg: null, sig: ['ab'.repeat(32), 'cd'.repeat(32)] });
});
