// The test support other suites build on: a real redis-server that can be stopped and started
// again on the same port, the Upstash REST shim in front of it, and redisStore failing fast
// (then recovering) when Redis goes away, with each client configured as docs/scaling.md says.
import { connect } from 'node:net';
import { Redis as IoRedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyValueStore, redisStore } from '../../src/stores/index.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { startUpstashShim, type UpstashShim } from '../support/upstash-shim.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('startRedis', () => {
  it('runs a redis-server on 127.0.0.1, stops it by pid, starts it again on the same port, empty', async () => {
    const server = await startRedis();
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      const firstPid = server.pid;
      expect(alive(firstPid)).toBe(true);
      const client = await createClient({ url: server.url }).connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      client.destroy();

      await server.stop();
      expect(server.running).toBe(false);
      expect(server.pid).toBe(0);
      expect(alive(firstPid)).toBe(false);
      expect(await accepts(server.port)).toBe(false);
      await server.stop(); // twice is fine

      await server.start();
      expect(server.running).toBe(true);
      expect(server.pid).not.toBe(firstPid);
      const again = await createClient({ url: server.url }).connect();
      expect(await again.get('k')).toBeNull(); // nothing persisted
      again.destroy();

      const before = server.pid;
      await server.restart();
      expect(alive(before)).toBe(false);
      expect(alive(server.pid)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('starts servers on different ports side by side', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(await accepts(a.port)).toBe(true);
      expect(await accepts(b.port)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('upstash shim and Redis outages', () => {
  let server: RedisServer;
  let shim: UpstashShim;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    server = await startRedis();
    shim = await startUpstashShim({ redisUrl: server.url });
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await shim?.stop();
    await server?.stop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${shim.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shim.token}`, ...headers },
      body: JSON.stringify(body),
    });

  it('speaks the REST protocol: bearer token, single commands, pipeline, multi-exec, base64', async () => {
    const refused = await post('/', ['GET', 'x'], { authorization: 'Bearer wrong' });
    expect(refused.status).toBe(401);
    expect(await (await post('/', ['SET', 'shim:k', 'héllo'])).json()).toEqual({ result: 'OK' });
    expect(await (await post('/', ['GET', 'shim:k'])).json()).toEqual({ result: 'héllo' });
    expect(await (await post('/', ['GET', 'shim:k'], { 'upstash-encoding': 'base64' })).json()).toEqual({
      result: Buffer.from('héllo').toString('base64'),
    });
    const bad = await post('/', ['NOSUCHCOMMAND']);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/unknown command/i);
    expect(await (await post('/pipeline', [['INCR', 'shim:n'], ['GET', 'shim:k'], ['BOGUS']])).json()).toEqual([
      { result: 1 },
      { result: 'héllo' },
      { error: expect.stringMatching(/unknown command/i) },
    ]);
    expect(
      await (
        await post('/multi-exec', [
          ['INCR', 'shim:n'],
          ['INCR', 'shim:n'],
        ])
      ).json(),
    ).toEqual([{ result: 2 }, { result: 3 }]);
    expect(shim.commands).toContainEqual(['GET', 'shim:k']);
  });

  it('every store fails fast while Redis is down and works again once it is back', async () => {
    const nodeRedis = createClient({
      url: server.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: () => 100 },
    });
    nodeRedis.on('error', () => {});
    await nodeRedis.connect();
    closers.push(() => nodeRedis.destroy());
    const ioredis = new IoRedis(server.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    ioredis.on('error', () => {});
    closers.push(() => ioredis.disconnect());
    await ioredis.connect(); // without the offline queue, commands before this would fail
    const stores: [string, KeyValueStore][] = [
      ['node-redis', redisStore(nodeRedis)],
      ['ioredis', redisStore(ioredis)],
      ['@upstash/redis', redisStore(shim.client())],
    ];
    for (const [name, store] of stores) expect(await store.set(`up:${name}`, 'v', { ttlSeconds: 60 }), name).toBe(true);

    await server.stop();
    for (const [name, store] of stores) {
      const started = Date.now();
      await expect(store.get(`up:${name}`), name).rejects.toThrow();
      await expect(store.set(`up:${name}`, 'v', { ttlSeconds: 60, onlyIfAbsent: true }), name).rejects.toThrow();
      expect(Date.now() - started, name).toBeLessThan(5_000);
    }

    await server.start();
    for (const [name, store] of stores) {
      await expect
        .poll(() => store.set(`back:${name}`, 'v', { ttlSeconds: 60 }).catch(() => false), {
          timeout: 5_000,
          interval: 50,
        })
        .toBe(true);
      expect(await store.get(`back:${name}`), name).toBe('v');
    }
  });
});
