// Benchmark: what the webhook handler's `idempotency` option costs per webhook, on a real
// redis-server on loopback (started here on a free 127.0.0.1 port, nothing persisted, stopped
// by its pid) through node-redis and `redisStore`, against the same handler without it.
// Candidates, each on fresh pre-signed events (signing is outside the timing):
// - no idempotency: verify, parse, callback;
// - idempotency, first delivery: + claim (SET NX PX) + done-mark (SET PX);
// - idempotency, redelivery of a done event: claim attempt + GET, no callback.
// Sequential deliveries in interleaved blocks (every candidate in every round, order rotated);
// per-webhook time is the median over blocks, the ratio the median of per-round ratios. Store
// round trips are counted by wrapping the store. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { createAnzuWebhookHandler, signAnzuWebhook } from '../dist/anzu/index.js';
import { redisStore } from '../dist/stores/index.js';
import { formatNs, median, quartiles } from './harness.mjs';

const ROUNDS = 20;
const BLOCK = 100;
const SECRET = 'whsec-bench-idempotency-0123456789';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { client, stop: () => child.kill('SIGTERM') };
}

/** Pre-signed deliveries of distinct events, as `[body, signature]`. */
async function signedEvents(count, tag) {
  const events = [];
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      id: `evt_${tag}_${i}`,
      kind: 'user_management.user_identity_created',
      scope: { teamId: 'team_1', projectId: 'project_1', environmentId: 'env_1' },
      payload: { provisionedWith: 'email', identity: { id: `ui_${tag}_${i}`, provider: 'email', email: 'a@b.co' } },
    });
    events.push([body, await signAnzuWebhook({ payload: body, secret: SECRET })]);
  }
  return events;
}

const request = ([body, signature]) =>
  new Request('http://127.0.0.1/webhooks/anzu', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'anzu-signature': signature },
  });

/** Counts every call into the store: the Redis round trips of the handler. */
function counting(store) {
  const counts = { get: 0, set: 0, delete: 0 };
  const wrapped = {};
  for (const name of Object.keys(counts)) {
    wrapped[name] = (...args) => {
      counts[name]++;
      return store[name](...args);
    };
  }
  return { store: wrapped, counts, total: () => counts.get + counts.set + counts.delete };
}

export async function benchIdempotency() {
  const redis = await startRedis();
  try {
    await redis.client.flushAll();
    const counted = counting(redisStore(redis.client, { prefix: 'bench:' }));
    const onUserIdentityCreated = () => {};
    const plain = createAnzuWebhookHandler({ secret: SECRET, onUserIdentityCreated });
    const idempotent = createAnzuWebhookHandler({
      secret: SECRET,
      onUserIdentityCreated,
      idempotency: { store: counted.store },
    });

    const perRound = BLOCK;
    const fresh = {
      plain: await signedEvents(ROUNDS * perRound + 100, 'p'),
      first: await signedEvents(ROUNDS * perRound + 100, 'f'),
    };
    // Redeliveries need done events: the first-delivery candidate's own, delivered again.
    const done = await signedEvents(perRound, 'd');
    for (const event of done) await idempotent(request(event));

    // Round trips per webhook on each path, measured apart from the timing.
    const trips = {};
    const before = counted.total();
    await idempotent(request(fresh.first.pop()));
    trips.first = counted.total() - before;
    const mid = counted.total();
    await idempotent(request(done[0]));
    trips.duplicate = counted.total() - mid;

    // Warm-up.
    for (let i = 0; i < 50; i++) {
      await plain(request(fresh.plain.pop()));
      await idempotent(request(fresh.first.pop()));
    }

    const candidates = [
      { name: 'no idempotency', run: () => plain(request(fresh.plain.pop())) },
      { name: 'idempotency, first delivery', run: () => idempotent(request(fresh.first.pop())) },
      { name: 'idempotency, redelivery (duplicate)', run: (i) => idempotent(request(done[i % done.length])) },
    ];
    const times = candidates.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < candidates.length; k++) {
        const index = (round + k) % candidates.length;
        const started = performance.now();
        for (let i = 0; i < perRound; i++) {
          const response = await candidates[index].run(i);
          if (response.status !== 200) throw new Error(`${candidates[index].name}: status ${response.status}`);
        }
        times[index].push(((performance.now() - started) * 1e6) / perRound);
      }
    }
    const medians = times.map(median);
    const ratios = (index) => median(times[index].map((t, round) => t / times[0][round]));
    const lines = [
      `webhook idempotency on loopback Redis (node-redis, redisStore), ${ROUNDS} rounds x ${perRound} sequential webhooks`,
    ];
    candidates.forEach((candidate, index) => {
      const [q1, q3] = quartiles(times[index]);
      const ratio =
        index === 0
          ? ''
          : `, ${ratios(index).toFixed(2)}x the plain handler (+${formatNs(medians[index] - medians[0])})`;
      lines.push(
        `  ${candidate.name.padEnd(36)} ${formatNs(medians[index]).padStart(9)} per webhook (IQR ${formatNs(q1)}-${formatNs(q3)})${ratio}`,
      );
    });
    lines.push(
      `  store round trips per webhook: first delivery ${trips.first} (claim, done-mark), redelivery ${trips.duplicate} (claim attempt, read)`,
    );
    return lines;
  } finally {
    await redis.client.quit().catch(() => {});
    redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchIdempotency()) console.log(line);
}
