// Benchmark: Wristband token requests for a fleet. N Node processes, each with its own
// WristbandClient (client credentials), run M concurrent signups at the same moment against one
// local Wristband stand-in that counts token requests: with `tokenStore: redisStore(redis)` on one
// real redis-server the fleet should make 1 token request (target); without a store, N.
// Run alone: `node bench/tokens.mjs [processes] [signups]` (needs dist/ and redis-server on PATH).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startBenchServer } from './local-server.mjs';

const ROUNDS = 5;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') await child(...process.argv.slice(3));
else if (process.argv[1] === self) {
  const server = await startBenchServer();
  try {
    const { lines } = await benchTokens(server, Number(process.argv[2] ?? 4), Number(process.argv[3] ?? 25));
    console.log(lines.join('\n'));
  } finally {
    await server.close();
  }
}

/** Token requests per round with and without a shared store; returns printable lines and PASS. */
export async function benchTokens(server, processes = 4, signups = 25) {
  const redis = await startRedis();
  try {
    const shared = [];
    const alone = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A new client ID per round is a new store key: every round starts with no token anywhere.
      shared.push(await fleetRound(server, processes, signups, `bench-${round}`, redis.url));
      alone.push(await fleetRound(server, processes, signups, `bench-alone-${round}`));
    }
    const worst = Math.max(...shared);
    const pass = worst === 1;
    const lines = [
      `### Wristband token requests: ${processes} processes × ${signups} concurrent signups`,
      '',
      `| store | token requests per round (${ROUNDS} rounds) |`,
      '| --- | --- |',
      `| tokenStore: redisStore (one redis-server) | ${shared.join(', ')} |`,
      `| none (each process alone) | ${alone.join(', ')} |`,
      '',
      `${pass ? 'PASS' : 'MISS'}: at most ${worst} token request(s) per round with the shared store (target 1)`,
    ];
    return { lines, pass, shared, alone };
  } finally {
    await redis.stop();
  }
}

/** One round: start every process, let them all go at once, count the token requests. */
async function fleetRound(server, processes, signups, clientId, redisUrl = '') {
  const before = server.counts.token;
  const children = await Promise.all(
    Array.from({ length: processes }, async () => {
      const proc = spawn(process.execPath, [self, '--child', server.url, String(signups), clientId, redisUrl]);
      let stderr = '';
      proc.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
      const { value } = await lines.next();
      if (value !== 'ready') throw new Error(`bench child did not start: ${stderr}`);
      return { proc, lines, stderr: () => stderr };
    }),
  );
  for (const { proc } of children) proc.stdin.write('go\n');
  for (const { lines, stderr } of children) {
    const { value } = await lines.next();
    if (value !== 'ok') throw new Error(`bench child failed: ${value} ${stderr()}`);
  }
  return server.counts.token - before;
}

/** A bench process: one client, `signups` concurrent signups after "go". */
async function child(url, signups, clientId, redisUrl) {
  const { WristbandClient } = await import('../dist/wristband/index.js');
  let redis;
  let tokenStore;
  if (redisUrl) {
    const { createClient } = await import('redis');
    const { redisStore } = await import('../dist/stores/index.js');
    redis = await createClient({ url: redisUrl }).connect();
    tokenStore = redisStore(redis);
  }
  const client = new WristbandClient({
    applicationVanityDomain: url,
    auth: { clientId, clientSecret: 'bench-secret', tokenStore },
  });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  try {
    await Promise.all(
      Array.from({ length: Number(signups) }, (_, i) =>
        client.provisionSignup({ level: 'tenant', tenantId: 'tenant_1', email: `u${process.pid}-${i}@example.com` }),
      ),
    );
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write(`${error}\n`);
  } finally {
    await redis?.quit();
    process.stdin.destroy();
  }
}

/** A throwaway redis-server on a free 127.0.0.1 port, stopped by its pid. */
async function startRedis() {
  const port = await new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
    probe.on('error', reject);
  });
  const proc = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.stdout.on('data', (chunk) => {
      if (String(chunk).includes('Ready to accept connections')) resolve();
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        proc.once('exit', resolve);
        process.kill(proc.pid);
      }),
  };
}
