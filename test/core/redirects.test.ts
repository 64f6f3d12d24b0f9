/**
 * Redirects are never followed, over real sockets: a provider (or whatever answers in its name)
 * that redirects a POST carrying a password and a bearer token must not get the SDK to send them
 * anywhere else. Two real servers on 127.0.0.1: the provider, and the `Location` it names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { HttpClient, type HttpRequest } from '../../src/core/http.js';
import { type FaultServer, json, startFaultServer } from '../faults/fault-server.js';

const TOKEN = 'wb_tok_5d4c3b2a19';
const PASSWORD = 'correct horse battery staple';

let provider: FaultServer;
let elsewhere: FaultServer;
beforeAll(async () => {
  [provider, elsewhere] = await Promise.all([startFaultServer(), startFaultServer()]);
});
afterAll(async () => {
  await Promise.all([provider?.close(), elsewhere?.close()]);
});

function client(fetch?: typeof globalThis.fetch) {
  return new HttpClient({
    provider: 'wristband',
    fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)),
    retries: 2,
    timeoutMs: 2_000,
    describeError: (_status, body) => ({ code: (body as { code?: string } | undefined)?.code }),
  });
}

const signup = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST',
  url: `${provider.origin}/api/v1/provision-user`,
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }),
  idempotent: false,
  secrets: [TOKEN, PASSWORD],
  ...overrides,
});

describe('redirects', () => {
  it.each([
    [307, false],
    [308, false],
    [302, false],
    [301, true],
    [303, true],
  ])(
    'a %i for a POST (idempotent: %s) is an ApiError, and the Location receives nothing',
    async (status, idempotent) => {
      provider.reset();
      elsewhere.reset();
      elsewhere.respond(({ res }) => json(res, 200, { result: 'SIGNUP_COMPLETED_WITH_EMAIL_VERIFICATION' }));
      provider.respond(({ res }) => json(res, status, {}, { location: `${elsewhere.origin}/collect` }));
      const error = await client()
        .send(signup({ idempotent }))
        .catch((e: unknown) => e);
      expect(ApiError.is(error)).toBe(true);
      expect(error).toMatchObject({ provider: 'wristband', status, code: `http_${status}` });
      expect(elsewhere.arrivals()).toEqual([]);
      // Neither followed nor retried, idempotent or not.
      expect(provider.arrivals()).toHaveLength(1);
      expect(provider.arrivals()[0]?.body).toContain(PASSWORD);
    },
  );

  it('a redirect error never quotes the password or the token, even when the body echoes them', async () => {
    provider.reset();
    provider.respond(({ arrival, res }) =>
      json(
        res,
        307,
        { code: 'moved', echo: arrival.body, auth: arrival.headers.authorization },
        {
          location: `${elsewhere.origin}/?password=${encodeURIComponent(PASSWORD)}`,
        },
      ),
    );
    const error = await client()
      .send(signup())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 307, code: 'moved' });
    const text = JSON.stringify(error) + String(error);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
  });

  it("a browser's opaque redirect (status 0) is an ApiError with code http_3xx", async () => {
    // What a browser-like fetch returns for `redirect: 'manual'`: the real status is hidden.
    class OpaqueRedirect extends Response {
      override get type(): ResponseType {
        return 'opaqueredirect';
      }
      override get status() {
        return 0;
      }
      override get ok() {
        return false;
      }
    }
    const modes: RequestRedirect[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      modes.push((input as Request).redirect);
      return new OpaqueRedirect(null);
    };
    const error = await client(fetch)
      .send(signup({ idempotent: true }))
      .catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ status: 0, code: 'http_3xx' });
    // Asked for manual handling, and not retried.
    expect(modes).toEqual(['manual']);
  });
});
