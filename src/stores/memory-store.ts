/**
 * `memoryStore()`: the {@link KeyValueStore} for one process. A Map in insertion order, so the
 * oldest write is the first key: bounded by evicting expired entries first, then the oldest.
 */
import { ValidationError } from '../core/errors.js';
import { ttlMilliseconds } from './ttl.js';
import type { KeyValueStore } from './types.js';

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * const options: MemoryStoreOptions = { maxEntries: 50_000 };
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Most entries kept at once. When a new key would exceed it, expired entries go first, then
   * the oldest written. Default `10_000`.
   */
  maxEntries?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * A {@link KeyValueStore} in this process's memory: entries expire after their `ttlSeconds`,
 * at most `maxEntries` are kept. Every operation is atomic (JavaScript runs one at a time), but
 * nothing is shared with another process: use {@link redisStore} for a fleet.
 *
 * @throws {ValidationError} when `maxEntries` is not a positive integer.
 * @example
 * ```ts
 * import { memoryStore } from 'provisionkit/stores';
 *
 * const store = memoryStore({ maxEntries: 1_000 });
 * await store.set('event:evt_1', 'done', { ttlSeconds: 3600, onlyIfAbsent: true }); // true
 * await store.get('event:evt_1'); // 'done'
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): KeyValueStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ValidationError(
      [{ path: 'maxEntries', message: 'must be a positive integer' }],
      'Invalid memoryStore options',
    );
  }
  const entries = new Map<string, Entry>();

  /** The live entry of `key`, dropping it when it has expired. */
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  /** Makes room for one new key: expired entries first, then the oldest writes. */
  const makeRoom = () => {
    if (entries.size < maxEntries) return;
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break;
      entries.delete(key);
    }
  };

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, { ttlSeconds, onlyIfAbsent }) {
      const expiresAt = Date.now() + ttlMilliseconds(ttlSeconds);
      if (live(key)) {
        if (onlyIfAbsent) return false;
        // Re-inserted below, so the Map's order stays "oldest write first".
        entries.delete(key);
      } else {
        makeRoom();
      }
      entries.set(key, { value, expiresAt });
      return true;
    },
    async delete(key, options) {
      const entry = live(key);
      if (!entry || (options?.onlyIfValue !== undefined && entry.value !== options.onlyIfValue)) return false;
      return entries.delete(key);
    },
  };
}
