/**
 * Exactly-once webhook effects across processes: several handler processes (the built package,
 * node:http on 127.0.0.1, `redisStore` over node-redis) share one real redis-server and receive
 * every event several times at once. Each callback must complete exactly once; a process killed
 * mid-callback must block its event for lockSeconds only; a Redis outage must answer 503 and
 * lose nothing. Completed callbacks are counted in a file every process appends to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const SECRET = 'whsec_scale_0f1e2d3c';
const LOCK_SECONDS = 2;
const WORKER = join(import.meta.dirname, 'webhook-worker.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pk-webhook-scale-'));
const LOG_FILE = join(dir, 'callbacks.log');

let redis: RedisServer;
const children: ChildProcess[] = [];
let ports: number[] = [];

/** Starts one handler process and resolves with its port. */
function spawnWorker(extra: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, REDIS_URL: redis.url, SECRET, LOG_FILE, LOCK_SECONDS: String(LOCK_SECONDS), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 10_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /PORT=(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, port: Number(port) });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

const eventBody = (n: string) =>
  JSON.stringify({
    id: `evt_${n}`,
    kind: 'user_management.user_identity_created',
    payload: { provisionedWith: 'email', identity: { id: `ui_${n}`, provider: 'email' } },
  });

async function deliver(port: number, body: string) {
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/anzu`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'anzu-signature': await signAnzuWebhook({ payload: body, secret: SECRET }),
    },
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    retryAfter: response.headers.get('retry-after'),
  };
}

/** Redelivers (as a sender would on 409/503) until a 200, bounded; returns every answer. */
async function deliverUntilOk(port: number, body: string, attempts = 60) {
  const answers: Awaited<ReturnType<typeof deliver>>[] = [];
  for (let i = 0; i < attempts; i++) {
    const answer = await deliver(port, body);
    answers.push(answer);
    if (answer.status === 200) return answers;
    expect([409, 503]).toContain(answer.status);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no 200 after ${attempts} deliveries: ${JSON.stringify(answers.at(-1))}`);
}

/** How many times each identity's callback completed, from the shared log. */
function completions(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of readFileSync(LOG_FILE, 'utf8').split('\n')) if (line) counts[line] = (counts[line] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  writeFileSync(LOG_FILE, '');
  redis = await startRedis();
  ports = (await Promise.all([1, 2, 3].map(() => spawnWorker({ CALLBACK_MS: '30' })))).map((w) => w.port);
}, 20_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook idempotency across processes sharing one Redis', () => {
  it('runs each callback exactly once when every event reaches several processes at once', async () => {
    const events = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const runs = events.flatMap((n) =>
      [0, 1, 2, 3].map((k) => deliverUntilOk(ports[k % ports.length] as number, eventBody(n))),
    );
    const answers = (await Promise.all(runs)).flat();
    const counts = completions();
    expect(events.map((n) => counts[`ui_${n}`])).toEqual(events.map(() => 1));
    // One first-time 200 per event; every other delivery ended as a duplicate.
    const finals = answers.filter((a) => a.status === 200);
    expect(finals.filter((a) => a.body.duplicate !== true)).toHaveLength(events.length);
    expect(finals.filter((a) => a.body.duplicate === true)).toHaveLength(events.length * 3);
  });

  it('a process killed mid-callback blocks its event for lockSeconds, then a redelivery succeeds', async () => {
    const victim = await spawnWorker({ HANG_ON: 'ui_kill' });
    void deliver(victim.port, eventBody('kill')).catch(() => {}); // its connection dies with the process
    for (let i = 0; i < 100 && !readFileSync(LOG_FILE, 'utf8').includes('start:ui_kill'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    victim.child.kill('SIGKILL');
    const blocked = await deliver(ports[0] as number, eventBody('kill'));
    expect(blocked.status).toBe(409);
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(LOCK_SECONDS);
    const answers = await deliverUntilOk(ports[1] as number, eventBody('kill'));
    expect(answers.at(-1)?.body).toEqual({ ok: true });
    expect(completions().ui_kill).toBe(1);
  });

  it('answers 503 while Redis is down, runs nothing, and loses nothing once it is back', async () => {
    await redis.stop();
    const events = ['r0', 'r1', 'r2', 'r3'];
    const down = await Promise.all(events.map((n, i) => deliver(ports[i % ports.length] as number, eventBody(n))));
    expect(down.map((a) => [a.status, a.body])).toEqual(events.map(() => [503, { error: 'store_unavailable' }]));
    expect(events.map((n) => completions()[`ui_${n}`])).toEqual(events.map(() => undefined));
    await redis.start();
    const runs = events.flatMap((n, i) =>
      [0, 1].map((k) => deliverUntilOk(ports[(i + k) % ports.length] as number, eventBody(n))),
    );
    await Promise.all(runs);
    expect(events.map((n) => completions()[`ui_${n}`])).toEqual(events.map(() => 1));
  });
});
