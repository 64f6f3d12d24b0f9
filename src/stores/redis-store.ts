/**
 * `redisStore(client)`: the {@link KeyValueStore} for a fleet sharing one Redis. Each operation
 * is a single command (or one script) on the server, so it is atomic however many processes,
 * and whichever client libraries, share the keys.
 */
import { ValidationError } from '../core/errors.js';
import { type RedisClient, redisCommands } from './redis-clients.js';
import { ttlMilliseconds } from './ttl.js';
import type { KeyValueStore } from './types.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { prefix: 'myapp:provisionkit:' };
 * ```
 */
export interface RedisStoreOptions {
  /** Prepended, as given, to every key the store reads or writes. Default `''`. */
  prefix?: string;
}

// Compare-and-delete in one script: no other command can run between the GET and the DEL.
const DELETE_IF_VALUE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A {@link KeyValueStore} in Redis, through the client you already have: a connected node-redis
 * (v5+) client, an ioredis (v5+) client, or an `@upstash/redis` client. Nothing of the client
 * library is imported, so this runs wherever the client does (Node, Vercel, Workers).
 *
 * Every key written expires on the server (`SET … PX`); `onlyIfAbsent` is `SET … NX`;
 * `delete` with `onlyIfValue` runs one Lua script. Whatever the client, the keys and values
 * are the same, so processes with different clients share state. A failed command (Redis
 * down, a client that throws) rejects the call.
 *
 * @param client - a connected node-redis, ioredis or `@upstash/redis` client.
 * @throws {ValidationError} when `client` is none of these, or `prefix` is not a string.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisStore } from 'provisionkit/stores';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = redisStore(redis, { prefix: 'myapp:' });
 * await store.set('lock', 'me', { ttlSeconds: 30, onlyIfAbsent: true }); // true: the key was free
 * await store.delete('lock', { onlyIfValue: 'me' }); // true: it was still ours
 * ```
 */
export function redisStore(client: RedisClient, options: RedisStoreOptions = {}): KeyValueStore {
  const { prefix = '' } = options;
  const commands = client && typeof client === 'object' ? redisCommands(client) : undefined;
  const issues = [];
  if (!commands) issues.push({ path: 'client', message: 'must be a node-redis, ioredis or @upstash/redis client' });
  if (typeof prefix !== 'string') issues.push({ path: 'prefix', message: 'must be a string' });
  if (!commands || issues.length > 0) throw new ValidationError(issues, 'Invalid redisStore options');

  // Async methods: a client that throws synchronously rejects the call like one that rejects.
  return {
    async get(key) {
      const value = await commands.get(prefix + key);
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, { ttlSeconds, onlyIfAbsent }) {
      const reply = await commands.set(prefix + key, value, ttlMilliseconds(ttlSeconds), onlyIfAbsent === true);
      return reply !== null && reply !== undefined;
    },
    async delete(key, options) {
      const onlyIfValue = options?.onlyIfValue;
      const reply =
        onlyIfValue === undefined
          ? await commands.del(prefix + key)
          : await commands.eval(DELETE_IF_VALUE, prefix + key, onlyIfValue);
      return Number(reply) > 0;
    },
  };
}
