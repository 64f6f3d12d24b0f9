// redisStore against a real redis-server started here, through each client library it
// accepts: the conformance suite, then what only Redis has (raw keys, server-side expiry,
// several clients sharing one server).
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { type KeyValueStore, type RedisClient, redisStore } from '../../src/stores/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { startUpstashShim, type UpstashShim } from '../support/upstash-shim.js';
import { describeKeyValueStore, uniqueKey } from './conformance.js';

let server: RedisServer;
let nodeRedis: ReturnType<typeof createClient>;
let ioredis: IoRedis;
let shim: UpstashShim;

beforeAll(async () => {
  server = await startRedis();
  nodeRedis = createClient({ url: server.url });
  nodeRedis.on('error', () => {});
  await nodeRedis.connect();
  ioredis = new IoRedis(server.url, { lazyConnect: true });
  await ioredis.connect();
  shim = await startUpstashShim({ redisUrl: server.url });
});

afterAll(async () => {
  await nodeRedis?.close();
  ioredis?.disconnect();
  await shim?.stop();
  await server?.stop();
});

const clients: [string, () => RedisClient][] = [
  ['node-redis', () => nodeRedis],
  ['ioredis', () => ioredis],
  // The client's defaults: auto-pipelining (the /pipeline endpoint), base64 replies, JSON parsing.
  ['@upstash/redis', () => shim.client()],
  [
    '@upstash/redis (raw replies, no pipelining)',
    () => shim.client({ automaticDeserialization: false, responseEncoding: false, enableAutoPipelining: false }),
  ],
];

/** The raw view of the server, through node-redis, whatever client the store uses. */
const raw = {
  get: (key: string) => nodeRedis.sendCommand<string | null>(['GET', key]),
  pttl: (key: string) => nodeRedis.sendCommand<number>(['PTTL', key]),
  exists: (key: string) => nodeRedis.sendCommand<number>(['EXISTS', key]),
};

describe.each(clients)('redisStore with %s', (name, client) => {
  describeKeyValueStore(`redisStore(${name})`, () => redisStore(client()));

  it('prepends prefix as given to every key', async () => {
    const prefix = `${uniqueKey('app')}:`;
    const store = redisStore(client(), { prefix });
    await store.set('a', '1', { ttlSeconds: 60 });
    await store.set('b', '2', { ttlSeconds: 60, onlyIfAbsent: true });
    expect(await raw.get(`${prefix}a`)).toBe('1');
    expect(await raw.get(`${prefix}b`)).toBe('2');
    expect(await raw.exists('a')).toBe(0);
    expect(await store.get('a')).toBe('1');
    expect(await store.delete('a', { onlyIfValue: '1' })).toBe(true);
    expect(await raw.exists(`${prefix}a`)).toBe(0);
    expect(await store.delete('b')).toBe(true);
    expect(await raw.exists(`${prefix}b`)).toBe(0);
  });

  it('stores plain values under plain keys without a prefix', async () => {
    const key = uniqueKey();
    await redisStore(client()).set(key, '{"a": 1}', { ttlSeconds: 60 });
    expect(await raw.get(key)).toBe('{"a": 1}');
  });

  it('every key it writes expires on the server (PTTL within ttlSeconds)', async () => {
    const store = redisStore(client());
    const plain = uniqueKey();
    const nx = uniqueKey();
    const fraction = uniqueKey();
    await store.set(plain, 'v', { ttlSeconds: 60 });
    await store.set(nx, 'v', { ttlSeconds: 30, onlyIfAbsent: true });
    await store.set(fraction, 'v', { ttlSeconds: 0.0001 + 5 });
    const [a, b, c] = [await raw.pttl(plain), await raw.pttl(nx), await raw.pttl(fraction)];
    expect(a).toBeGreaterThan(55_000);
    expect(a).toBeLessThanOrEqual(60_000);
    expect(b).toBeGreaterThan(25_000);
    expect(b).toBeLessThanOrEqual(30_000);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThanOrEqual(5_001);
  });

  it('a failed onlyIfAbsent leaves the value and its expiry alone', async () => {
    const store = redisStore(client());
    const key = uniqueKey();
    await store.set(key, 'first', { ttlSeconds: 20 });
    expect(await store.set(key, 'second', { ttlSeconds: 600, onlyIfAbsent: true })).toBe(false);
    expect(await raw.get(key)).toBe('first');
    expect(await raw.pttl(key)).toBeLessThanOrEqual(20_000);
  });
});

describe('redisStore across client libraries', () => {
  it('shares keys and values between node-redis, ioredis and @upstash/redis', async () => {
    const prefix = `${uniqueKey('shared')}:`;
    const viaIo = redisStore(ioredis, { prefix });
    const viaNode = redisStore(nodeRedis, { prefix });
    const viaUpstash = redisStore(shim.client(), { prefix });
    const value = '{"token": "abc", "n": 1}';
    expect(await viaIo.set('event', value, { ttlSeconds: 60, onlyIfAbsent: true })).toBe(true);
    expect(await viaNode.get('event')).toBe(value);
    expect(await viaUpstash.get('event')).toBe(value);
    expect(await viaNode.set('event', 'claim-2', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(false);
    expect(await viaUpstash.set('event', 'claim-3', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(false);
    expect(await viaUpstash.delete('event', { onlyIfValue: 'claim-2' })).toBe(false);
    expect(await viaUpstash.delete('event', { onlyIfValue: value })).toBe(true);
    expect(await viaIo.get('event')).toBeUndefined();
    expect(await viaNode.get('event')).toBeUndefined();

    expect(await viaUpstash.set('other', '42', { ttlSeconds: 60 })).toBe(true);
    expect(await viaIo.get('other')).toBe('42');
    expect(await raw.get(`${prefix}other`)).toBe('42');
    expect(await viaNode.delete('other', { onlyIfValue: '42' })).toBe(true);
  });

  it('one writer wins among concurrent onlyIfAbsent sets from both libraries', async () => {
    const key = uniqueKey();
    const stores = [redisStore(nodeRedis), redisStore(ioredis), redisStore(shim.client())];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (stores[i % stores.length] as KeyValueStore).set(key, `w${i}`, { ttlSeconds: 60, onlyIfAbsent: true }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('redisStore failures', () => {
  const boom = () => {
    throw new Error('boom: client broken');
  };
  const throwing: [string, RedisClient][] = [
    ['node-redis', { sendCommand: boom }],
    ['ioredis', { call: boom }],
    ['@upstash/redis', { set: boom, eval: boom, del: boom }],
  ];

  it.each(throwing)('turns a synchronous throw of a %s client into a rejection', async (_, client) => {
    const store = redisStore(client);
    const calls = [
      () => store.get('k'),
      () => store.set('k', 'v', { ttlSeconds: 1 }),
      () => store.set('k', 'v', { ttlSeconds: 1, onlyIfAbsent: true }),
      () => store.delete('k'),
      () => store.delete('k', { onlyIfValue: 'v' }),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      await expect(promise).rejects.toThrow('boom: client broken');
    }
  });

  it('passes a rejection of the client on', async () => {
    const store = redisStore({ sendCommand: () => Promise.reject(new Error('connection lost')) });
    await expect(store.get('k')).rejects.toThrow('connection lost');
    await expect(store.set('k', 'v', { ttlSeconds: 1 })).rejects.toThrow('connection lost');
  });

  it.each([
    ['no client', undefined],
    ['null', null],
    ['an object without the methods', {}],
    ['a string', 'redis://127.0.0.1'],
  ])('refuses %s with a ValidationError naming client', (_, client) => {
    expect(() => redisStore(client as never)).toThrow(ValidationError);
    try {
      redisStore(client as never);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: 'client', message: expect.any(String) }]);
    }
  });

  it('refuses a prefix that is not a string', () => {
    try {
      redisStore(nodeRedis, { prefix: 42 as never });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: 'prefix', message: expect.any(String) }]);
    }
  });
});

describe('redisStore commands on the wire', () => {
  const CAD = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  it('sends one command per operation, the same through node-redis and ioredis', async () => {
    const sentByNode: string[][] = [];
    const sentByIo: string[][] = [];
    const replies = ['OK', null, 'v', 1, 0];
    let n = 0;
    let i = 0;
    const node = redisStore(
      {
        sendCommand: async (args) => {
          sentByNode.push(args);
          return replies[n++];
        },
      },
      { prefix: 'p:' },
    );
    const io = redisStore(
      {
        call: async (...args) => {
          sentByIo.push(args);
          return replies[i++];
        },
      },
      { prefix: 'p:' },
    );
    for (const store of [node, io]) {
      expect(await store.set('k', 'v', { ttlSeconds: 1.5 })).toBe(true);
      expect(await store.set('k', 'v', { ttlSeconds: 2, onlyIfAbsent: true })).toBe(false);
      expect(await store.get('k')).toBe('v');
      expect(await store.delete('k')).toBe(true);
      expect(await store.delete('k', { onlyIfValue: 'v' })).toBe(false);
    }
    const expected = [
      ['SET', 'p:k', 'v', 'PX', '1500'],
      ['SET', 'p:k', 'v', 'PX', '2000', 'NX'],
      ['GET', 'p:k'],
      ['DEL', 'p:k'],
      ['EVAL', CAD, '1', 'p:k', 'v'],
    ];
    expect(sentByNode).toEqual(expected);
    expect(sentByIo).toEqual(expected);
  });

  it('sends one command per operation through @upstash/redis, compare-and-delete as the same script', async () => {
    const before = shim.commands.length;
    const store = redisStore(shim.client({ enableAutoPipelining: false }), { prefix: 'wire:' });
    await store.set('k', 'v', { ttlSeconds: 1.5, onlyIfAbsent: true });
    await store.get('k');
    await store.delete('k', { onlyIfValue: 'v' });
    await store.delete('k');
    const sent = shim.commands.slice(before);
    expect(sent).toHaveLength(4);
    expect(sent[0]?.map((arg, i) => (i > 2 ? arg.toUpperCase() : arg))).toEqual([
      'SET',
      'wire:k',
      'v',
      'NX',
      'PX',
      '1500',
    ]);
    expect(sent[1]?.slice(0, 1)).toEqual(['EVAL']);
    expect(sent[1]?.slice(2)).toEqual(['1', 'wire:k']);
    expect(sent[2]).toEqual(['EVAL', CAD, '1', 'wire:k', 'v']);
    expect(sent[3]).toEqual(['DEL', 'wire:k']);
  });
});
