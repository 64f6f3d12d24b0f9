// auth.tokenStore: one token for every client sharing a store. Each WristbandClient has its own
// token source, so two clients stand for two processes; the store is an in-memory KeyValueStore
// written here, which expires keys by the wall clock like Redis does.
import { delay, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { HttpClient } from '../../src/core/http.js';
import type { KeyValueStore } from '../../src/stores/types.js';
import { describeWristbandError } from '../../src/wristband/errors.js';
import { openToken, tokenStoreCipher, tokenStoreKey } from '../../src/wristband/shared-token.js';
import { createTokenSource } from '../../src/wristband/token-source.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  clientCredentials,
  endpoint,
  json,
  SIGNUP_URL,
  TENANT_SIGNUP,
  TOKEN_URL,
  tokenEndpoint,
  useMockServer,
} from './mock-wristband.js';

const server = useMockServer();

interface Op {
  op: 'get' | 'set' | 'delete';
  key: string;
  value?: string | undefined;
  options?: unknown;
}

/** An in-memory KeyValueStore that records every operation. */
function testStore() {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const ops: Op[] = [];
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  const store: KeyValueStore = {
    async get(key) {
      ops.push({ op: 'get', key });
      return live(key)?.value;
    },
    async set(key, value, options) {
      ops.push({ op: 'set', key, value, options });
      if (options.onlyIfAbsent && live(key)) return false;
      entries.set(key, { value, expiresAt: Date.now() + options.ttlSeconds * 1000 });
      return true;
    },
    async delete(key, options) {
      ops.push({ op: 'delete', key, options });
      const entry = live(key);
      if (!entry || (options?.onlyIfValue !== undefined && entry.value !== options.onlyIfValue)) return false;
      return entries.delete(key);
    },
  };
  return { store, ops, entries, value: (key: string) => live(key)?.value };
}

const withStore = (store: KeyValueStore, clientSecret = CLIENT_SECRET) =>
  clientCredentials({ auth: { clientId: CLIENT_ID, clientSecret, tokenStore: store } });

const slowTokens = (ms = 40) =>
  endpoint(server, TOKEN_URL, async (_seen, index) => {
    await delay(ms);
    return HttpResponse.json({ access_token: `tok-${index + 1}`, token_type: 'Bearer', expires_in: 3600 });
  });

const bearers = (seen: { headers: Headers }[]) => seen.map((s) => s.headers.get('authorization'));
const KEY = () => tokenStoreKey(TOKEN_URL, CLIENT_ID);

describe('auth.tokenStore: one token for several processes', () => {
  it('two clients signing up at once make one token request', async () => {
    const tokens = slowTokens();
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store } = testStore();
    const [a, b] = [withStore(store), withStore(store)];
    await Promise.all([a, b, a, b, a, b].map((client) => client.provisionSignup(TENANT_SIGNUP)));
    expect(tokens).toHaveLength(1);
    expect(new Set(bearers(signups))).toEqual(new Set(['Bearer tok-1']));
  });

  it('a client started later takes the stored token instead of asking for one', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store } = testStore();
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    expect(tokens).toHaveLength(1);
    expect(bearers(signups)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  it('keeps the token in memory too: no store round trip per signup while it is fresh', async () => {
    tokenEndpoint(server);
    endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, ops } = testStore();
    const client = withStore(store);
    await client.provisionSignup(TENANT_SIGNUP);
    const after = ops.length;
    for (let i = 0; i < 5; i++) await client.provisionSignup(TENANT_SIGNUP);
    expect(ops.length).toBe(after);
  });

  it('stores the token until expires_in minus the buffer, and not at all without a usable lifetime', async () => {
    endpoint(
      server,
      TOKEN_URL,
      json({ access_token: 'long', expires_in: 3600 }),
      json({ access_token: 'short', expires_in: 60 }),
    );
    endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const first = testStore();
    await withStore(first.store).provisionSignup(TENANT_SIGNUP);
    const key = await KEY();
    // The TTL is the whole seconds left of the token's usable time (3600 - 60 s) when it is written:
    // 3540 when the write happens within the millisecond the token arrived, 3539 once one has passed
    // (a loaded machine). Never more (the store must not outlive the token), never a whole second less.
    const options = first.ops.find((op) => op.op === 'set' && op.key === key)?.options;
    expect(options).toEqual({ ttlSeconds: expect.any(Number) });
    expect([3539, 3540]).toContain((options as { ttlSeconds: number }).ttlSeconds);
    const second = testStore();
    await withStore(second.store).provisionSignup(TENANT_SIGNUP);
    expect(second.ops.filter((op) => op.op === 'set' && op.key === key)).toEqual([]);
  });
});

describe('auth.tokenStore: what the store holds', () => {
  it('keys hold no secret: a hash of the token URL and the client ID', async () => {
    tokenEndpoint(server);
    endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, ops } = testStore();
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    const keys = new Set(ops.map((op) => op.key));
    const key = await KEY();
    expect(keys).toEqual(new Set([key, `${key}:lock`]));
    expect(key).toMatch(/^provisionkit:wristband:token:[0-9a-f]{64}$/);
    for (const k of keys) expect(k).not.toContain(CLIENT_SECRET);
  });

  it('encrypts the value: neither the token nor the secret is in it, and another secret cannot read it', async () => {
    endpoint(server, TOKEN_URL, json({ access_token: 'eyJ.token-value.sig', expires_in: 3600 }));
    endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, ops, value } = testStore();
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    const key = await KEY();
    const raw = value(key) ?? '';
    expect(raw).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const written = JSON.stringify(ops);
    for (const secret of ['eyJ.token-value.sig', 'token-value', CLIENT_SECRET, btoa('eyJ.token-value.sig')]) {
      expect(written).not.toContain(secret);
    }
    expect(await openToken(await tokenStoreCipher(CLIENT_SECRET), key, raw)).toMatchObject({
      token: 'eyJ.token-value.sig',
    });
    expect(await openToken(await tokenStoreCipher('another-secret'), key, raw)).toBeUndefined();
    // Bound to its key: copied under another key it does not decrypt either.
    expect(await openToken(await tokenStoreCipher(CLIENT_SECRET), `${key}x`, raw)).toBeUndefined();
  });

  it('uses a fresh IV per write: the same token stored twice gives two values', async () => {
    endpoint(server, TOKEN_URL, json({ access_token: 'same', expires_in: 3600 }));
    endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const [one, two] = [testStore(), testStore()];
    await withStore(one.store).provisionSignup(TENANT_SIGNUP);
    await withStore(two.store).provisionSignup(TENANT_SIGNUP);
    const key = await KEY();
    expect(one.value(key)).not.toBe(two.value(key));
  });

  it('ignores and replaces a value that does not decrypt (another secret, tampering)', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, entries, value } = testStore();
    const key = await KEY();
    entries.set(key, { value: 'AAAAtampered-value_not-ours', expiresAt: Date.now() + 60_000 });
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    expect(tokens).toHaveLength(1);
    expect(bearers(signups)).toEqual(['Bearer tok-1']);
    expect(value(key)).not.toBe('AAAAtampered-value_not-ours');
    // A client with another secret cannot use that token: it fetches (and stores) its own.
    await withStore(store, 'a-different-secret').provisionSignup(TENANT_SIGNUP);
    expect(tokens).toHaveLength(2);
    expect(bearers(signups).at(-1)).toBe('Bearer tok-2');
  });
});

describe('auth.tokenStore: a 401', () => {
  it('removes the refused token from the store and shares the new one', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, (seen) =>
      seen.headers.get('authorization') === 'Bearer tok-1' && signups.length === 2
        ? json({ type: 'base_error', code: 'unauthorized' }, 401)()
        : json({ result: 'X' })(),
    );
    const { store, ops } = testStore();
    const [a, b] = [withStore(store), withStore(store)];
    await a.provisionSignup(TENANT_SIGNUP);
    const stored = ops.find((op) => op.op === 'set' && op.key === (ops[0]?.key ?? ''))?.value;
    await a.provisionSignup(TENANT_SIGNUP); // refused, then resent with tok-2
    expect(ops).toContainEqual({ op: 'delete', key: await KEY(), options: { onlyIfValue: stored } });
    await b.provisionSignup(TENANT_SIGNUP);
    expect(tokens).toHaveLength(2);
    expect(bearers(signups)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2']);
  });

  it("keeps another process's newer token: only the refused value is deleted", async () => {
    const tokens = tokenEndpoint(server);
    let refuse: string | undefined;
    const signups = endpoint(server, SIGNUP_URL, (seen) =>
      seen.headers.get('authorization') === refuse
        ? json({ type: 'base_error', code: 'unauthorized' }, 401)()
        : json({ result: 'X' })(),
    );
    const { store, ops, entries, value } = testStore();
    const key = await KEY();
    const [a, b] = [withStore(store), withStore(store)];
    await a.provisionSignup(TENANT_SIGNUP); // a: tok-1, in memory and in the store
    const first = value(key);
    entries.clear(); // the stored value is gone (evicted); a still holds tok-1 in memory
    await b.provisionSignup(TENANT_SIGNUP); // b: tok-2, stored
    const newer = value(key);
    refuse = 'Bearer tok-1';
    await a.provisionSignup(TENANT_SIGNUP); // tok-1 refused: a deletes only its own value, takes tok-2
    expect(ops).toContainEqual({ op: 'delete', key, options: { onlyIfValue: first } });
    expect(value(key)).toBe(newer);
    expect(tokens).toHaveLength(2);
    expect(bearers(signups)).toEqual(['Bearer tok-1', 'Bearer tok-2', 'Bearer tok-1', 'Bearer tok-2']);
  });
});

describe('auth.tokenStore: the lock', () => {
  it('a waiter takes the token the lock holder stored', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, ops } = testStore();
    const key = await KEY();
    // Another process holds the lock and is fetching: it stores its token a little later.
    const other = createTokenSource(
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenStore: store },
      new HttpClient({
        provider: 'wristband',
        describeError: describeWristbandError,
        fetch,
        timeoutMs: 5000,
        retries: 0,
      }),
      TOKEN_URL,
    );
    await store.set(`${key}:lock`, 'other-process', { ttlSeconds: 10, onlyIfAbsent: true });
    const waiting = withStore(store).provisionSignup(TENANT_SIGNUP);
    await delay(60);
    await store.delete(`${key}:lock`);
    await other.get(); // fetches tok-1 and stores it
    await waiting;
    expect(tokens).toHaveLength(1);
    expect(bearers(signups)).toEqual(['Bearer tok-1']);
    expect(ops.filter((op) => op.op === 'get').length).toBeGreaterThan(2);
  });

  it('a lock whose holder died expires: the waiter then takes it and fetches the token itself', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const { store, ops, value } = testStore();
    const key = await KEY();
    await store.set(`${key}:lock`, 'dead-process', { ttlSeconds: 1, onlyIfAbsent: true });
    await withStore(store).provisionSignup(TENANT_SIGNUP);
    expect(tokens).toHaveLength(1);
    expect(bearers(signups)).toEqual(['Bearer tok-1']);
    const won = ops.find((op) => op.op === 'set' && op.key === `${key}:lock` && op.value !== 'dead-process');
    expect(won?.options).toEqual({ ttlSeconds: 10, onlyIfAbsent: true });
    expect(value(key)).toBeDefined();
    // Released after the token was stored, and only its own lock.
    expect(ops).toContainEqual({ op: 'delete', key: `${key}:lock`, options: { onlyIfValue: won?.value } });
    expect(value(`${key}:lock`)).toBeUndefined();
  });

  it('waits a bounded time for a lock that stays, then fetches the token itself', async () => {
    const tokens = tokenEndpoint(server);
    const { store, value } = testStore();
    const key = await KEY();
    await store.set(`${key}:lock`, 'stuck-process', { ttlSeconds: 60, onlyIfAbsent: true });
    const source = createTokenSource(
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenStore: store },
      new HttpClient({
        provider: 'wristband',
        describeError: describeWristbandError,
        fetch,
        timeoutMs: 5000,
        retries: 0,
      }),
      TOKEN_URL,
      { waitMs: 150, lockSeconds: 10, operationMs: 1000 },
    );
    await expect(source.get()).resolves.toBe('tok-1');
    expect(tokens).toHaveLength(1);
    // Stored for the others, and the stuck lock is not touched.
    expect(value(key)).toBeDefined();
    expect(value(`${key}:lock`)).toBe('stuck-process');
  });
});

describe('auth.tokenStore: a failing store never fails a signup', () => {
  const failing = (how: 'reject' | 'throw', only?: Op['op']): KeyValueStore => {
    const { store } = testStore();
    const fail = (op: Op['op'], real: (...args: never[]) => Promise<unknown>) =>
      ((...args: never[]) => {
        if (only && op !== only) return real(...args);
        if (how === 'throw') throw new Error('ECONNREFUSED with the client secret cs_9d2b7e4f1a6c3e8b');
        return Promise.reject(new Error('ECONNREFUSED'));
      }) as never;
    return {
      get: fail('get', store.get),
      set: fail('set', store.set),
      delete: fail('delete', store.delete),
    };
  };

  it.each([
    ['every method rejects', failing('reject')],
    ['every method throws synchronously', failing('throw')],
    ['get works, set rejects', failing('reject', 'set')],
    ['only delete throws', failing('throw', 'delete')],
  ])('%s: the token is fetched in-process and the signup succeeds', async (_name, store) => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const client = withStore(store);
    await expect(client.provisionSignup(TENANT_SIGNUP)).resolves.toMatchObject({ result: 'X' });
    await expect(client.provisionSignup(TENANT_SIGNUP)).resolves.toMatchObject({ result: 'X' });
    expect(tokens).toHaveLength(1);
    expect(signups).toHaveLength(2);
  });

  it('a 401 with a failing store still resends once with a fresh token', async () => {
    const tokens = tokenEndpoint(server);
    const signups = endpoint(
      server,
      SIGNUP_URL,
      json({ type: 'base_error', code: 'unauthorized' }, 401),
      json({ result: 'X' }),
    );
    await expect(withStore(failing('reject')).provisionSignup(TENANT_SIGNUP)).resolves.toMatchObject({ result: 'X' });
    expect(tokens).toHaveLength(2);
    expect(bearers(signups)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });
});

describe('auth.tokenStore: validation', () => {
  it.each([{}, { get() {}, set() {} }, 'redis://localhost', null])('refuses %j', (tokenStore) => {
    let error: unknown;
    try {
      withStore(tokenStore as never);
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([
      { path: 'auth.tokenStore', message: 'must have get, set and delete' },
    ]);
  });
});
