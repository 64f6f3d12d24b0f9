import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { memoryStore } from '../../src/stores/index.js';
import { describeKeyValueStore } from './conformance.js';

describeKeyValueStore('memoryStore', () => memoryStore());

describe('memoryStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10'])(
    'rejects maxEntries %s with a ValidationError naming it',
    (maxEntries) => {
      const error = (() => {
        try {
          memoryStore({ maxEntries: maxEntries as number });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: 'maxEntries', message: expect.any(String) }]);
    },
  );

  it('keeps at most maxEntries, evicting the oldest write', async () => {
    const store = memoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.set(key, key, { ttlSeconds: 60 });
    await store.set('a', 'a2', { ttlSeconds: 60 }); // rewritten: now the newest
    await store.set('d', 'd', { ttlSeconds: 60 });
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('a2');
    expect(await store.get('c')).toBe('c');
    expect(await store.get('d')).toBe('d');
    await store.set('e', 'e', { ttlSeconds: 60 });
    expect(await store.get('c')).toBeUndefined();
    expect([await store.get('a'), await store.get('d'), await store.get('e')]).toEqual(['a2', 'd', 'e']);
  });

  it('evicts expired entries before live ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memoryStore({ maxEntries: 3 });
    await store.set('old-live', '1', { ttlSeconds: 600 });
    await store.set('expiring-1', '2', { ttlSeconds: 1 });
    await store.set('expiring-2', '3', { ttlSeconds: 1 });
    vi.advanceTimersByTime(1_001);
    await store.set('new-1', '4', { ttlSeconds: 600 });
    await store.set('new-2', '5', { ttlSeconds: 600 });
    expect(await store.get('old-live')).toBe('1');
    expect(await store.get('new-1')).toBe('4');
    expect(await store.get('new-2')).toBe('5');
  });

  it('a rejected onlyIfAbsent at capacity evicts nothing', async () => {
    const store = memoryStore({ maxEntries: 2 });
    await store.set('a', 'a', { ttlSeconds: 60 });
    await store.set('b', 'b', { ttlSeconds: 60 });
    expect(await store.set('b', 'x', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(false);
    expect([await store.get('a'), await store.get('b')]).toEqual(['a', 'b']);
  });

  it('expires an entry exactly at its ttl', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memoryStore();
    await store.set('k', 'v', { ttlSeconds: 2 });
    vi.advanceTimersByTime(1_999);
    expect(await store.get('k')).toBe('v');
    vi.advanceTimersByTime(1);
    expect(await store.get('k')).toBeUndefined();
    expect(await store.delete('k', { onlyIfValue: 'v' })).toBe(false);
  });

  it('holds 10,000 entries by default', async () => {
    const store = memoryStore();
    for (let i = 0; i <= 10_000; i++) await store.set(`k${i}`, 'v', { ttlSeconds: 60 });
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k1')).toBe('v');
    expect(await store.get('k10000')).toBe('v');
  });
});
