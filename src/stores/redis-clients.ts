/**
 * The three Redis clients `redisStore` accepts, described by the few methods it calls, so that
 * none of them is imported (no runtime dependency, nothing Node-only in the bundle) and each
 * one's own type fits without a cast. Each is reduced to the same four operations, sent as the
 * same Redis commands, so processes using different clients share keys and values.
 */

/**
 * A connected node-redis (v5+) client, from `createClient()` of the `redis` package.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface NodeRedisClient {
  /** Sends one raw command, e.g. `['GET', 'key']`. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * An ioredis (v5+) client, `new Redis(url)` of the `ioredis` package.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: IoRedisClient = new Redis(process.env.REDIS_URL);
 * ```
 */
export interface IoRedisClient {
  /** Sends one raw command, e.g. `call('GET', 'key')`. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * An `@upstash/redis` client (REST, for edge runtimes), `new Redis({ url, token })` or `Redis.fromEnv()`.
 *
 * @example
 * ```ts
 * import { Redis } from '@upstash/redis';
 * const client: UpstashRedisClient = Redis.fromEnv();
 * ```
 */
export interface UpstashRedisClient {
  /** `SET key value PX ms [NX]`. */
  set(key: string, value: string, options: { px: number; nx: true } | { px: number }): Promise<unknown>;
  /** `EVAL script numkeys ...keys ...args`. */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  /** `DEL ...keys`. */
  del(...keys: string[]): Promise<unknown>;
}

/**
 * Any client {@link redisStore} accepts: node-redis, ioredis or `@upstash/redis`.
 *
 * @example
 * ```ts
 * const client: RedisClient = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = redisStore(client);
 * ```
 */
export type RedisClient = NodeRedisClient | IoRedisClient | UpstashRedisClient;

/** The four operations, each one atomic command on the server; replies as Redis sends them. */
export interface RedisCommands {
  /** `SET key value PX ms [NX]` → `'OK'`, or null when NX found the key. */
  set(key: string, value: string, px: number, nx: boolean): Promise<unknown>;
  /** `GET key` → the value or null. */
  get(key: string): Promise<unknown>;
  /** `DEL key` → the count deleted. */
  del(key: string): Promise<unknown>;
  /** `EVAL script 1 key arg` → the script's reply. */
  eval(script: string, key: string, arg: string): Promise<unknown>;
}

// @upstash/redis JSON-parses every reply by default ('123' comes back as the number 123, '{}'
// as an object), and lets a client turn that off. A reply that starts with '~' is never JSON,
// so GET goes through a script that prefixes the value: whatever the client's setting, the
// reply is the value exactly, after its first character.
const UPSTASH_GET = "local v = redis.call('get', KEYS[1]) if v then return '~' .. v end return v";

/**
 * Wraps a client, told apart by shape: ioredis has `call`, node-redis `sendCommand` (ioredis has
 * one too, of another kind, so `call` is looked at first), `@upstash/redis` neither. Undefined
 * for anything else.
 */
export function redisCommands(client: RedisClient): RedisCommands | undefined {
  let send: ((args: string[]) => Promise<unknown>) | undefined;
  if (typeof (client as IoRedisClient).call === 'function') {
    const io = client as IoRedisClient;
    send = ([command, ...args]) => io.call(command as string, ...args);
  } else if (typeof (client as NodeRedisClient).sendCommand === 'function') {
    const node = client as NodeRedisClient;
    send = (args) => node.sendCommand(args);
  }
  if (send) {
    const run = send;
    return {
      set: (key, value, px, nx) => run(['SET', key, value, 'PX', String(px), ...(nx ? ['NX'] : [])]),
      get: (key) => run(['GET', key]),
      del: (key) => run(['DEL', key]),
      eval: (script, key, arg) => run(['EVAL', script, '1', key, arg]),
    };
  }
  const upstash = client as UpstashRedisClient;
  if (typeof upstash.eval !== 'function' || typeof upstash.set !== 'function' || typeof upstash.del !== 'function') {
    return undefined;
  }
  return {
    set: (key, value, px, nx) => upstash.set(key, value, nx ? { px, nx } : { px }),
    get: async (key) => {
      const reply = await upstash.eval(UPSTASH_GET, [key], []);
      return typeof reply === 'string' ? reply.slice(1) : reply;
    },
    del: (key) => upstash.del(key),
    eval: (script, key, arg) => upstash.eval(script, [key], [arg]),
  };
}
