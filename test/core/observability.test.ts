/**
 * `onRequest` / `onResponse`: once per attempt (retries and token requests included, `attempt`
 * from 1), never a secret, and nothing they do changes the call.
 */
import { describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { ApiError, NetworkError, TimeoutError, ValidationError } from '../../src/core/errors.js';
import type { ProvisionKitRequestInfo, ProvisionKitResponseInfo } from '../../src/core/observe.js';
import { createWristbandSandbox } from '../../src/testing/index.js';
import { WristbandClient } from '../../src/wristband/client.js';
import { hang, json, resetBeforeHeaders, useFaultServer } from '../faults/fault-server.js';

const TOKEN = 'anzu_tok_observe_5f4e3d2c1b';
const CLIENT_SECRET = 'wb_client_secret_9a8b7c6d5e';
const PASSWORD = 'Tr0ub4dor&3-password';

const { server, unhandled } = useFaultServer();

/** Records every hook call, in order, as `[hook, a snapshot of info]`. */
function recorder() {
  const calls: [string, ProvisionKitResponseInfo][] = [];
  const seen: unknown[] = [];
  return {
    calls,
    seen,
    onRequest: (info: ProvisionKitRequestInfo) => {
      seen.push(info);
      calls.push(['request', { ...info } as ProvisionKitResponseInfo]);
    },
    onResponse: (info: ProvisionKitResponseInfo) => {
      seen.push(info);
      calls.push(['response', { ...info }]);
    },
  };
}

function anzu(hooks: object, options: { retries?: number; timeoutMs?: number } = {}) {
  return new AnzuClient({
    accessToken: TOKEN,
    baseUrl: `${server.origin}/2022.8`,
    workspaceId: 'w1',
    environmentId: 'e1',
    retries: options.retries ?? 2,
    timeoutMs: options.timeoutMs ?? 2_000,
    ...hooks,
  });
}

const URL_PATH = '/2022.8/workspaces/w1/environments/e1/user_management/user_identities/id_1';

describe('AnzuClient hooks', () => {
  it('a 503, a 503, then 200: three onRequest and three onResponse, attempts 1-3, with statuses', async () => {
    server.respond(({ res, attempt }) => json(res, attempt < 2 ? 503 : 200, {}, { 'retry-after': '0' }));
    const hooks = recorder();
    await anzu(hooks).completeProvisioning('id_1');
    expect(hooks.calls.map(([hook, info]) => [hook, info.attempt, info.status])).toEqual([
      ['request', 1, undefined],
      ['response', 1, 503],
      ['request', 2, undefined],
      ['response', 2, 503],
      ['request', 3, undefined],
      ['response', 3, 200],
    ]);
    for (const [, info] of hooks.calls) {
      expect(info).toMatchObject({ provider: 'anzu', method: 'PATCH', url: `${server.origin}${URL_PATH}` });
    }
    for (const [hook, info] of hooks.calls) {
      if (hook === 'response') expect(info.durationMs).toBeGreaterThanOrEqual(0);
    }
    // onResponse gets the very object onRequest got, completed: users can key on it.
    expect(hooks.seen[1]).toBe(hooks.seen[0]);
    expect(hooks.seen[3]).toBe(hooks.seen[2]);
    expect(hooks.seen[2]).not.toBe(hooks.seen[0]);
  });

  it('a timed-out attempt reports a TimeoutError, a dropped connection a NetworkError', async () => {
    server.respond(({ res, attempt }) => (attempt === 0 ? hang() : resetBeforeHeaders(res)));
    const hooks = recorder();
    const error = await anzu(hooks, { retries: 1, timeoutMs: 150 })
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(NetworkError.is(error)).toBe(true);
    const responses = hooks.calls.filter(([hook]) => hook === 'response').map(([, info]) => info);
    expect(responses).toHaveLength(2);
    expect(TimeoutError.is(responses[0]?.error)).toBe(true);
    expect(responses[0]?.status).toBeUndefined();
    expect(NetworkError.is(responses[1]?.error)).toBe(true);
  });

  it("an attempt cut short by the caller's signal has neither status nor error", async () => {
    const controller = new AbortController();
    server.respond(() => controller.abort(new Error('bye')));
    const hooks = recorder();
    await expect(anzu(hooks).completeProvisioning('id_1', { signal: controller.signal })).rejects.toThrow('bye');
    const [, response] = hooks.calls;
    expect(response?.[0]).toBe('response');
    expect(response?.[1].status).toBeUndefined();
    expect(response?.[1].error).toBeUndefined();
  });

  it('hooks that throw or reject change nothing: same result, same attempts', async () => {
    for (const kind of ['throw', 'reject', 'thenable-getter-throws']) {
      server.reset();
      server.respond(({ res, attempt }) => json(res, attempt === 0 ? 503 : 200, {}, { 'retry-after': '0' }));
      let calls = 0;
      const hook = () => {
        calls++;
        if (kind === 'throw') throw new Error('hook bug');
        if (kind === 'reject') return Promise.reject(new Error('async hook bug'));
        return Object.defineProperty({}, 'then', {
          get() {
            throw new Error('evil thenable');
          },
        });
      };
      await expect(anzu({ onRequest: hook, onResponse: hook }).completeProvisioning('id_1')).resolves.toBeUndefined();
      expect(server.arrivals(URL_PATH)).toHaveLength(2);
      expect(calls).toBe(4);
    }
    // And failures stay the same failures.
    server.reset();
    server.respond(({ res }) => json(res, 404, { error: { code: 'NOT_FOUND', message: 'no' } }));
    const boom = () => {
      throw new Error('hook bug');
    };
    await expect(anzu({ onRequest: boom, onResponse: boom }).completeProvisioning('id_1')).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('hooks are not awaited: a hook that never settles does not hold the call', async () => {
    server.respond(({ res }) => json(res, 200, {}));
    const never = () => new Promise(() => {});
    await expect(anzu({ onRequest: never, onResponse: never }).completeProvisioning('id_1')).resolves.toBeUndefined();
  });

  it('a hook that is not a function is a ValidationError naming it, and nothing is sent', () => {
    for (const name of ['onRequest', 'onResponse']) {
      let error: unknown;
      try {
        anzu({ [name]: 'log' });
      } catch (e) {
        error = e;
      }
      expect(ValidationError.is(error)).toBe(true);
      expect((error as ValidationError).issues).toEqual([{ path: name, message: 'must be a function' }]);
    }
    expect(
      () =>
        new WristbandClient({
          applicationVanityDomain: 'x.us.wristband.dev',
          auth: { accessToken: 't' },
          onResponse: 1,
        } as never),
    ).toThrow(/onResponse/);
    expect(server.arrivals()).toEqual([]);
  });
});

describe('WristbandClient hooks', () => {
  it('with client credentials, the token request is an attempt too', async () => {
    const sandbox = createWristbandSandbox({ clientId: 'client_1', clientSecret: CLIENT_SECRET });
    const hooks = recorder();
    const client = new WristbandClient({
      applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
      auth: { clientId: 'client_1', clientSecret: CLIENT_SECRET },
      fetch: sandbox.fetch,
      ...hooks,
    });
    const tenant = sandbox.tenants()[0];
    await client.provisionSignup(
      tenant
        ? { level: 'tenant', tenantId: tenant.id, email: 'ada@example.com', password: PASSWORD }
        : {
            level: 'application',
            applicationId: 'app_1',
            tenantName: 'acme',
            tenantDisplayName: 'Acme',
            email: 'ada@example.com',
            password: PASSWORD,
          },
    );
    const urls = hooks.calls.map(([hook, info]) => [hook, info.method, new URL(info.url).pathname, info.status]);
    expect(urls).toEqual([
      ['request', 'POST', '/api/v1/oauth2/token', undefined],
      ['response', 'POST', '/api/v1/oauth2/token', 200],
      ['request', 'POST', expect.stringContaining('/api/v1/'), undefined],
      ['response', 'POST', expect.stringContaining('/api/v1/'), expect.any(Number)],
    ]);
    for (const [, info] of hooks.calls) expect(info).toMatchObject({ provider: 'wristband', attempt: 1 });
  });

  it('no info ever holds a token, the client secret, its Basic form or the password', async () => {
    const sandbox = createWristbandSandbox({ clientId: 'client_1', clientSecret: CLIENT_SECRET });
    const hooks = recorder();
    const issued: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await sandbox.fetch(input, init);
      const copy = response.clone();
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token')) issued.push((await copy.json()).access_token);
      return response;
    };
    const client = new WristbandClient({
      applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
      auth: { clientId: 'client_1', clientSecret: CLIENT_SECRET },
      fetch,
      ...hooks,
    });
    await client
      .provisionSignup({ level: 'tenant', tenantId: 'tn_missing', email: 'ada@example.com', password: PASSWORD })
      .catch(() => {});
    await client.activateUser({ emailAuthCode: 'code_secret_123' }).catch(() => {});
    expect(issued.length).toBeGreaterThan(0);
    expect(hooks.calls.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(hooks.calls);
    for (const secret of [...issued, CLIENT_SECRET, btoa(`client_1:${CLIENT_SECRET}`), PASSWORD, 'code_secret_123']) {
      expect(text).not.toContain(secret);
    }
    // No headers or bodies: exactly the documented fields.
    for (const [hook, info] of hooks.calls) {
      const keys = Object.keys(info).sort();
      if (hook === 'request') expect(keys).toEqual(['attempt', 'method', 'provider', 'url']);
      else
        for (const key of keys)
          expect(['attempt', 'method', 'provider', 'url', 'status', 'durationMs', 'error']).toContain(key);
    }
  });

  it('a URL that carries a secret reaches the hooks redacted', async () => {
    const hooks = recorder();
    // A path configured (by mistake) with the token in it.
    const client = new WristbandClient({
      applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
      auth: { accessToken: 'fixed_token_abcdef' },
      paths: { activateUser: '/api/v1/activate/fixed_token_abcdef' },
      fetch: async () => Response.json({ code: 'nope' }, { status: 400 }),
      ...hooks,
    });
    const error = await client.activateUser({ emailAuthCode: 'code_1234' }).catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(hooks.calls).toHaveLength(2);
    expect(JSON.stringify(hooks.calls)).not.toContain('fixed_token_abcdef');
  });
});

describe('process hygiene', () => {
  it('left no unhandled rejection behind (rejecting hooks included)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
