// @vitest-environment edge-runtime
// provisionkit/stores under Vercel's edge-runtime (web globals only): the sources load and run
// without any Node API. redisStore is given an object shaped like an @upstash/redis client
// (the client edge code uses) that answers from a Map, as Redis would.
import { describe, expect, it } from 'vitest';
import { memoryStore, redisStore } from '../../src/stores/index.js';

describe('provisionkit/stores under edge-runtime', () => {
  it('runs in the edge-runtime environment, not plain Node', () => {
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('string');
  });

  it('memoryStore works', async () => {
    const store = memoryStore({ maxEntries: 10 });
    expect(await store.set('k', 'v', { ttlSeconds: 5, onlyIfAbsent: true })).toBe(true);
    expect(await store.set('k', 'w', { ttlSeconds: 5, onlyIfAbsent: true })).toBe(false);
    expect(await store.get('k')).toBe('v');
    expect(await store.delete('k', { onlyIfValue: 'v' })).toBe(true);
  });

  it('redisStore works with an @upstash/redis-shaped client', async () => {
    const data = new Map<string, string>();
    const client = {
      async set(key: string, value: string, options: { px: number; nx?: true }) {
        if (options.nx && data.has(key)) return null;
        data.set(key, value);
        return 'OK';
      },
      async eval(script: string, keys: string[], args: string[]) {
        const [key = ''] = keys;
        const value = data.get(key);
        if (script.includes("'~'")) return value === undefined ? null : `~${value}`;
        if (value !== undefined && value === args[0]) return Number(data.delete(key));
        return 0;
      },
      async del(key: string) {
        return Number(data.delete(key));
      },
    };
    const store = redisStore(client, { prefix: 'edge:' });
    expect(await store.set('k', '123', { ttlSeconds: 5, onlyIfAbsent: true })).toBe(true);
    expect([...data.keys()]).toEqual(['edge:k']);
    expect(await store.get('k')).toBe('123');
    expect(await store.delete('k', { onlyIfValue: 'x' })).toBe(false);
    expect(await store.delete('k', { onlyIfValue: '123' })).toBe(true);
    expect(await store.delete('k')).toBe(false);
  });
});
