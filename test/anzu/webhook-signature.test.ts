import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAnzuWebhook, verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { ValidationError, WebhookPayloadError, WebhookSignatureError } from '../../src/core/errors.js';
import { nodeHmac, useNodeHmac } from '../../src/core/node-crypto-env.js';

// PROVIDERS.md's test vector.
const VECTOR = {
  secret: 'my-webhook-secret',
  ts: 1662209363,
  body: '{"id":"evt","kind":"ping","payload":{}}',
  sig: '0638d232366ddb01c03c7354af7b55f95c9151a2216f9b6776679560004aa359',
};
const VECTOR_HEADER = `ts=${VECTOR.ts}&v=1&sig=${VECTOR.sig}`;
const SECRET = 'whsec_very-secret-value-9f8e7d';
const seedText = readFileSync(new URL('./fixtures/seed-2022.json', import.meta.url), 'utf8');

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

/** Everything a log line could show of an error. */
function printed(error: unknown): string {
  const e = error as Error;
  return [e.message, String(e), JSON.stringify(e), e.stack, JSON.stringify(Object.entries(e))].join('\n');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signAnzuWebhook', () => {
  it('reproduces the test vector from PROVIDERS.md', async () => {
    expect(await signAnzuWebhook({ payload: VECTOR.body, secret: VECTOR.secret, timestamp: VECTOR.ts })).toBe(
      VECTOR_HEADER,
    );
  });

  it('signs bytes exactly as the same text', async () => {
    const bytes = new TextEncoder().encode(VECTOR.body);
    expect(await signAnzuWebhook({ payload: bytes, secret: VECTOR.secret, timestamp: VECTOR.ts })).toBe(VECTOR_HEADER);
  });

  it('uses the current time by default', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-05-01T12:00:00.900Z'));
    const header = await signAnzuWebhook({ payload: '{}', secret: SECRET });
    expect(header).toMatch(/^ts=1714564800&v=1&sig=[0-9a-f]{64}$/);
  });

  it('refuses a missing secret, a non-string payload and a bad timestamp, naming each', async () => {
    const error = await rejection(signAnzuWebhook({ payload: { id: 'x' } as never, secret: '', timestamp: 1.5 }));
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['secret', 'payload', 'timestamp']);
  });
});

describe('verifyAnzuWebhook: valid deliveries', () => {
  it('accepts the test vector and returns the parsed event', async () => {
    const event = await verifyAnzuWebhook({
      payload: VECTOR.body,
      signature: VECTOR_HEADER,
      secret: VECTOR.secret,
      now: VECTOR.ts,
    });
    expect(event).toEqual({ id: 'evt', kind: 'ping', payload: {} });
  });

  it('accepts the body as a Uint8Array (and a Node Buffer)', async () => {
    const options = { signature: VECTOR_HEADER, secret: VECTOR.secret, now: VECTOR.ts };
    const fromBytes = await verifyAnzuWebhook({ ...options, payload: new TextEncoder().encode(VECTOR.body) });
    const fromBuffer = await verifyAnzuWebhook({ ...options, payload: Buffer.from(VECTOR.body) });
    expect(fromBytes).toEqual({ id: 'evt', kind: 'ping', payload: {} });
    expect(fromBuffer).toEqual(fromBytes);
  });

  it('verifies bytes that are not ASCII without re-encoding them', async () => {
    const body = JSON.stringify({
      id: 'e',
      kind: 'user_management.user_identity_created',
      payload: { provisionedWith: 'email', identity: { id: 'i', provider: 'google', fullName: 'Zoë Ødegård 李' } },
    });
    const signature = await signAnzuWebhook({ payload: body, secret: SECRET, timestamp: 1000 });
    const event = await verifyAnzuWebhook({
      payload: new TextEncoder().encode(body),
      signature,
      secret: SECRET,
      now: 1000,
    });
    expect(event.kind === 'user_management.user_identity_created' && event.payload.identity.fullName).toBe(
      'Zoë Ødegård 李',
    );
  });

  it('verifies the seed webhook and normalises it', async () => {
    const signature = await signAnzuWebhook({ payload: seedText, secret: SECRET, timestamp: 1662209363 });
    const event = await verifyAnzuWebhook({ payload: seedText, signature, secret: SECRET, now: 1662209400 });
    expect(event.kind).toBe('user_management.user_identity_created');
  });

  it('accepts the legacy alg= header instead of v=1', async () => {
    const legacy = `ts=${VECTOR.ts}&alg=sha256&sig=${VECTOR.sig}`;
    await expect(
      verifyAnzuWebhook({ payload: VECTOR.body, signature: legacy, secret: VECTOR.secret, now: VECTOR.ts }),
    ).resolves.toMatchObject({ kind: 'ping' });
  });

  it('accepts the parameters in any order, with surrounding spaces and an upper-case signature', async () => {
    const header = `  sig=${VECTOR.sig.toUpperCase()}&v=1&ts=${VECTOR.ts} `;
    await expect(
      verifyAnzuWebhook({ payload: VECTOR.body, signature: header, secret: VECTOR.secret, now: VECTOR.ts }),
    ).resolves.toMatchObject({ kind: 'ping' });
  });

  it('keeps verifying correctly with more secrets than its key cache holds', async () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-${i}`);
    for (const round of [0, 1]) {
      for (const secret of secrets) {
        const signature = await signAnzuWebhook({ payload: VECTOR.body, secret, timestamp: 50 + round });
        await expect(verifyAnzuWebhook({ payload: VECTOR.body, signature, secret, now: 50 })).resolves.toBeDefined();
        const wrong = await rejection(
          verifyAnzuWebhook({ payload: VECTOR.body, signature, secret: `${secret}x`, now: 50 }),
        );
        expect(wrong.code).toBe('invalid_signature');
      }
    }
  });
});

describe('verifyAnzuWebhook: refused deliveries', () => {
  const verify = (overrides: Partial<Parameters<typeof verifyAnzuWebhook>[0]>) =>
    rejection(
      verifyAnzuWebhook({
        payload: VECTOR.body,
        signature: VECTOR_HEADER,
        secret: VECTOR.secret,
        now: VECTOR.ts,
        ...overrides,
      }),
    );

  it('refuses a signature made with another secret', async () => {
    const error = await verify({ secret: 'not-the-secret' });
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toMatch(/does not match/);
  });

  it('refuses a body changed after signing (even by whitespace)', async () => {
    expect((await verify({ payload: VECTOR.body.replace('evt', 'evu') })).code).toBe('invalid_signature');
    expect((await verify({ payload: `${VECTOR.body}\n` })).code).toBe('invalid_signature');
    expect((await verify({ payload: JSON.stringify(JSON.parse(VECTOR.body), null, 2) })).code).toBe(
      'invalid_signature',
    );
  });

  it('refuses a signature replayed with another timestamp', async () => {
    const error = await verify({ signature: `ts=${VECTOR.ts + 1}&v=1&sig=${VECTOR.sig}`, now: VECTOR.ts });
    expect(error.code).toBe('invalid_signature');
  });

  it.each([null, undefined, '', '   '])('reports a missing header (%j) as missing_signature', async (signature) => {
    const error = await verify({ signature });
    expect(WebhookSignatureError.is(error)).toBe(true);
    expect(error.code).toBe('missing_signature');
    expect(error.message).toContain('anzu-signature');
  });

  it.each([
    ['no ts', `v=1&sig=${VECTOR.sig}`, /`ts`/],
    ['a ts that is not a number', `ts=yesterday&v=1&sig=${VECTOR.sig}`, /`ts`/],
    ['a negative ts', `ts=-5&v=1&sig=${VECTOR.sig}`, /`ts`/],
    ['no sig', `ts=${VECTOR.ts}&v=1`, /`sig`/],
    ['an empty sig', `ts=${VECTOR.ts}&v=1&sig=`, /`sig`/],
    ['a sig that is not hex', `ts=${VECTOR.ts}&v=1&sig=${'z'.repeat(64)}`, /`sig`/],
    ['a truncated sig', `ts=${VECTOR.ts}&v=1&sig=${VECTOR.sig.slice(0, 62)}`, /`sig`/],
    ['a base64 sig', `ts=${VECTOR.ts}&v=1&sig=${Buffer.from(VECTOR.sig, 'hex').toString('base64')}`, /`sig`/],
    ['v=2', `ts=${VECTOR.ts}&v=2&sig=${VECTOR.sig}`, /v=2/],
    ['v=0', `ts=${VECTOR.ts}&v=0&sig=${VECTOR.sig}`, /only v=1/],
    ['neither v nor alg', `ts=${VECTOR.ts}&sig=${VECTOR.sig}`, /v=1/],
    ['an empty alg', `ts=${VECTOR.ts}&alg=&sig=${VECTOR.sig}`, /v=1/],
    ['garbage', 'Bearer abc.def', /`ts`/],
    ['a Stripe-style header', `t=${VECTOR.ts},v1=${VECTOR.sig}`, /`ts`/],
  ])('refuses a header with %s as invalid_signature', async (_case, signature, why) => {
    const error = await verify({ signature });
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toMatch(/malformed/);
    expect(error.message).toMatch(why);
  });

  describe('timestamp tolerance (default 300 s, both directions)', () => {
    it('accepts exactly 300 s old and exactly 300 s ahead', async () => {
      const base = { payload: VECTOR.body, signature: VECTOR_HEADER, secret: VECTOR.secret };
      await expect(verifyAnzuWebhook({ ...base, now: VECTOR.ts + 300 })).resolves.toBeDefined();
      await expect(verifyAnzuWebhook({ ...base, now: VECTOR.ts - 300 })).resolves.toBeDefined();
    });

    it('refuses 301 s old and 301 s ahead, with distinct messages', async () => {
      const old = await verify({ now: VECTOR.ts + 301 });
      const ahead = await verify({ now: VECTOR.ts - 301 });
      expect(old.code).toBe('timestamp_out_of_tolerance');
      expect(ahead.code).toBe('timestamp_out_of_tolerance');
      expect(old.message).toMatch(/301 s old/);
      expect(ahead.message).toMatch(/301 s in the future/);
      expect(old.message).not.toBe(ahead.message);
    });

    it('uses the system clock when `now` is not given', async () => {
      vi.useFakeTimers();
      const base = { payload: VECTOR.body, signature: VECTOR_HEADER, secret: VECTOR.secret };
      vi.setSystemTime((VECTOR.ts + 300) * 1000 + 999);
      await expect(verifyAnzuWebhook(base)).resolves.toBeDefined();
      vi.setSystemTime((VECTOR.ts + 301) * 1000);
      expect((await rejection(verifyAnzuWebhook(base))).message).toMatch(/old/);
      vi.setSystemTime((VECTOR.ts - 301) * 1000);
      expect((await rejection(verifyAnzuWebhook(base))).message).toMatch(/future/);
    });

    it('honours a custom toleranceSeconds', async () => {
      await expect(
        verifyAnzuWebhook({
          payload: VECTOR.body,
          signature: VECTOR_HEADER,
          secret: VECTOR.secret,
          now: VECTOR.ts + 10,
          toleranceSeconds: 10,
        }),
      ).resolves.toBeDefined();
      const error = await verify({ now: VECTOR.ts + 11, toleranceSeconds: 10 });
      expect(error.message).toMatch(/11 s old, more than the 10 s tolerance/);
      expect((await verify({ now: VECTOR.ts + 1, toleranceSeconds: 0 })).code).toBe('timestamp_out_of_tolerance');
    });

    it('reports a bad signature rather than the age when both are wrong', async () => {
      expect((await verify({ now: VECTOR.ts + 10_000, secret: 'other' })).code).toBe('invalid_signature');
    });
  });

  it('verifies first, then parses: a correctly signed bad body is a WebhookPayloadError', async () => {
    const body = '{"kind":"ping"}';
    const signature = await signAnzuWebhook({ payload: body, secret: SECRET, timestamp: 100 });
    const error = await rejection(verifyAnzuWebhook({ payload: body, signature, secret: SECRET, now: 100 }));
    expect(WebhookPayloadError.is(error)).toBe(true);
    expect((error as WebhookPayloadError).issues).toEqual([{ path: 'id', message: 'is required' }]);

    // The same bad body with a bad signature never reaches the parser.
    const unsigned = await rejection(
      verifyAnzuWebhook({ payload: 'not even json', signature, secret: SECRET, now: 100 }),
    );
    expect(unsigned.code).toBe('invalid_signature');
  });
});

describe('verifyAnzuWebhook: programming mistakes', () => {
  it('refuses a parsed object as payload and says how to pass the raw body', async () => {
    const error = await rejection(
      verifyAnzuWebhook({
        payload: JSON.parse(VECTOR.body) as never,
        signature: VECTOR_HEADER,
        secret: VECTOR.secret,
        now: VECTOR.ts,
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('validation_error');
    expect((error as ValidationError).issues[0]?.path).toBe('payload');
    expect(error.message).toContain('raw request body');
    expect(error.message).toContain('express.raw');
    expect(error.message).toContain('new Uint8Array(await request.arrayBuffer())');
  });

  it('refuses a missing payload, secret, and nonsense tolerance or clock, naming each', async () => {
    const error = await rejection(
      verifyAnzuWebhook({
        payload: undefined as never,
        signature: VECTOR_HEADER,
        secret: undefined as never,
        toleranceSeconds: -1,
        now: Number.NaN,
      }),
    );
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      'secret',
      'payload',
      'toleranceSeconds',
      'now',
    ]);
  });

  it('checks its options before looking at the header', async () => {
    const error = await rejection(verifyAnzuWebhook({ payload: {} as never, signature: null, secret: SECRET }));
    expect(error.code).toBe('validation_error');
  });
});

describe('verifyAnzuWebhook: no secret in any error', () => {
  it('never shows the secret in the message, toString, toJSON or enumerable properties', async () => {
    const signature = await signAnzuWebhook({ payload: VECTOR.body, secret: SECRET, timestamp: 100 });
    const base = { payload: VECTOR.body, signature, secret: SECRET, now: 100 };
    const errors = await Promise.all([
      rejection(verifyAnzuWebhook({ ...base, payload: `${VECTOR.body} ` })),
      rejection(verifyAnzuWebhook({ ...base, signature: null })),
      rejection(verifyAnzuWebhook({ ...base, signature: 'ts=1&v=9&sig=00' })),
      rejection(verifyAnzuWebhook({ ...base, now: 100_000 })),
      rejection(verifyAnzuWebhook({ ...base, payload: {} as never })),
      rejection(verifyAnzuWebhook({ ...base, secret: `${SECRET}-rotated` })),
      rejection(signAnzuWebhook({ payload: 5 as never, secret: SECRET })),
    ]);
    for (const error of errors) {
      expect(printed(error)).not.toContain(SECRET);
      expect(printed(error)).not.toContain('very-secret');
    }
  });
});

// Every case below runs on both HMAC paths: node:crypto (through process.getBuiltinModule, as on
// Node, Bun and Deno) and Web Crypto (as on Workers and Vercel Edge), forced with useNodeHmac.
describe.each([
  ['node:crypto', true],
  ['Web Crypto', false],
])('verifyAnzuWebhook with the %s HMAC: rotation, several signatures, hardening', (_path, fast) => {
  afterEach(() => useNodeHmac(true));
  const use = () => useNodeHmac(fast);
  const OLD = 'whsec_old-secret-1a2b3c';
  const verify = (signature: string, secret: string | readonly string[]) =>
    verifyAnzuWebhook({ payload: VECTOR.body, signature, secret, now: VECTOR.ts });

  it('runs on the path it names', () => {
    use();
    expect(nodeHmac() !== undefined).toBe(fast);
  });

  it('reproduces the test vector when signing', async () => {
    use();
    expect(await signAnzuWebhook({ payload: VECTOR.body, secret: VECTOR.secret, timestamp: VECTOR.ts })).toBe(
      VECTOR_HEADER,
    );
  });

  it('accepts a signature made with any secret of the list, in any position', async () => {
    use();
    const withOld = await signAnzuWebhook({ payload: VECTOR.body, secret: OLD, timestamp: VECTOR.ts });
    expect(await verify(VECTOR_HEADER, [VECTOR.secret, OLD])).toEqual({ id: 'evt', kind: 'ping', payload: {} });
    expect(await verify(withOld, [VECTOR.secret, OLD])).toEqual({ id: 'evt', kind: 'ping', payload: {} });
    expect(await verify(withOld, [OLD])).toEqual({ id: 'evt', kind: 'ping', payload: {} });
  });

  it('refuses a signature that matches no secret of the list, and a tampered body', async () => {
    use();
    expect((await rejection(verify(VECTOR_HEADER, [SECRET, OLD]))).code).toBe('invalid_signature');
    const tampered = verifyAnzuWebhook({
      payload: VECTOR.body.replace('ping', 'pong'),
      signature: VECTOR_HEADER,
      secret: [SECRET, VECTOR.secret],
      now: VECTOR.ts,
    });
    expect((await rejection(tampered)).code).toBe('invalid_signature');
  });

  it('accepts a header with several sig= values when any one matches any secret', async () => {
    use();
    const wrong = 'ab'.repeat(32);
    expect(await verify(`ts=${VECTOR.ts}&v=1&sig=${wrong}&sig=${VECTOR.sig}`, [OLD, VECTOR.secret])).toMatchObject({
      id: 'evt',
    });
    expect(await verify(`ts=${VECTOR.ts}&v=1&sig=${VECTOR.sig}&sig=${wrong}`, VECTOR.secret)).toMatchObject({
      id: 'evt',
    });
    // A malformed extra value is ignored beside a well-formed one.
    expect(await verify(`ts=${VECTOR.ts}&v=1&sig=zz&sig=${VECTOR.sig}`, VECTOR.secret)).toMatchObject({ id: 'evt' });
    const none = await rejection(verify(`ts=${VECTOR.ts}&v=1&sig=${wrong}&sig=${'cd'.repeat(32)}`, VECTOR.secret));
    expect(none.code).toBe('invalid_signature');
    expect((await rejection(verify(`ts=${VECTOR.ts}&v=1&sig=zz&sig=`, VECTOR.secret))).message).toMatch(/64 hex/);
  });

  it('refuses an empty list and an empty secret in it, naming its index', async () => {
    use();
    const empty = await rejection(verify(VECTOR_HEADER, []));
    expect(ValidationError.is(empty)).toBe(true);
    expect((empty as ValidationError).issues).toEqual([{ path: 'secret', message: 'must not be an empty list' }]);
    const blank = await rejection(verify(VECTOR_HEADER, [VECTOR.secret, '', 7 as never]));
    expect((blank as ValidationError).issues.map((i) => i.path)).toEqual(['secret[1]', 'secret[2]']);
  });

  it('refuses a secret with surrounding whitespace with a clear message that does not show it', async () => {
    use();
    for (const secret of [`${SECRET}\n`, ` ${SECRET}`, [VECTOR.secret, `${SECRET}\t`]]) {
      const error = await rejection(verify(VECTOR_HEADER, secret));
      expect(ValidationError.is(error)).toBe(true);
      expect(error.message).toMatch(/leading or trailing whitespace/);
      expect(printed(error)).not.toContain(SECRET);
    }
    const signing = await rejection(signAnzuWebhook({ payload: '{}', secret: ` ${SECRET}` }));
    expect(signing.message).toMatch(/leading or trailing whitespace/);
    expect(printed(signing)).not.toContain(SECRET);
  });

  it('signs with one secret only: a list is a ValidationError', async () => {
    use();
    const error = await rejection(signAnzuWebhook({ payload: '{}', secret: [SECRET] as never }));
    expect((error as ValidationError).issues[0]).toEqual({ path: 'secret', message: 'must be a non-empty string' });
  });

  it.each([
    ['\r\nX-Injected: 1', '\\r\\nX-Injected: 1'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['a\u0000b\u007f\u009b\u2028', 'a\\u0000b\\u007f\\u009b\\u2028'],
  ])('escapes control characters from an unsupported v= (%j) in the message', async (version, shown) => {
    use();
    const error = await rejection(verify(`ts=${VECTOR.ts}&v=${encodeURIComponent(version)}&sig=${VECTOR.sig}`, SECRET));
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toContain(`v=${shown} is not supported`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('caps the echoed v= value', async () => {
    use();
    const error = await rejection(verify(`ts=${VECTOR.ts}&v=${'9'.repeat(500)}&sig=${VECTOR.sig}`, SECRET));
    expect(error.message).toContain(`v=${'9'.repeat(16)} is`);
    expect(error.message.length).toBeLessThan(120);
  });
});
