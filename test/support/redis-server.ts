// A real redis-server for tests, on a free 127.0.0.1 port, nothing persisted, stopped by its
// pid. Tests that need "Redis went away mid-run, then came back" stop it and start it again on
// the SAME port, so clients configured with the URL reconnect to the new process.
//
//   const redis = await startRedis();
//   afterAll(() => redis.stop());
//   ... redis.url ...
//   await redis.stop(); /* expect 503s */ await redis.start(); /* expect recovery */
import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

const REDIS_SERVER = '/usr/bin/redis-server';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 5_000;
const STOP_GRACE_MS = 3_000;

/** A running (or stopped, then restartable) redis-server owned by the test. */
export interface RedisServer {
  /** The port; the same across `stop()` / `start()`. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The pid of the current process (a new one after `start()`); 0 while stopped. */
  readonly pid: number;
  /** Whether a redis-server process is running for this handle. */
  readonly running: boolean;
  /** Stops the process (SIGTERM, SIGKILL after 3 s). Safe to call twice or when stopped. */
  stop(): Promise<void>;
  /** Starts a new, empty redis-server on the same port, after `stop()`; resolves once it answers PING. */
  start(): Promise<void>;
  /** `stop()` then `start()`: the data is gone, the port stays. */
  restart(): Promise<void>;
}

// Safety net: a test process that exits without calling stop() (a crash, a missed afterAll)
// must not leave servers behind. Only processes started here are killed, by their pid.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port that was free a moment ago (listen on 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Sends `PING` over raw RESP; true when the answer is `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns redis-server on `port` and waits for PING; rejects (the process gone) when it cannot. */
async function spawnOn(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    live.delete(child);
  });
  child.once('error', (error) => {
    exited = true;
    live.delete(child);
    output += String(error);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    if (await ping(port)) return child;
    await sleep(20);
  }
  await kill(child);
  throw new Error(`redis-server did not start on port ${port}: ${output.trim() || 'no output'}`);
}

/** SIGTERM, wait for the exit, SIGKILL when it takes longer than the grace period. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

/**
 * Starts a fresh redis-server on a free port (retrying on a port taken in between) and resolves
 * once it answers PING. Call `stop()` in `afterAll`.
 */
export async function startRedis(): Promise<RedisServer> {
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    try {
      child = await spawnOn(port);
    } catch (error) {
      lastError = error;
    }
  }
  if (!child) throw lastError;
  let current: ChildProcess | undefined = child;
  const handle: RedisServer = {
    port,
    url: `redis://${HOST}:${port}`,
    get pid() {
      return current?.pid ?? 0;
    },
    get running() {
      return current !== undefined;
    },
    async stop() {
      const stopping = current;
      current = undefined;
      if (stopping) await kill(stopping);
    },
    async start() {
      if (current) return;
      current = await spawnOn(port);
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  return handle;
}
