// Each client library's own type fits redisStore's `client` parameter without a cast, and
// something else does not.
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as UpstashRedisCloudflare } from '@upstash/redis/cloudflare';
import IoRedisDefault, { Cluster, Redis as IoRedis } from 'ioredis';
import { createClient, createClientPool, createCluster } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import { type KeyValueStore, type RedisClient, redisStore } from '../../src/stores/index.js';

describe('redisStore(client) types', () => {
  it('takes a node-redis client, connected or not, and a pool', async () => {
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    expectTypeOf(redisStore(client)).toEqualTypeOf<KeyValueStore>();
    const connected = await createClient().connect();
    redisStore(connected, { prefix: 'app:' });
    redisStore(createClientPool());
  });

  it('takes an ioredis client (named or default import) and a cluster', () => {
    redisStore(new IoRedis('redis://127.0.0.1:6379'));
    redisStore(new IoRedisDefault());
    redisStore(new Cluster([{ host: '127.0.0.1', port: 6379 }]));
  });

  it('takes an @upstash/redis client, Node or Workers build', () => {
    redisStore(new UpstashRedis({ url: 'https://example.upstash.io', token: 't' }));
    redisStore(UpstashRedis.fromEnv());
    redisStore(new UpstashRedisCloudflare({ url: 'https://example.upstash.io', token: 't' }));
  });

  it('refuses what is not a client', () => {
    // @ts-expect-error an empty object is no client
    redisStore({});
    // @ts-expect-error a URL is no client
    redisStore('redis://127.0.0.1:6379');
    // @ts-expect-error a get-only object is no client
    redisStore({ get: async (_key: string) => null });
    // @ts-expect-error a node-redis cluster routes commands by key itself (sendCommand(firstKey, …)): not supported
    redisStore(createCluster({ rootNodes: [] }));
    // @ts-expect-error prefix is a string
    redisStore(createClient(), { prefix: 1 });
    expectTypeOf<RedisClient>().not.toBeAny();
  });
});
