// One webhook-receiving process for test/scale/webhook-idempotency.test.ts: a node:http server
// on 127.0.0.1 serving the BUILT handler (dist/) with `idempotency: redisStore(node-redis)`.
// Its callback appends `<identity id>` to LOG_FILE when it completes, so the test counts
// completed callbacks across every process. An identity named in HANG_ON logs `start:<id>` and
// then never completes: the test SIGKILLs the process there. Prints `PORT=<n>` once listening.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { createAnzuWebhookHandler } from '../../dist/anzu/index.js';
import { redisStore } from '../../dist/stores/index.js';

const { REDIS_URL, SECRET, LOG_FILE, LOCK_SECONDS = '2', CALLBACK_MS = '0', HANG_ON = '' } = process.env;

// Fail fast while Redis is away (no offline queue), reconnect every 100 ms: the handler then
// answers 503 at once instead of holding deliveries until Redis returns.
const redis = createClient({
  url: REDIS_URL,
  disableOfflineQueue: true,
  socket: { reconnectStrategy: () => 100, connectTimeout: 1_000 },
});
redis.on('error', () => {}); // reconnects on its own; the handler reports the failed commands
await redis.connect();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const handler = createAnzuWebhookHandler({
  secret: SECRET,
  idempotency: { store: redisStore(redis, { prefix: 'scale:' }), lockSeconds: Number(LOCK_SECONDS) },
  onUserIdentityCreated: async (event) => {
    const { id } = event.payload.identity;
    if (id === HANG_ON) {
      appendFileSync(LOG_FILE, `start:${id}\n`);
      await new Promise(() => {});
    }
    await sleep(Number(CALLBACK_MS));
    appendFileSync(LOG_FILE, `${id}\n`);
  },
});

// The smallest Node bridge: buffer the body, build a Request, write the Response.
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: req.headers,
    body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
  });
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, '127.0.0.1', () => console.log(`PORT=${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  redis.destroy();
  process.exit(0);
});
