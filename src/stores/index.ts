/**
 * `provisionkit/stores`: shared state for many instances. `memoryStore()` for one process,
 * `redisStore(client)` for a fleet sharing one Redis (node-redis, ioredis or `@upstash/redis`,
 * the client you already have).
 *
 * @module stores
 */
export { type MemoryStoreOptions, memoryStore } from './memory-store.js';
export type { IoRedisClient, NodeRedisClient, RedisClient, UpstashRedisClient } from './redis-clients.js';
export { type RedisStoreOptions, redisStore } from './redis-store.js';
export type { KeyValueDeleteOptions, KeyValueSetOptions, KeyValueStore } from './types.js';
