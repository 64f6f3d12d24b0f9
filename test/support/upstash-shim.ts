// A stand-in for Upstash's REST endpoint, on 127.0.0.1, in front of a REAL redis-server (see
// redis-server.ts): `@upstash/redis` clients pointed at it talk to the same data as node-redis
// and ioredis clients of that server. It speaks the protocol the client uses:
//   POST /            body ["SET","k","v","PX","1000"]        → 200 {"result":"OK"} | 400 {"error":"ERR …"}
//   POST /pipeline    body [["GET","k"],["DEL","k"]]          → 200 [{"result":…},{"error":…}]
//   POST /multi-exec  the same, run in MULTI/EXEC
// with `Authorization: Bearer <token>` (else 401), and replies base64-encoded when the request
// says `Upstash-Encoding: base64` (the client's default; "OK" stays as is, as Upstash sends it).
// When Redis is down, commands fail at once (500), they are not queued: tests of "Redis stopped
// mid-run" see errors, then recovery once it is started again on the same port.
//
//   const redis = await startRedis();
//   const shim = await startUpstashShim({ redisUrl: redis.url });
//   const client = shim.client();            // an @upstash/redis Redis for it
//   afterAll(async () => { await shim.stop(); await redis.stop(); });
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RedisConfigNodejs, Redis as UpstashRedis } from '@upstash/redis';
import { createClient } from 'redis';

/** A running shim. */
export interface UpstashShim {
  /** `http://127.0.0.1:<port>`: the client's `url`. */
  readonly url: string;
  /** The bearer token it accepts: the client's `token`. */
  readonly token: string;
  /** Every command received, in order (upper-cased name first), for assertions. */
  readonly commands: string[][];
  /** A new `@upstash/redis` client for this shim (no retries, no telemetry), options merged in. */
  client(options?: Partial<RedisConfigNodejs>): UpstashRedis;
  /** Closes the HTTP server and its Redis connection. */
  stop(): Promise<void>;
}

type Reply = string | number | null | Reply[];

function encode(reply: Reply): Reply {
  if (typeof reply === 'string') return reply === 'OK' ? reply : Buffer.from(reply, 'utf8').toString('base64');
  return Array.isArray(reply) ? reply.map(encode) : reply;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const isCommand = (value: unknown): value is unknown[] => Array.isArray(value) && value.length > 0;

/** Starts the shim in front of the redis-server at `redisUrl`. */
export async function startUpstashShim(options: { redisUrl: string; token?: string }): Promise<UpstashShim> {
  const token = options.token ?? 'upstash-shim-token';
  const redis = createClient({
    url: options.redisUrl,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(20 * retries, 200), connectTimeout: 1_000 },
  });
  redis.on('error', () => {}); // reconnects on its own; a command meanwhile fails, as it should
  await redis.connect();
  const commands: string[][] = [];

  const run = async (command: unknown[]): Promise<{ result: Reply } | { error: string }> => {
    const args = command.map(String);
    args[0] = (args[0] as string).toUpperCase();
    commands.push(args);
    try {
      return { result: await redis.sendCommand<Reply>(args) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return send(405, { error: 'only POST is served' });
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    const base64 = String(request.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const encoded = (answer: { result: Reply } | { error: string }) =>
      'result' in answer && base64 ? { result: encode(answer.result) } : answer;
    const path = new URL(request.url ?? '/', 'http://shim').pathname.replace(/\/+$/, '');
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return send(400, { error: 'ERR body is not JSON' });
    }
    if (path === '') {
      if (!isCommand(body)) return send(400, { error: 'ERR body must be a command array' });
      const answer = await run(body);
      return send('error' in answer ? (redis.isReady ? 400 : 500) : 200, encoded(answer));
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(isCommand))
        return send(400, { error: 'ERR body must be an array of commands' });
      if (path === '/pipeline') return send(200, (await Promise.all(body.map(run))).map(encoded));
      const multi = redis.multi();
      for (const command of body) {
        const args = command.map(String);
        commands.push(args);
        multi.addCommand(args);
      }
      try {
        const results = (await multi.exec()) as unknown as Reply[];
        return send(
          200,
          results.map((result) => encoded({ result })),
        );
      } catch (error) {
        return send(500, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return send(404, { error: `ERR unknown path ${path}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(JSON.stringify({ error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    commands,
    client: (overrides = {}) => new UpstashRedis({ url, token, retry: false, enableTelemetry: false, ...overrides }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.destroy();
    },
  };
}
