/**
 * The handler's `idempotency` option against an in-memory KeyValueStore written here (with a
 * clock the test moves, so claims expire without waiting): each answer of the contract, store
 * failures thrown synchronously or by rejecting, and slow deliveries whose claim expired.
 */
import { describe, expect, it, vi } from 'vitest';
import { type AnzuWebhookHandlerOptions, createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { ANZU_EVENT_KEY_PREFIX } from '../../src/anzu/webhook-idempotency.js';
import { signAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import type { ProvisionKitError } from '../../src/core/errors.js';
import type { KeyValueStore } from '../../src/stores/types.js';

const SECRET = 'whsec_idempotency-3e2d1c';
const KEY = `${ANZU_EVENT_KEY_PREFIX}evt_1`;

/** A KeyValueStore in a Map, expiring on its own clock (`advance`), logging every call. */
function testStore() {
  let clock = 0;
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const log: string[] = [];
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock) entries.delete(key);
    return entries.get(key);
  };
  const store: KeyValueStore = {
    async get(key) {
      log.push(`get ${key}`);
      return live(key)?.value;
    },
    async set(key, value, { ttlSeconds, onlyIfAbsent }) {
      log.push(`set ${key} ${value.split(':')[0]} ${ttlSeconds}${onlyIfAbsent ? ' nx' : ''}`);
      if (onlyIfAbsent && live(key)) return false;
      entries.set(key, { value, expiresAt: clock + ttlSeconds * 1000 });
      return true;
    },
    async delete(key, options) {
      log.push(`delete ${key}${options?.onlyIfValue ? ' if' : ''}`);
      const entry = live(key);
      if (!entry || (options?.onlyIfValue !== undefined && entry.value !== options.onlyIfValue)) return false;
      return entries.delete(key);
    },
  };
  return {
    store,
    log,
    value: (key = KEY) => live(key)?.value,
    advance: (seconds: number) => {
      clock += seconds * 1000;
    },
  };
}

const created = (id = 'evt_1', identity = 'ui_1') =>
  JSON.stringify({
    id,
    kind: 'user_management.user_identity_created',
    scope: { workspaceId: 'w', environmentId: 'e' },
    payload: { provisionedWith: 'email', identity: { id: identity, provider: 'email' } },
  });

async function delivery(body = created()) {
  return new Request('https://app.example.com/webhooks/anzu', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'anzu-signature': await signAnzuWebhook({ payload: body, secret: SECRET }),
    },
  });
}

/** A promise with its resolve and reject, to hold a callback mid-run. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

function setup(overrides: Partial<AnzuWebhookHandlerOptions> = {}, storeOverride?: Partial<KeyValueStore>) {
  const kv = testStore();
  const store = { ...kv.store, ...storeOverride };
  const onUserIdentityCreated = vi.fn(async () => {});
  const completeProvisioning = vi.fn(async () => {});
  const onEvent = vi.fn(async () => {});
  const onError = vi.fn();
  const handler = createAnzuWebhookHandler({
    secret: SECRET,
    client: { completeProvisioning },
    onUserIdentityCreated,
    onEvent,
    onError,
    idempotency: { store, lockSeconds: 30 },
    ...overrides,
  });
  const send = async (body?: string) => {
    const response = await handler(await delivery(body));
    return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
  };
  return { ...kv, handler, send, onUserIdentityCreated, completeProvisioning, onEvent, onError };
}

describe('idempotency: answers', () => {
  it('claims, runs the callback, confirms, marks done: two store calls, then answers 200', async () => {
    const { send, log, value, onUserIdentityCreated, completeProvisioning } = setup();
    expect(await send()).toMatchObject({ status: 200, body: { ok: true } });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
    expect(completeProvisioning).toHaveBeenCalledTimes(1);
    expect(log).toEqual([`set ${KEY} claim 30 nx`, `set ${KEY} done 604800`]);
    expect(value()).toBe('done');
  });

  it('answers a done event 200 duplicate, running nothing', async () => {
    const { send, onUserIdentityCreated, completeProvisioning } = setup();
    await send();
    expect(await send()).toEqual({ status: 200, body: { ok: true, duplicate: true }, retryAfter: null });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
    expect(completeProvisioning).toHaveBeenCalledTimes(1);
  });

  it('remembers done events for ttlSeconds only', async () => {
    const kv = testStore();
    const { send, onUserIdentityCreated } = setup({ idempotency: { store: kv.store, ttlSeconds: 100 } });
    await send();
    kv.advance(99);
    expect((await send()).body).toEqual({ ok: true, duplicate: true });
    kv.advance(2);
    expect((await send()).body).toEqual({ ok: true });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(2);
  });

  it('answers 409 in_progress with Retry-After while another delivery holds the claim', async () => {
    const held = gate();
    const { send, onUserIdentityCreated, onError } = setup();
    onUserIdentityCreated.mockImplementationOnce(() => held.promise);
    const first = send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(1));
    const second = await send();
    expect(second).toMatchObject({ status: 409, body: { error: 'in_progress' } });
    // The claim was taken a moment ago with lockSeconds 30: 29 or 30 seconds are left.
    expect(Number(second.retryAfter)).toBeGreaterThanOrEqual(29);
    expect(Number(second.retryAfter)).toBeLessThanOrEqual(30);
    expect(onError.mock.calls.map(([e, stage]) => [(e as ProvisionKitError).code, stage])).toEqual([
      ['in_progress', 'store'],
    ]);
    held.open();
    expect((await first).status).toBe(200);
    expect((await send()).body).toEqual({ ok: true, duplicate: true });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
  });

  it('tells the seconds left in Retry-After as the claim ages', async () => {
    const { send, onUserIdentityCreated, store } = setup();
    onUserIdentityCreated.mockImplementationOnce(() => new Promise(() => {}));
    void send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(1));
    // Rewrite the claim's expiry as if it was taken 20 s ago (the store's TTL is not read).
    const claim = (await store.get(KEY)) as string;
    const [, expiresAt, token] = claim.split(':');
    await store.set(KEY, `claim:${Number(expiresAt) - 20_000}:${token}`, { ttlSeconds: 30 });
    expect(Number((await send()).retryAfter)).toBeLessThanOrEqual(10);
  });

  it('releases the claim when the callback fails (500), so a redelivery runs everything again', async () => {
    const { send, value, onUserIdentityCreated, completeProvisioning } = setup();
    onUserIdentityCreated.mockRejectedValueOnce(new Error('db down'));
    expect(await send()).toMatchObject({ status: 500, body: { error: 'callback_failed' } });
    expect(value()).toBeUndefined();
    expect(completeProvisioning).not.toHaveBeenCalled();
    expect(await send()).toMatchObject({ status: 200, body: { ok: true } });
    expect([onUserIdentityCreated.mock.calls.length, completeProvisioning.mock.calls.length]).toEqual([2, 1]);
  });

  it('releases the claim when the confirmation fails or times out (500 confirm_failed)', async () => {
    const { send, value, onUserIdentityCreated, completeProvisioning } = setup({ confirmTimeoutMs: 30 });
    completeProvisioning.mockRejectedValueOnce(new Error('anzu down'));
    completeProvisioning.mockImplementationOnce(() => new Promise(() => {}));
    expect(await send()).toMatchObject({ status: 500, body: { error: 'confirm_failed' } });
    expect(value()).toBeUndefined();
    expect(await send()).toMatchObject({ status: 500, body: { error: 'confirm_failed' } });
    expect(value()).toBeUndefined();
    expect(await send()).toMatchObject({ status: 200, body: { ok: true } });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(3);
  });

  it('claims other kinds too, but never a ping', async () => {
    const { send, log, onEvent } = setup();
    const ping = JSON.stringify({ id: 'evt_ping', kind: 'ping' });
    expect(await send(ping)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await send(ping)).toMatchObject({ status: 200, body: { ok: true } });
    expect(log).toEqual([]);
    const deleted = JSON.stringify({ id: 'evt_2', kind: 'user_management.user_identity_deleted', payload: {} });
    await send(deleted);
    expect((await send(deleted)).body).toEqual({ ok: true, duplicate: true });
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it('never touches the store for invalid requests', async () => {
    const { handler, log } = setup();
    const url = 'https://app.example.com/webhooks/anzu';
    await handler(new Request(url));
    await handler(new Request(url, { method: 'POST', body: created() }));
    await handler(
      new Request(url, { method: 'POST', body: created(), headers: { 'anzu-signature': 'ts=1&v=1&sig=00' } }),
    );
    const wrong = await signAnzuWebhook({ payload: created(), secret: 'another-secret' });
    await handler(new Request(url, { method: 'POST', body: created(), headers: { 'anzu-signature': wrong } }));
    const notAnEvent = await signAnzuWebhook({ payload: '{"id":1}', secret: SECRET });
    await handler(new Request(url, { method: 'POST', body: '{"id":1}', headers: { 'anzu-signature': notAnEvent } }));
    expect(log).toEqual([]);
  });

  it('keys each event by its id under one prefix: distinct events never block each other', async () => {
    const { send, log } = setup();
    await send(created('evt_a', 'ui_a'));
    await send(created('evt_b', 'ui_b'));
    expect(log.filter((l) => l.includes(' nx'))).toEqual([
      `set ${ANZU_EVENT_KEY_PREFIX}evt_a claim 30 nx`,
      `set ${ANZU_EVENT_KEY_PREFIX}evt_b claim 30 nx`,
    ]);
  });
});

describe('idempotency: the store fails', () => {
  const boom = () => new Error('ECONNREFUSED redis://:p4ssw0rd@10.0.0.1');
  const cases: [string, Partial<KeyValueStore>][] = [
    [
      'set throws synchronously',
      {
        set: () => {
          throw boom();
        },
      },
    ],
    ['set rejects', { set: async () => Promise.reject(boom()) }],
    [
      'get throws synchronously after a lost claim',
      {
        set: async () => false,
        get: () => {
          throw boom();
        },
      },
    ],
    ['get rejects after a lost claim', { set: async () => false, get: async () => Promise.reject(boom()) }],
  ];
  it.each(cases)('answers 503 store_unavailable when %s, running nothing', async (_, failing) => {
    const { send, onUserIdentityCreated, completeProvisioning, onError } = setup({}, failing);
    const response = await send();
    expect(response).toEqual({ status: 503, body: { error: 'store_unavailable' }, retryAfter: null });
    expect(JSON.stringify(response)).not.toContain('p4ssw0rd');
    expect(onUserIdentityCreated).not.toHaveBeenCalled();
    expect(completeProvisioning).not.toHaveBeenCalled();
    expect(onError.mock.calls[0]?.[1]).toBe('store');
    expect(String(onError.mock.calls[0]?.[0])).toContain('ECONNREFUSED');
  });

  it('answers 200 when only the done-mark fails (the work succeeded), reporting the failure', async () => {
    const kv = testStore();
    const { send, onError, onUserIdentityCreated } = setup(
      {},
      {
        set: (key, value, options) => {
          if (value === 'done') throw boom();
          return kv.store.set(key, value, options);
        },
      },
    );
    expect(await send()).toMatchObject({ status: 200, body: { ok: true } });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls.map(([, stage]) => stage)).toEqual(['store']);
  });

  it('keeps 500 when releasing a failed claim fails too, and reports both', async () => {
    const { send, onError, onUserIdentityCreated } = setup({}, { delete: async () => Promise.reject(boom()) });
    onUserIdentityCreated.mockRejectedValueOnce(new Error('db down'));
    expect(await send()).toMatchObject({ status: 500, body: { error: 'callback_failed' } });
    expect(onError.mock.calls.map(([, stage]) => stage).sort()).toEqual(['callback', 'store']);
  });

  it('lets the event through again once the store recovers', async () => {
    let down = true;
    const kv = testStore();
    const { send, onUserIdentityCreated } = setup(
      {},
      {
        ...kv.store,
        set: (key, value, options) => (down ? Promise.reject(boom()) : kv.store.set(key, value, options)),
      },
    );
    expect((await send()).status).toBe(503);
    down = false;
    expect((await send()).status).toBe(200);
    expect((await send()).body).toEqual({ ok: true, duplicate: true });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
  });
});

describe('idempotency: claims that expire', () => {
  it('a process that died holding a claim blocks the event for lockSeconds at most', async () => {
    const { send, advance, onUserIdentityCreated } = setup();
    onUserIdentityCreated.mockImplementationOnce(() => new Promise(() => {})); // "dies" mid-callback
    void send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(1));
    expect((await send()).status).toBe(409);
    advance(29);
    expect((await send()).status).toBe(409);
    advance(1);
    expect(await send()).toMatchObject({ status: 200, body: { ok: true } });
  });

  it("a slow delivery whose claim expired does not release the new holder's claim", async () => {
    const slow = gate();
    const next = gate();
    const { send, advance, value, onUserIdentityCreated } = setup();
    onUserIdentityCreated.mockImplementationOnce(() => slow.promise).mockImplementationOnce(() => next.promise);
    const a = send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(1));
    advance(31); // A's claim expires while its callback still runs
    const b = send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(2));
    const claimOfB = value();
    slow.fail(new Error('A failed late'));
    expect((await a).status).toBe(500);
    expect(value()).toBe(claimOfB); // A's release compared against its own token: B's claim stays
    expect((await send()).status).toBe(409);
    next.open();
    expect((await b).status).toBe(200);
    expect((await send()).body).toEqual({ ok: true, duplicate: true });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(2);
  });

  it('a slow delivery that succeeds after its claim expired marks the event done, and no later failure undoes it', async () => {
    const slow = gate();
    const next = gate();
    const { send, advance, value, onUserIdentityCreated, completeProvisioning } = setup();
    onUserIdentityCreated.mockImplementationOnce(() => slow.promise).mockImplementationOnce(() => next.promise);
    const a = send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(1));
    advance(31);
    const b = send();
    await vi.waitFor(() => expect(onUserIdentityCreated).toHaveBeenCalledTimes(2));
    slow.open(); // A's work (callback and confirmation) did succeed: the event is done
    expect((await a).status).toBe(200);
    expect(value()).toBe('done');
    next.fail(new Error('B failed'));
    expect((await b).status).toBe(500);
    expect(value()).toBe('done'); // B's release compares against B's claim, not A's done-mark
    expect((await send()).body).toEqual({ ok: true, duplicate: true });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(2);
    expect(completeProvisioning).toHaveBeenCalledTimes(1);
  });
});
