/**
 * AnzuClient.completeProvisioning against a misbehaving server over real HTTP. The PATCH is
 * idempotent, so the documented policy applies in full: retried at most `retries` times
 * with growing delays on network errors, timeouts and 408/429/5xx; Retry-After honoured up
 * to 30 s; every failure typed.
 */
import { describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { ApiError, NetworkError, TimeoutError } from '../../src/core/errors.js';
import {
  hang,
  httpDateIn,
  huge,
  json,
  raw,
  resetBeforeHeaders,
  resetMidBody,
  startFaultServer,
  useFaultServer,
} from './fault-server.js';

const TOKEN = 'anzu_tok_9f8e7d6c5b4a39281706';
const PATH = '/2022.8/teams/t1/projects/p1/environments/e1/blocks/user_management/user_identities/id_1';

const { server, unhandled } = useFaultServer();

function client(options: { retries?: number; timeoutMs?: number } = {}) {
  return new AnzuClient({
    accessToken: TOKEN,
    baseUrl: `${server.origin}/2022.8`,
    teamId: 't1',
    projectId: 'p1',
    environmentId: 'e1',
    timeoutMs: options.timeoutMs ?? 2_000,
    retries: options.retries ?? 2,
  });
}

/** Rejects with 'still pending' if `promise` has not settled within `ms` (a liveness bound, not a timing claim). */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still pending')), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('5xx storms', () => {
  it('retries a 503 storm exactly `retries` times, with growing delays, then throws the ApiError', async () => {
    server.respond(({ res }) => json(res, 503, { error: { code: 'UNAVAILABLE', message: 'busy' } }));
    const error = await client({ retries: 2 })
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'anzu', status: 503, code: 'UNAVAILABLE' });
    expect(server.arrivals(PATH)).toHaveLength(3);
    const [first, second] = server.gaps(PATH) as [number, number];
    // 300 ms ±20 % then 600 ms ±20 %: the ranges do not overlap, so the order is certain.
    expect(second).toBeGreaterThan(first);
  });

  it('with retries: 3 makes four attempts and every delay is longer than the one before', async () => {
    server.respond(({ res }) => json(res, 500, {}));
    await expect(client({ retries: 3 }).completeProvisioning('id_1')).rejects.toMatchObject({ status: 500 });
    const gaps = server.gaps(PATH);
    expect(gaps).toHaveLength(3);
    expect(gaps[1]).toBeGreaterThan(gaps[0] as number);
    expect(gaps[2]).toBeGreaterThan(gaps[1] as number);
  });

  it('with retries: 0 sends once', async () => {
    server.respond(({ res }) => json(res, 502, {}));
    await expect(client({ retries: 0 }).completeProvisioning('id_1')).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
    });
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('succeeds when the storm ends before the retries run out', async () => {
    server.respond(({ res, attempt }) => (attempt < 2 ? json(res, 504, {}) : json(res, 200, {})));
    await expect(client({ retries: 2 }).completeProvisioning('id_1')).resolves.toBeUndefined();
    expect(server.arrivals(PATH)).toHaveLength(3);
    for (const arrival of server.arrivals(PATH)) {
      expect(arrival.method).toBe('PATCH');
      expect(arrival.body).toBe('{"provisioning_status":"complete"}');
      expect(arrival.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('never retries a 4xx other than 408/429', async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      server.reset();
      server.respond(({ res }) => json(res, status, { error: { code: 'NOPE', message: 'no' } }));
      await expect(client().completeProvisioning('id_1')).rejects.toMatchObject({ status, code: 'NOPE' });
      expect(server.arrivals(PATH)).toHaveLength(1);
    }
  });

  it('retries a 408', async () => {
    server.respond(({ res, attempt }) => (attempt === 0 ? json(res, 408, {}) : json(res, 200, {})));
    await client().completeProvisioning('id_1');
    expect(server.arrivals(PATH)).toHaveLength(2);
  });
});

describe('caller abort', () => {
  it('an abort as the first 503 arrives rejects with the reason and stops further attempts', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    server.respond(({ res }) => {
      json(res, 503, {});
      controller.abort(reason);
    });
    await expect(client({ retries: 3 }).completeProvisioning('id_1', { signal: controller.signal })).rejects.toBe(
      reason,
    );
    // Longer than the first backoff (300 ms +20 %): a retry that was still scheduled would have arrived.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('an abort while the server hangs rejects with the reason, not a TimeoutError', async () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    server.respond(() => controller.abort(reason));
    await expect(
      client({ retries: 3, timeoutMs: 5_000 }).completeProvisioning('id_1', { signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(server.arrivals(PATH)).toHaveLength(1);
  });
});

describe('429 with Retry-After', () => {
  it('waits the seconds a Retry-After asks for', async () => {
    server.respond(({ res, attempt }) =>
      attempt === 0 ? json(res, 429, { error: { code: 'RATE_LIMIT' } }, { 'retry-after': '1' }) : json(res, 200, {}),
    );
    await client().completeProvisioning('id_1');
    const [gap] = server.gaps(PATH);
    // Asked for 1 s; the SDK must not come back early (the normal backoff would be ~300 ms).
    expect(gap).toBeGreaterThanOrEqual(900);
  });

  it('waits until a Retry-After HTTP date', async () => {
    server.respond(({ res, attempt }) =>
      attempt === 0 ? json(res, 429, {}, { 'retry-after': httpDateIn(2) }) : json(res, 200, {}),
    );
    await client().completeProvisioning('id_1');
    // An HTTP date has whole seconds, so "2 s ahead" means 1–2 s from now.
    expect(server.gaps(PATH)[0]).toBeGreaterThanOrEqual(900);
  });

  it('throws the ApiError at once when Retry-After asks for more than 30 s', async () => {
    server.respond(({ res }) =>
      json(res, 429, { error: { code: 'RATE_LIMIT', message: 'slow down' } }, { 'retry-after': '31' }),
    );
    const error = await settlesWithin(client().completeProvisioning('id_1'), 10_000).catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMIT' });
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('throws at once for a far-off Retry-After date too', async () => {
    server.respond(({ res }) => json(res, 503, {}, { 'retry-after': httpDateIn(120) }));
    const error = await settlesWithin(client().completeProvisioning('id_1'), 10_000).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('still counts a Retry-After retry against `retries`', async () => {
    server.respond(({ res }) => json(res, 429, {}, { 'retry-after': '0' }));
    await expect(client({ retries: 1 }).completeProvisioning('id_1')).rejects.toMatchObject({ status: 429 });
    expect(server.arrivals(PATH)).toHaveLength(2);
  });
});

describe('timeouts and dropped connections', () => {
  it('types a header timeout as TimeoutError after `retries` more attempts', async () => {
    server.respond(hang);
    const error = await client({ timeoutMs: 200, retries: 2 })
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(TimeoutError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 200 });
    expect(server.arrivals(PATH)).toHaveLength(3);
    const [first, second] = server.gaps(PATH) as [number, number];
    expect(second).toBeGreaterThan(first);
  });

  it('recovers when only the first attempt hangs', async () => {
    server.respond(({ res, attempt }) => (attempt === 0 ? hang() : json(res, 200, {})));
    await expect(client({ timeoutMs: 200 }).completeProvisioning('id_1')).resolves.toBeUndefined();
    expect(server.arrivals(PATH)).toHaveLength(2);
  });

  it('types a connection reset before the headers as NetworkError, after retrying', async () => {
    server.respond(({ res }) => resetBeforeHeaders(res));
    const error = await client({ retries: 2 })
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(NetworkError.is(error)).toBe(true);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(server.arrivals(PATH)).toHaveLength(3);
  });

  it("resolves, sending once, when the connection drops after a 200's headers (the status is the answer)", async () => {
    server.respond(({ res }) => resetMidBody(res));
    await expect(client({ retries: 2 }).completeProvisioning('id_1')).resolves.toBeUndefined();
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it("resolves when a 200's body stalls after the headers (the body is not awaited)", async () => {
    server.respond(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
    });
    await expect(client({ timeoutMs: 200, retries: 0 }).completeProvisioning('id_1')).resolves.toBeUndefined();
  });
});

describe('odd 2xx bodies (completeProvisioning ignores the body)', () => {
  it.each([
    ['invalid JSON', '{"provisioning_status": compl'],
    ['an empty body', ''],
    ['plain text', 'OK'],
  ])('resolves on a 200 with %s', async (_name, body) => {
    server.respond(({ res }) => raw(res, 200, body));
    await expect(client().completeProvisioning('id_1')).resolves.toBeUndefined();
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('resolves on a 204', async () => {
    server.respond(({ res }) => {
      res.writeHead(204);
      res.end();
    });
    await expect(client().completeProvisioning('id_1')).resolves.toBeUndefined();
  });

  it.each([
    ['declared by content-length', true],
    ['streamed without a length', false],
  ])('resolves on a 200 with a 2 MiB body %s, without reading it', async (_name, declare) => {
    server.respond(({ res }) => huge(res, 2 * 1024 * 1024, declare));
    await expect(client({ retries: 0 }).completeProvisioning('id_1')).resolves.toBeUndefined();
    expect(server.arrivals(PATH)).toHaveLength(1);
  });

  it('still refuses a 2 MiB error body without hanging (ApiError)', async () => {
    server.respond(({ res }) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(`{"error":{"code":"BIG","message":"${'x'.repeat(2 * 1024 * 1024)}"}}`);
    });
    const error = await client({ retries: 0 })
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ status: 500 });
  });
});

describe('redirects (never followed)', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to another local server is an ApiError; the other server receives nothing and nothing is retried',
    async (status) => {
      const elsewhere = await startFaultServer();
      try {
        elsewhere.respond(({ res }) => json(res, 200, {}));
        server.respond(({ res }) => json(res, status, {}, { location: `${elsewhere.origin}/steal` }));
        const error = await client({ retries: 2 })
          .completeProvisioning('id_1')
          .catch((e: unknown) => e);
        expect(ApiError.is(error)).toBe(true);
        expect(error).toMatchObject({ provider: 'anzu', status, code: `http_${status}` });
        expect((error as Error).message).toContain('Redirects are not followed');
        expect(server.arrivals(PATH)).toHaveLength(1);
        expect(elsewhere.arrivals()).toEqual([]);
      } finally {
        await elsewhere.close();
      }
    },
  );

  it("a redirect body's own error code becomes the ApiError's code", async () => {
    server.respond(({ res }) =>
      json(res, 307, { error: { code: 'MOVED', message: 'try elsewhere' } }, { location: 'http://127.0.0.1:9/' }),
    );
    await expect(client().completeProvisioning('id_1')).rejects.toMatchObject({ status: 307, code: 'MOVED' });
  });
});

describe('process hygiene', () => {
  it('left no unhandled rejection behind in any test above', async () => {
    // Give stray promises from abandoned attempts a turn of the event loop to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
