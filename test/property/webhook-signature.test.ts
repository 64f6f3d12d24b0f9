/**
 * verifyAnzuWebhook against signAnzuWebhook, for random secrets, bodies and timestamps: what
 * one signs the other accepts, and any single change to the body, the signed timestamp, the
 * signature or the secret is refused with the right code.
 *
 * Strings are generated well-formed (no lone UTF-16 surrogates): the HMAC covers the UTF-8
 * bytes, and UTF-8 encodes every lone surrogate as U+FFFD, so two ill-formed strings can
 * share bytes and a signature. A body read from HTTP (`request.text()`) is always well-formed.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { signAnzuWebhook, verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { WebhookPayloadError, WebhookSignatureError } from '../../src/core/errors.js';
import { useNodeHmac } from '../../src/core/node-crypto-env.js';

const RUNS = { numRuns: 150 };
const encoder = new TextEncoder();

/** No lone surrogate (`\p{Cs}` under the `u` flag matches only unpaired halves). */
const wellFormed = (arb: fc.Arbitrary<string>) => arb.filter((s) => !/\p{Cs}/u.test(s));
// A secret with surrounding whitespace is refused as a copy-paste fault (tested in
// test/anzu/webhook-signature.test.ts), so the valid ones have none.
const secret = wellFormed(fc.string({ unit: 'binary', minLength: 1, maxLength: 64 })).filter(
  (s) => s.trim() !== '' && s.trim() === s,
);
const timestamp = fc.integer({ min: 0, max: 2 ** 40 });
const tolerance = fc.integer({ min: 0, max: 86_400 });

/** A valid event body, serialised with random whitespace (the signature covers exact bytes). */
const eventBody = fc
  .record({
    id: fc.string(),
    kind: fc.constantFrom('ping', 'user_management.user_identity_deleted', 'webhook.created'),
    payload: fc.jsonValue({ maxDepth: 2 }),
    createdAt: fc.string(),
  })
  .chain((event) => fc.constantFrom(0, 2, '\t').map((space) => JSON.stringify(event, null, space)));
/** Any body at all: verification must not care whether it parses. */
const anyBody = fc.oneof(eventBody, wellFormed(fc.string({ unit: 'binary', maxLength: 300 })));

/** Replaces the character at `index` with a different one (by code point, so the result stays well-formed). */
function changeCharAt(text: string, index: number, replacement: string): string | undefined {
  const chars = [...text];
  if (chars.length === 0) return undefined;
  const i = index % chars.length;
  if (chars[i] === replacement) return undefined;
  chars[i] = replacement;
  return chars.join('');
}

function expectCode(error: unknown, code: string): void {
  expect(WebhookSignatureError.is(error), String(error)).toBe(true);
  expect((error as WebhookSignatureError).code).toBe(code);
}

describe('verifyAnzuWebhook (property)', () => {
  it('accepts what signAnzuWebhook signed, as a string or as bytes, at any moment within the tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        eventBody,
        timestamp,
        tolerance,
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.boolean(),
        async (key, body, ts, tol, where, asBytes) => {
          const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
          expect(signature).toMatch(/^ts=\d+&v=1&sig=[0-9a-f]{64}$/);
          const now = ts + Math.trunc(where * tol);
          const payload = asBytes ? encoder.encode(body) : body;
          const event = await verifyAnzuWebhook({ payload, signature, secret: key, now, toleranceSeconds: tol });
          expect(event.id).toBe(JSON.parse(body).id);
        },
      ),
      RUNS,
    );
  });

  it('verifies the signature of any body, then reports an unparseable one as a payload error', async () => {
    await fc.assert(
      fc.asyncProperty(secret, anyBody, timestamp, async (key, body, ts) => {
        const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
        const outcome = await verifyAnzuWebhook({ payload: body, signature, secret: key, now: ts }).catch(
          (e: unknown) => e,
        );
        if (outcome instanceof Error) expect(WebhookPayloadError.is(outcome), String(outcome)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses any one-character change to the body with invalid_signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        anyBody,
        timestamp,
        fc.nat(),
        wellFormed(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        async (key, body, ts, index, replacement) => {
          const changed = changeCharAt(body, index, replacement);
          fc.pre(changed !== undefined);
          const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
          const error = await verifyAnzuWebhook({ payload: changed as string, signature, secret: key, now: ts }).catch(
            (e: unknown) => e,
          );
          expectCode(error, 'invalid_signature');
        },
      ),
      RUNS,
    );
  });

  it('refuses a body with one flipped bit, an extra byte or a missing byte (bytes payload)', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        anyBody,
        timestamp,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom('flip', 'append', 'truncate'),
        async (key, body, ts, index, bit, how) => {
          const bytes = encoder.encode(body);
          fc.pre(how === 'append' || bytes.length > 0);
          let changed: Uint8Array;
          if (how === 'flip') {
            changed = bytes.slice();
            changed[index % bytes.length] = (changed[index % bytes.length] as number) ^ (1 << bit);
          } else if (how === 'append') {
            changed = new Uint8Array([...bytes, bit]);
          } else {
            changed = bytes.slice(0, -1);
          }
          const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
          const error = await verifyAnzuWebhook({ payload: changed, signature, secret: key, now: ts }).catch(
            (e: unknown) => e,
          );
          expectCode(error, 'invalid_signature');
        },
      ),
      RUNS,
    );
  });

  it('refuses a changed timestamp in the header with invalid_signature (the timestamp is signed)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, eventBody, timestamp, fc.integer({ min: -300, max: 300 }), async (key, body, ts, d) => {
        fc.pre(d !== 0 && ts + d >= 0);
        const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
        const forged = signature.replace(`ts=${ts}&`, `ts=${ts + d}&`);
        // Within the tolerance of the forged time, so only the signature can refuse it.
        const error = await verifyAnzuWebhook({ payload: body, signature: forged, secret: key, now: ts + d }).catch(
          (e: unknown) => e,
        );
        expectCode(error, 'invalid_signature');
      }),
      RUNS,
    );
  });

  it('refuses a correctly signed timestamp outside the tolerance, past or future, with timestamp_out_of_tolerance', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        eventBody,
        timestamp,
        tolerance,
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.boolean(),
        async (key, body, ts, tol, beyond, future) => {
          const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
          const now = future ? ts - tol - beyond : ts + tol + beyond;
          const error = await verifyAnzuWebhook({
            payload: body,
            signature,
            secret: key,
            now,
            toleranceSeconds: tol,
          }).catch((e: unknown) => e);
          expectCode(error, 'timestamp_out_of_tolerance');
        },
      ),
      RUNS,
    );
  });

  it('refuses any one-digit change to the signature with invalid_signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        eventBody,
        timestamp,
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 15 }),
        async (key, body, ts, position, delta) => {
          const signature = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
          const hex = signature.slice(signature.indexOf('sig=') + 4);
          const digit = ((Number.parseInt(hex[position] as string, 16) + delta) % 16).toString(16);
          const forged = signature.replace(
            `sig=${hex}`,
            `sig=${hex.slice(0, position)}${digit}${hex.slice(position + 1)}`,
          );
          const error = await verifyAnzuWebhook({ payload: body, signature: forged, secret: key, now: ts }).catch(
            (e: unknown) => e,
          );
          expectCode(error, 'invalid_signature');
        },
      ),
      RUNS,
    );
  });

  it('refuses a body signed with any other secret with invalid_signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        fc.nat(),
        wellFormed(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        eventBody,
        timestamp,
        async (key, index, replacement, body, ts) => {
          const other = changeCharAt(key, index, replacement);
          fc.pre(other !== undefined && other.trim() !== '' && other.trim() === other);
          const signature = await signAnzuWebhook({ payload: body, secret: other as string, timestamp: ts });
          const error = await verifyAnzuWebhook({ payload: body, signature, secret: key, now: ts }).catch(
            (e: unknown) => e,
          );
          expectCode(error, 'invalid_signature');
        },
      ),
      RUNS,
    );
  });

  it('refuses a missing header with missing_signature and malformed ones with invalid_signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        eventBody,
        fc.oneof(fc.constantFrom(null, undefined, '', '   '), fc.string()),
        async (key, body, header) => {
          const error = await verifyAnzuWebhook({ payload: body, signature: header, secret: key }).catch(
            (e: unknown) => e,
          );
          const missing = header === null || header === undefined || header.trim() === '';
          expectCode(error, missing ? 'missing_signature' : 'invalid_signature');
        },
      ),
      RUNS,
    );
  });
});

/** The outcome of one verification, comparable across the two HMAC paths. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (event) => ({ ok: true, event }),
    (error: { code?: string }) => ({ ok: false, code: error.code }),
  );

describe('verifyAnzuWebhook with secret lists (property)', () => {
  afterEach(() => useNodeHmac(true));

  it('accepts any list that contains the signing secret, refuses any list without it, on both paths alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        fc.uniqueArray(secret, { maxLength: 4 }),
        fc.nat(),
        eventBody,
        timestamp,
        async (signing, others, at, body, ts) => {
          const rest = others.filter((s) => s !== signing);
          fc.pre(rest.length > 0);
          const signature = await signAnzuWebhook({ payload: body, secret: signing, timestamp: ts });
          const withIt = [...rest.slice(0, at % (rest.length + 1)), signing, ...rest.slice(at % (rest.length + 1))];
          const results = [];
          for (const fast of [true, false]) {
            useNodeHmac(fast);
            results.push(
              await outcome(verifyAnzuWebhook({ payload: body, signature, secret: withIt, now: ts })),
              await outcome(verifyAnzuWebhook({ payload: encoder.encode(body), signature, secret: rest, now: ts })),
            );
          }
          expect(results[0]).toMatchObject({ ok: true });
          expect(results[1]).toEqual({ ok: false, code: 'invalid_signature' });
          expect(results.slice(2)).toEqual(results.slice(0, 2));
        },
      ),
      RUNS,
    );
  });

  it('signs identically on both paths', async () => {
    await fc.assert(
      fc.asyncProperty(secret, anyBody, timestamp, async (key, body, ts) => {
        useNodeHmac(true);
        const fast = await signAnzuWebhook({ payload: body, secret: key, timestamp: ts });
        useNodeHmac(false);
        expect(await signAnzuWebhook({ payload: encoder.encode(body), secret: key, timestamp: ts })).toBe(fast);
      }),
      RUNS,
    );
  });
});
