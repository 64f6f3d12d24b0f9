// One Wristband token for a fleet: several Node processes, each with its own WristbandClient and a
// redisStore on one real redis-server, sign up concurrently against one Wristband stand-in on
// 127.0.0.1, which counts token requests: exactly one in total.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';

const PROCESSES = 4;
const SIGNUPS = 5;
const CHILD = join(import.meta.dirname, 'wristband-tokens-child.mjs');

let redis: RedisServer;
let wristband: Server;
let url: string;
const counts = { token: 0, signup: 0, refused: 0 };
const ISSUED = 'fleet-token-1';

beforeAll(async () => {
  redis = await startRedis();
  // A minimal Wristband: the token endpoint answers slowly (so that every process asks at once
  // if nothing stops it); the signup endpoint accepts only the token it issued.
  wristband = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url?.endsWith('/oauth2/token')) {
        counts.token += 1;
        setTimeout(() => reply(200, { access_token: ISSUED, token_type: 'Bearer', expires_in: 3600 }), 150);
      } else if (request.headers.authorization === `Bearer ${ISSUED}`) {
        counts.signup += 1;
        reply(200, { result: 'USER_ACTIVATION_REQUIRED_WITH_EMAIL_LINK' });
      } else {
        counts.refused += 1;
        reply(401, { type: 'base_error', code: 'unauthorized', message: 'bad token' });
      }
    });
  });
  await new Promise<void>((resolve) => wristband.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(wristband.address() as AddressInfo).port}`;
});

afterAll(async () => {
  wristband?.closeAllConnections();
  await new Promise((resolve) => wristband?.close(resolve));
  await redis?.stop();
});

/** Starts a child process and resolves once it is connected and waiting for "go". */
function startChild(): Promise<{ child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> }> {
  const child = spawn(process.execPath, [CHILD, url, redis.url, String(SIGNUPS)], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return lines.next().then(({ value }) => {
    if (value !== 'ready') throw new Error(`child did not start: ${value} ${stderr}`);
    return { child, lines };
  });
}

it(`${PROCESSES} processes × ${SIGNUPS} concurrent signups share one token request`, async () => {
  const children = await Promise.all(Array.from({ length: PROCESSES }, startChild));
  try {
    for (const { child } of children) child.stdin.write('go\n');
    const outputs = await Promise.all(children.map(({ lines }) => lines.next()));
    for (const { value } of outputs) {
      expect(JSON.parse(value)).toEqual(Array(SIGNUPS).fill('activation_link_sent'));
    }
    expect(counts).toEqual({ token: 1, signup: PROCESSES * SIGNUPS, refused: 0 });
  } finally {
    for (const { child } of children) if (child.exitCode === null) child.kill();
  }
}, 30_000);
