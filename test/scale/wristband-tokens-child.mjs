// One "process" of the fleet: a WristbandClient with client credentials and a token store on the
// shared Redis. Waits for "go" on stdin (so that every process starts at once), runs SIGNUPS
// concurrent signups against the shared Wristband stand-in, prints the bearer tokens it sent as
// one JSON line, and exits. Usage: node wristband-tokens-child.mjs <wristbandUrl> <redisUrl> <signups>
import { createClient } from 'redis';
import { redisStore } from '../../dist/stores/index.js';
import { WristbandClient } from '../../dist/wristband/index.js';

const [wristbandUrl, redisUrl, signups] = process.argv.slice(2);
const redis = await createClient({ url: redisUrl }).connect();
const client = new WristbandClient({
  applicationVanityDomain: wristbandUrl,
  auth: { clientId: 'fleet-client', clientSecret: 'fleet-secret-7f3a', tokenStore: redisStore(redis) },
  retries: 0,
});
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
try {
  const results = await Promise.all(
    Array.from({ length: Number(signups) }, (_, i) =>
      client.provisionSignup({ level: 'tenant', tenantId: 'tenant_1', email: `user${process.pid}-${i}@example.com` }),
    ),
  );
  process.stdout.write(`${JSON.stringify(results.map((result) => result.kind))}\n`);
} finally {
  await redis.quit();
  process.stdin.destroy();
}
