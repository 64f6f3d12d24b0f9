/**
 * WristbandClient against a misbehaving server over real HTTP. The signup and activation
 * POSTs are never re-sent by the transport (a lost answer must not create a user twice);
 * only a 401 earns one resend with a fresh token. The token request is idempotent and
 * follows the retry policy in full.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, ProvisionKitError, TimeoutError } from '../../src/core/errors.js';
import { WristbandClient } from '../../src/wristband/client.js';
import type { SignupRequest } from '../../src/wristband/signup-request.js';
import { hang, huge, json, raw, resetBeforeHeaders, resetMidBody, useFaultServer } from './fault-server.js';

const SIGNUP = '/api/v1/signup/provision-user';
const ACTIVATE = '/api/v1/user-activation/activate-user';
const TOKEN = '/api/v1/oauth2/token';
const ACCESS_TOKEN = 'wb_fixed_access_token_5f4e3d2c1b';
const CLIENT_SECRET = 'wb_client_secret_a1b2c3d4e5f6';

const request: SignupRequest = { level: 'tenant', tenantId: 'tenant_1', email: 'ada@example.com' };

const { server, unhandled } = useFaultServer();

function withToken(options: { retries?: number; timeoutMs?: number } = {}) {
  return new WristbandClient({
    applicationVanityDomain: server.origin,
    auth: { accessToken: ACCESS_TOKEN },
    timeoutMs: options.timeoutMs ?? 2_000,
    retries: options.retries ?? 3,
  });
}

function withCredentials(options: { retries?: number; timeoutMs?: number } = {}) {
  return new WristbandClient({
    applicationVanityDomain: server.origin,
    auth: { clientId: 'client_1', clientSecret: CLIENT_SECRET },
    timeoutMs: options.timeoutMs ?? 2_000,
    retries: options.retries ?? 2,
  });
}

const tokenOk = (res: Parameters<typeof json>[0], n = 0) =>
  json(res, 200, { access_token: `issued_token_${n}_abcdef`, token_type: 'bearer', expires_in: 1800 });

describe('the signup POST is never re-sent by the transport', () => {
  it.each([500, 502, 503, 504, 408])('sends once on a %i even with retries: 3', async (status) => {
    server.respond(({ res }) => json(res, status, { type: 'base_error', code: 'oops', message: 'x', ticket: 't-1' }));
    const error = await withToken()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ status, provider: 'wristband', requestId: 't-1' });
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('sends once on a 429, even with a short Retry-After', async () => {
    server.respond(({ res }) => json(res, 429, {}, { 'retry-after': '0' }));
    await expect(withToken().provisionSignup(request)).rejects.toMatchObject({ status: 429 });
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('sends once when the answer never comes, and types the timeout', async () => {
    server.respond(hang);
    const error = await withToken({ timeoutMs: 200 })
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(TimeoutError.is(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('sends once when the connection drops before the answer, and types it', async () => {
    server.respond(({ res }) => resetBeforeHeaders(res));
    const error = await withToken()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(NetworkError.is(error)).toBe(true);
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('sends once when the connection drops in the middle of a 200 body, and types it', async () => {
    server.respond(({ res }) => resetMidBody(res));
    const error = await withToken()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
    expect(NetworkError.is(error)).toBe(true);
  });

  it('sends once when the 200 body stalls after the headers, and types the timeout', async () => {
    server.respond(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"result":');
    });
    const error = await withToken({ timeoutMs: 200 })
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(TimeoutError.is(error)).toBe(true);
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('activateUser is sent once on a 503 too', async () => {
    server.respond(({ res }) => json(res, 503, {}));
    await expect(withToken().activateUser({ emailAuthCode: 'code_123456' })).rejects.toMatchObject({ status: 503 });
    expect(server.arrivals(ACTIVATE)).toHaveLength(1);
  });

  it('a 401 with client credentials is resent exactly once, with a fresh token', async () => {
    let issued = 0;
    server.respond(({ res, arrival }) => {
      if (arrival.path === TOKEN) return tokenOk(res, issued++);
      return json(res, 401, { type: 'base_error', code: 'unauthorized', message: 'expired' });
    });
    await expect(withCredentials().provisionSignup(request)).rejects.toMatchObject({ status: 401 });
    const signups = server.arrivals(SIGNUP);
    expect(signups).toHaveLength(2);
    expect(signups.map((a) => a.headers.authorization)).toEqual([
      'Bearer issued_token_0_abcdef',
      'Bearer issued_token_1_abcdef',
    ]);
    expect(server.arrivals(TOKEN)).toHaveLength(2);
  });

  it('a 401 with a fixed token is not resent', async () => {
    server.respond(({ res }) => json(res, 401, {}));
    await expect(withToken().provisionSignup(request)).rejects.toMatchObject({ status: 401 });
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });
});

describe('a broken tokenStore never fails a signup', () => {
  const never = () => new Promise<never>(() => {});
  const stores = {
    // A node-redis client queues commands while Redis is down: its promises just wait.
    'never answers': { get: never, set: never, delete: never },
    'rejects every call': {
      get: () => Promise.reject(new Error(`ECONNREFUSED ${CLIENT_SECRET}`)),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
      delete: () => Promise.reject(new Error('ECONNREFUSED')),
    },
  };
  it.each(Object.entries(stores))(
    'a store that %s: the token is fetched in-process, the signup sent once',
    async (_, tokenStore) => {
      let issued = 0;
      server.respond(({ res, arrival }) =>
        arrival.path === TOKEN
          ? tokenOk(res, issued++)
          : json(res, 200, { result: 'USER_ACTIVATION_REQUIRED_WITH_EMAIL_LINK' }),
      );
      const client = new WristbandClient({
        applicationVanityDomain: server.origin,
        auth: { clientId: 'client_1', clientSecret: CLIENT_SECRET, tokenStore },
        timeoutMs: 2_000,
      });
      await expect(client.provisionSignup(request)).resolves.toMatchObject({ kind: 'activation_link_sent' });
      await expect(client.provisionSignup(request)).resolves.toMatchObject({ kind: 'activation_link_sent' });
      expect(server.arrivals(TOKEN)).toHaveLength(1);
      expect(server.arrivals(SIGNUP)).toHaveLength(2);
    },
  );
});

describe('the token request is retried like an idempotent one', () => {
  it('retries a 503 storm on the token endpoint `retries` times with growing delays; no signup is sent', async () => {
    server.respond(({ res }) => json(res, 503, {}));
    await expect(withCredentials({ retries: 2 }).provisionSignup(request)).rejects.toMatchObject({ status: 503 });
    expect(server.arrivals(TOKEN)).toHaveLength(3);
    expect(server.arrivals(SIGNUP)).toHaveLength(0);
    const [first, second] = server.gaps(TOKEN) as [number, number];
    expect(second).toBeGreaterThan(first);
  });

  it('recovers from a flaky token endpoint, then sends the signup once', async () => {
    server.respond(({ res, arrival, attempt }) => {
      if (arrival.path === TOKEN) return attempt === 0 ? resetBeforeHeaders(res) : tokenOk(res);
      return json(res, 200, { result: 'USER_ACTIVATION_REQUIRED_WITH_EMAIL_LINK' });
    });
    await expect(withCredentials().provisionSignup(request)).resolves.toMatchObject({ kind: 'activation_link_sent' });
    expect(server.arrivals(TOKEN)).toHaveLength(2);
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('types a hanging token endpoint as TimeoutError after `retries` more attempts', async () => {
    server.respond(hang);
    const error = await withCredentials({ retries: 1, timeoutMs: 200 })
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(TimeoutError.is(error)).toBe(true);
    expect(server.arrivals(TOKEN)).toHaveLength(2);
    expect(server.arrivals(SIGNUP)).toHaveLength(0);
  });

  it('does not retry an OAuth error, and keeps the client secret out of it', async () => {
    server.respond(({ res, arrival }) =>
      json(res, 400, {
        error: 'invalid_client',
        error_description: `bad credentials: ${CLIENT_SECRET} / ${arrival.headers.authorization}`,
      }),
    );
    const error = await withCredentials()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_client' });
    expect(server.arrivals(TOKEN)).toHaveLength(1);
    const basic = Buffer.from(`client_1:${CLIENT_SECRET}`).toString('base64');
    const everything = `${(error as Error).message} ${JSON.stringify(error)} ${String(error)}`;
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(basic);
  });

  it('a Retry-After over 30 s on the token endpoint fails at once', async () => {
    server.respond(({ res }) => json(res, 429, {}, { 'retry-after': '45' }));
    await expect(withCredentials().provisionSignup(request)).rejects.toMatchObject({ status: 429 });
    expect(server.arrivals(TOKEN)).toHaveLength(1);
  });
});

describe('odd 2xx bodies map to kind "unknown", never a throw', () => {
  it.each([
    ['invalid JSON', '{"result": USER_'],
    ['an empty body', ''],
    ['a JSON body without result', '{"status":"ok"}'],
    ['a non-string result', '{"result":42}'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
  ])('provisionSignup on a 200 with %s', async (_name, body) => {
    server.respond(({ res }) => raw(res, 200, body));
    const result = await withToken().provisionSignup(request);
    expect(result.kind).toBe('unknown');
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });

  it('activateUser on a 200 with invalid JSON', async () => {
    server.respond(({ res }) => raw(res, 200, 'USER_ACTIVATION_COMPLETE'));
    await expect(withToken().activateUser({ emailAuthCode: 'code_123456' })).resolves.toMatchObject({
      kind: 'unknown',
    });
  });

  it('a token endpoint answering 200 with invalid JSON is an ApiError, not a crash', async () => {
    server.respond(({ res }) => raw(res, 200, '{"access_token": '));
    const error = await withCredentials()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(server.arrivals(SIGNUP)).toHaveLength(0);
  });

  it.each([
    ['declared by content-length', true],
    ['streamed without a length', false],
  ])('refuses a 2 MiB signup answer %s with response_too_large, sent once', async (_name, declare) => {
    server.respond(({ res }) => huge(res, 2 * 1024 * 1024, declare));
    const error = await withToken()
      .provisionSignup(request)
      .catch((e: unknown) => e);
    expect(ProvisionKitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'response_too_large' });
    expect(server.arrivals(SIGNUP)).toHaveLength(1);
  });
});

describe('process hygiene', () => {
  it('left no unhandled rejection behind in any test above', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
