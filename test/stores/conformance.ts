// The one behaviour every KeyValueStore must have, run against memoryStore and against
// redisStore with each client library (test/stores/*.test.ts). Keys are unique per test, so
// suites sharing one redis-server never see each other's keys.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { KeyValueStore } from '../../src/stores/index.js';

let counter = 0;
/** A key no other test uses. */
export const uniqueKey = (label = 'k') => `${label}:${process.pid}:${Date.now()}:${++counter}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Values a client library could mangle (JSON-looking, empty, base64-looking, non-ASCII). */
const AWKWARD_VALUES = [
  '123',
  '0123',
  '1e3',
  'true',
  'null',
  '{"a": 1}',
  '[1,2]',
  '"quoted"',
  '',
  ' spaced out ',
  'OK',
  'T0s=',
  '~tilde',
  'é😀\n\t',
  'x'.repeat(10_000),
];

/** Registers the conformance suite for the store `getStore()` returns (called in each test). */
export function describeKeyValueStore(name: string, getStore: () => KeyValueStore): void {
  describe(`${name}: KeyValueStore conformance`, () => {
    it('reads a missing key as undefined', async () => {
      expect(await getStore().get(uniqueKey())).toBeUndefined();
    });

    it('a plain set returns true, writes, and overwrites', async () => {
      const store = getStore();
      const key = uniqueKey();
      expect(await store.set(key, 'one', { ttlSeconds: 60 })).toBe(true);
      expect(await store.get(key)).toBe('one');
      expect(await store.set(key, 'two', { ttlSeconds: 60 })).toBe(true);
      expect(await store.get(key)).toBe('two');
    });

    it('keeps every value exactly as written', async () => {
      const store = getStore();
      for (const value of AWKWARD_VALUES) {
        const key = uniqueKey('value');
        await store.set(key, value, { ttlSeconds: 60 });
        expect(await store.get(key), JSON.stringify(value.slice(0, 20))).toBe(value);
      }
    });

    it('onlyIfAbsent writes only when the key is missing', async () => {
      const store = getStore();
      const key = uniqueKey();
      expect(await store.set(key, 'first', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(true);
      expect(await store.set(key, 'second', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(false);
      expect(await store.get(key)).toBe('first');
    });

    it('expires keys after ttlSeconds, and onlyIfAbsent then writes again', async () => {
      const store = getStore();
      const key = uniqueKey();
      const kept = uniqueKey();
      await store.set(key, 'short', { ttlSeconds: 0.3 });
      await store.set(kept, 'long', { ttlSeconds: 60 });
      expect(await store.get(key)).toBe('short');
      await sleep(450);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.delete(key)).toBe(false);
      expect(await store.get(kept)).toBe('long');
      expect(await store.set(key, 'again', { ttlSeconds: 60, onlyIfAbsent: true })).toBe(true);
      expect(await store.get(key)).toBe('again');
    });

    it('delete returns whether a key was deleted', async () => {
      const store = getStore();
      const key = uniqueKey();
      expect(await store.delete(key)).toBe(false);
      await store.set(key, 'v', { ttlSeconds: 60 });
      expect(await store.delete(key)).toBe(true);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.delete(key)).toBe(false);
    });

    it('delete with onlyIfValue deletes only that value', async () => {
      const store = getStore();
      const key = uniqueKey();
      await store.set(key, 'mine', { ttlSeconds: 60 });
      expect(await store.delete(key, { onlyIfValue: 'theirs' })).toBe(false);
      expect(await store.delete(key, { onlyIfValue: 'min' })).toBe(false);
      expect(await store.get(key)).toBe('mine');
      expect(await store.delete(key, { onlyIfValue: 'mine' })).toBe(true);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.delete(key, { onlyIfValue: 'mine' })).toBe(false);
      expect(await store.delete(uniqueKey(), { onlyIfValue: '' })).toBe(false);
    });

    it('of many concurrent onlyIfAbsent sets on one key, exactly one wins', async () => {
      const store = getStore();
      const key = uniqueKey();
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.set(key, `writer-${i}`, { ttlSeconds: 60, onlyIfAbsent: true })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(key)).toBe(`writer-${results.indexOf(true)}`);
    });

    it('of many concurrent compare-and-deletes of one value, exactly one deletes', async () => {
      const store = getStore();
      const key = uniqueKey();
      await store.set(key, 'claim', { ttlSeconds: 60 });
      const results = await Promise.all(Array.from({ length: 25 }, () => store.delete(key, { onlyIfValue: 'claim' })));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60', undefined])(
      'rejects ttlSeconds %s with a ValidationError naming it, and writes nothing',
      async (ttlSeconds) => {
        const store = getStore();
        const key = uniqueKey();
        const error = await store.set(key, 'v', { ttlSeconds: ttlSeconds as number }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues).toEqual([{ path: 'ttlSeconds', message: expect.any(String) }]);
        expect(await store.get(key)).toBeUndefined();
      },
    );
  });
}
