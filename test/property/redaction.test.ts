/**
 * Redaction, for random access tokens, client secrets, webhook secrets, passwords and
 * activation codes: whatever a server echoes back (the Authorization header, the request
 * body, in the message, the ticket, the violations' keys and values) and whatever the
 * caller got wrong, no error's message, toString, toJSON, stack or enumerable property
 * contains one of them, and neither does a webhook handler's response.
 */

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { signAnzuWebhook, verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { REDACTED, redact } from '../../src/core/redact.js';
import { WristbandClient } from '../../src/wristband/client.js';

const RUNS = { numRuns: 60 };

const TOKEN_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/='];
/** Token-like: long enough that it cannot occur in the SDK's own text by chance. */
const secretLike = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 12, maxLength: 64 });
/** Passwords may be any printable text; JSON-escaped characters are left out so an echo of the body carries them verbatim. */
const password = fc
  .string({ unit: 'grapheme', minLength: 10, maxLength: 40 })
  .filter((s) => !/["\\\p{Cc}\p{Cs}]/u.test(s) && s.trim().length >= 10);

/** Every surface of an error a log line could show. Returns those containing a secret. */
function leaks(error: unknown, secrets: readonly string[]): string[] {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error & { toJSON?: () => unknown };
  const surfaces: Record<string, string> = {
    message: e.message,
    toString: String(e),
    stack: e.stack ?? '',
    toJSON: JSON.stringify(e.toJSON ? e.toJSON() : e),
    'JSON.stringify': JSON.stringify(e),
    enumerable: enumerableStrings(e).join('\n'),
  };
  // `cause` is not enumerable and not part of the contract's list, but a logger prints it with
  // inspect: the transport keeps a scrubbed copy of any cause that quotes a secret, so every
  // error is checked this way, causes included.
  surfaces.inspect = inspect(e, { depth: 10 });
  const found: string[] = [];
  for (const [name, text] of Object.entries(surfaces)) {
    for (const secret of secrets) if (text.includes(secret)) found.push(`${name} contains ${JSON.stringify(secret)}`);
  }
  return found;
}

/** Every string (keys included) reachable through enumerable own properties. */
function enumerableStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  return Object.entries(value).flatMap(([k, v]) => [k, ...enumerableStrings(v, seen)]);
}

/** A server that echoes everything it was sent, in every field a provider's error has. */
async function echo(request: Request, status: number, extra: string[] = []): Promise<Response> {
  const auth = request.headers.get('authorization') ?? '';
  const body = await request.text();
  const everything = [auth, body, request.url, ...extra].join(' | ');
  const violations = Object.fromEntries(
    [auth, body, ...extra].map((v) => [v, [{ code: v, constraintAttributes: { value: v } }]]),
  );
  const json = {
    // Anzu's shape
    error: { code: `E_${auth}`, message: `refused: ${everything}` },
    // Wristband's shapes
    type: 'constraint_violations_error',
    code: `code ${auth}`,
    message: `echo ${everything}`,
    ticket: auth,
    violations,
    // OAuth's shape
    error_description: everything,
  };
  return status % 2 === 0
    ? Response.json(json, { status })
    : new Response(`plain text echo: ${everything}`, { status, headers: { 'content-type': 'text/plain' } });
}

const errorStatus = fc.oneof(fc.integer({ min: 400, max: 499 }), fc.integer({ min: 500, max: 599 }));

const toRequest = (input: RequestInfo | URL, init?: RequestInit) => new Request(input, init);

describe('redaction (property)', () => {
  it('the leak detector itself finds a secret on each surface', () => {
    const secret = 'sk_live_0123456789abcdef';
    const inMessage = new Error(`token ${secret}`);
    const inProperty = Object.assign(new Error('x'), { body: { nested: [secret] } });
    const inKey = Object.assign(new Error('x'), { body: { [secret]: 1 } });
    expect(leaks(inMessage, [secret])).toContain(`message contains ${JSON.stringify(secret)}`);
    expect(leaks(inProperty, [secret])).toContain(`enumerable contains ${JSON.stringify(secret)}`);
    expect(leaks(inKey, [secret])).toContain(`enumerable contains ${JSON.stringify(secret)}`);
  });

  it('AnzuClient: an echoed access token never survives into the ApiError', async () => {
    await fc.assert(
      fc.asyncProperty(secretLike, errorStatus, async (token, status) => {
        const anzu = new AnzuClient({
          accessToken: token,
          workspaceId: 'w',
          environmentId: 'e',
          retries: 0,
          fetch: async (input, init) => echo(toRequest(input, init), status),
        });
        const error = await anzu.completeProvisioning('id_1').catch((e: unknown) => e);
        expect(leaks(error, [token])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('AnzuClient: a fetch failure quoting the token becomes a NetworkError without it', async () => {
    await fc.assert(
      fc.asyncProperty(secretLike, async (token) => {
        const anzu = new AnzuClient({
          accessToken: token,
          workspaceId: 'w',
          environmentId: 'e',
          retries: 0,
          fetch: async (input, init) => {
            throw new TypeError(`proxy refused ${toRequest(input, init).headers.get('authorization')}`);
          },
        });
        const error = await anzu.completeProvisioning('id_1').catch((e: unknown) => e);
        expect((error as { code?: string }).code).toBe('network_error');
        expect(leaks(error, [token])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('AnzuClient: configuration errors never quote the token', () => {
    fc.assert(
      fc.property(secretLike, fc.constantFrom('scope', 'baseUrl', 'timeoutMs', 'env'), (token, broken) => {
        let error: unknown;
        try {
          if (broken === 'env') AnzuClient.fromEnv({ ANZU_ACCESS_TOKEN: token });
          else {
            new AnzuClient({
              accessToken: token,
              teamId: 't',
              projectId: 'p',
              environmentId: broken === 'scope' ? '' : 'e',
              baseUrl: broken === 'baseUrl' ? `http://example.com/${token}` : undefined,
              timeoutMs: broken === 'timeoutMs' ? -1 : undefined,
            });
          }
        } catch (e) {
          error = e;
        }
        expect((error as { code?: string }).code).toBe('validation_error');
        expect(leaks(error, [token])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('WristbandClient: token, client secret, password and codes never survive an echoing server', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretLike,
        secretLike,
        secretLike,
        password,
        errorStatus,
        fc.constantFrom('token', 'signup', 'activate-link', 'activate-otp'),
        async (clientSecret, issuedToken, code, pass, status, failing) => {
          const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
            const request = toRequest(input, init);
            if (request.url.endsWith('/oauth2/token')) {
              return failing === 'token'
                ? echo(request, status, [clientSecret])
                : Response.json({ access_token: issuedToken, expires_in: 3600 });
            }
            return echo(request, status);
          };
          const client = new WristbandClient({
            applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
            auth: { clientId: 'client_1', clientSecret },
            retries: 0,
            fetch,
          });
          const error =
            failing === 'activate-link'
              ? await client.activateUser({ emailAuthCode: code }).catch((e: unknown) => e)
              : failing === 'activate-otp'
                ? await client.activateUser({ requestCode: 'req_1', verificationCode: code }).catch((e: unknown) => e)
                : await client
                    .provisionSignup({ level: 'tenant', tenantId: 't_1', email: 'ada@example.com', password: pass })
                    .catch((e: unknown) => e);
          const basic = btoa(`client_1:${clientSecret}`);
          expect(leaks(error, [clientSecret, basic, issuedToken, pass, code])).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('WristbandClient: a fixed token or a token function, refused with 401, never survives', async () => {
    await fc.assert(
      fc.asyncProperty(secretLike, secretLike, fc.boolean(), async (first, second, asFunction) => {
        let calls = 0;
        const client = new WristbandClient({
          applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
          auth: { accessToken: asFunction ? () => (calls++ === 0 ? first : second) : first },
          fetch: async (input, init) => echo(toRequest(input, init), 401),
        });
        const error = await client
          .provisionSignup({ level: 'tenant', tenantId: 't_1', email: 'ada@example.com' })
          .catch((e: unknown) => e);
        expect(leaks(error, [first, second])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('WristbandClient: a ValidationError never quotes the password or the client secret', async () => {
    await fc.assert(
      fc.asyncProperty(secretLike, password, async (clientSecret, pass) => {
        // Constructor: secret given, id missing.
        let error: unknown;
        try {
          new WristbandClient({
            applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
            auth: { clientId: '', clientSecret },
          });
        } catch (e) {
          error = e;
        }
        expect(leaks(error, [clientSecret])).toEqual([]);
        // Request: password fine, other fields wrong, the password also misplaced in other fields.
        const client = new WristbandClient({
          applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
          auth: { accessToken: 'static-token-123' },
          fetch: async () => Response.json({}),
        });
        const invalid = {
          level: 'tenant',
          tenantId: '',
          email: pass,
          password: pass,
          username: pass.repeat(30),
        } as never;
        const refused = await client.provisionSignup(invalid).catch((e: unknown) => e);
        expect((refused as { code?: string }).code).toBe('validation_error');
        expect(leaks(refused, [clientSecret, pass])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('verifyAnzuWebhook: no signature, payload or option error quotes the webhook secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretLike,
        fc.constantFrom('wrong-secret', 'stale', 'future', 'missing', 'malformed', 'bad-body', 'bad-tolerance'),
        async (secret, scenario) => {
          const now = 1_700_000_000;
          // The body quotes the secret: a payload error must not echo the body's values either.
          const body =
            scenario === 'bad-body'
              ? JSON.stringify({ id: 1, kind: secret, payload: { identity: secret } })
              : JSON.stringify({ id: 'evt', kind: 'ping', payload: { note: secret } });
          const ts = scenario === 'stale' ? now - 10_000 : scenario === 'future' ? now + 10_000 : now;
          const signedWith = scenario === 'wrong-secret' ? `${secret}x` : secret;
          let signature: string | undefined = await signAnzuWebhook({
            payload: body,
            secret: signedWith,
            timestamp: ts,
          });
          if (scenario === 'missing') signature = undefined;
          if (scenario === 'malformed') signature = `ts=${now}&v=${secret}&sig=${secret}`;
          const error = await verifyAnzuWebhook({
            payload: body,
            signature,
            secret,
            now,
            toleranceSeconds: scenario === 'bad-tolerance' ? -1 : 300,
          }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(Error);
          expect(leaks(error, [secret])).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('the webhook handler: no response body or header, and no SDK error given to onError, holds a secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretLike,
        secretLike,
        fc.constantFrom('ok', 'bad-signature', 'bad-body', 'callback-throws', 'confirm-fails', 'wrong-method'),
        async (secret, token, scenario) => {
          const reported: unknown[] = [];
          const handler = createAnzuWebhookHandler({
            secret,
            client: new AnzuClient({
              accessToken: token,
              workspaceId: 'w',
              environmentId: 'e',
              retries: 0,
              fetch: async (input, init) =>
                scenario === 'confirm-fails' ? echo(toRequest(input, init), 500) : new Response(null, { status: 204 }),
            }),
            onUserIdentityCreated: () => {
              if (scenario === 'callback-throws') throw new Error(`db down (secret ${secret}, token ${token})`);
            },
            onError: (error, stage) => {
              if (stage !== 'callback') reported.push(error);
            },
          });
          const event = {
            id: 'evt_1',
            kind: 'user_management.user_identity_created',
            payload:
              scenario === 'bad-body'
                ? { provisionedWith: secret, identity: { id: 5, provider: token } }
                : { provisionedWith: 'email', identity: { id: 'ui_1', provider: 'email', email: 'a@b.c' } },
          };
          const body = JSON.stringify(event);
          const signature = await signAnzuWebhook({
            payload: body,
            secret: scenario === 'bad-signature' ? `${secret}!` : secret,
          });
          const response = await handler(
            new Request('https://app.example/webhooks/anzu', {
              method: scenario === 'wrong-method' ? 'PUT' : 'POST',
              body,
              headers: { 'content-type': 'application/json', 'anzu-signature': signature },
            }),
          );
          const expected = { ok: 200, 'bad-signature': 401, 'bad-body': 400, 'wrong-method': 405 } as Record<
            string,
            number
          >;
          expect(response.status).toBe(expected[scenario] ?? 500);
          const text = await response.text();
          const headers = JSON.stringify([...response.headers]);
          for (const s of [secret, token]) {
            expect(text).not.toContain(s);
            expect(headers).not.toContain(s);
          }
          for (const error of reported) expect(leaks(error, [secret, token])).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});

/** Characters every encoder rewrites, mixed with plain ones. No lone surrogates: a URL cannot carry one. */
const tricky = fc.string({
  unit: fc.oneof(fc.constantFrom(...'"\\/<>&\' +%\n\t\u0001é€😀\u2028'), fc.constantFrom(...'abcXYZ019-_.~')),
  minLength: 3,
  maxLength: 24,
});

const html = (s: string, apostrophe: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": apostrophe })[c] as string,
  );
/** JSON with every non-ASCII character as `\\uXXXX` (Python's default), hex digits in either case. */
const asciiJson = (s: string, upper: boolean) =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });

const ENCODINGS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  'JSON-escaped': (s) => JSON.stringify(s).slice(1, -1),
  'JSON-escaped, ASCII only': (s) => asciiJson(s, false),
  'JSON-escaped, ASCII only, upper-case hex': (s) => asciiJson(s, true),
  'URL-encoded': (s) => encodeURIComponent(s),
  'URL-encoded, lower-case hex': (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  'form-encoded': (s) => new URLSearchParams({ v: s }).toString().slice(2),
  'HTML-escaped (&#39;)': (s) => html(s, '&#39;'),
  'HTML-escaped (&#x27;)': (s) => html(s, '&#x27;'),
};

/** The parts of a redacted text between the markers: none may hold the secret in any form. */
const pieces = (text: string) => text.split(REDACTED);

describe('redact (property): every encoding of an echoed secret', () => {
  it('removes a secret of 3+ characters echoed raw, JSON-escaped, URL-encoded, form-encoded or HTML-escaped', () => {
    fc.assert(
      fc.property(
        tricky,
        fc.constantFrom(...Object.keys(ENCODINGS)),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        (secret, encoding, before, after) => {
          const echoed = (ENCODINGS[encoding] as (s: string) => string)(secret);
          const out = redact(`${before}${echoed}${after}`, [secret]);
          expect(out).toContain(REDACTED);
          for (const piece of pieces(out)) {
            expect(piece).not.toContain(echoed);
            expect(piece).not.toContain(secret);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('removes every encoding inside JSON bodies too, in keys and values, at any depth', () => {
    fc.assert(
      fc.property(tricky, tricky, (token, password) => {
        const body: Record<string, unknown> = {};
        for (const [name, encode] of Object.entries(ENCODINGS)) {
          body[name] = { message: `echo: ${encode(token)} / ${encode(password)}`, [encode(password)]: [encode(token)] };
        }
        const text = JSON.stringify(redact(body, [token, password]));
        const parsed = JSON.parse(text) as Record<string, { message: string }>;
        for (const [name, encode] of Object.entries(ENCODINGS)) {
          for (const piece of pieces(JSON.stringify(parsed[name]))) {
            expect(piece).not.toContain(JSON.stringify(encode(token)).slice(1, -1));
            expect(piece).not.toContain(JSON.stringify(encode(password)).slice(1, -1));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a 1-2 character secret is replaced where a string equals it, and left alone inside other text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 2 }),
        fc.string({ minLength: 1, maxLength: 10 }),
        (secret, text) => {
          fc.pre(!text.includes(secret) && text !== REDACTED);
          const body = { password: secret, list: [secret, text], note: `${text}${secret}${text}` };
          const out = redact(body, [secret]);
          expect(out).toEqual({ password: REDACTED, list: [REDACTED, text], note: `${text}${secret}${text}` });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an HTML error page echoing the password HTML-escaped never carries it into the ApiError', async () => {
    await fc.assert(
      fc.asyncProperty(tricky, fc.constantFrom('&#39;', '&#x27;'), async (pass, apostrophe) => {
        const client = new WristbandClient({
          applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
          auth: { accessToken: 'static-token-123' },
          fetch: async () =>
            new Response(
              `<html><body><p>Bad request: password=${html(pass, apostrophe)}&amp;q=${encodeURIComponent(pass)}</p></body></html>`,
              {
                status: 400,
                headers: { 'content-type': 'text/html' },
              },
            ),
        });
        const error = await client
          .provisionSignup({ level: 'tenant', tenantId: 't_1', email: 'ada@example.com', password: pass })
          .catch((e: unknown) => e);
        const body = String((error as { body?: unknown }).body);
        for (const piece of pieces(body)) {
          expect(piece).not.toContain(html(pass, apostrophe));
          expect(piece).not.toContain(encodeURIComponent(pass));
        }
      }),
      RUNS,
    );
  });
});
