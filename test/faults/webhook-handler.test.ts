/**
 * The Anzu webhook handler served over real HTTP (node:http through @hono/node-server), facing
 * hostile or broken senders: an oversized declared body is refused before it is sent, an
 * endless chunked body is cut off at the limit, and a sender that vanishes mid-body neither
 * crashes the server nor leaves an unhandled rejection, and one that trickles its body is cut off
 * at `bodyTimeoutMs`.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { signAnzuWebhook } from '../../src/anzu/webhook-signature.js';

const SECRET = 'whsec_fault_tests_0123456789';
const MAX_BODY = 64 * 1024;
/** Short, so that a slow sender is cut off quickly; far above what a loopback body needs. */
const BODY_TIMEOUT_MS = 500;

const created: string[] = [];
const reported: { stage: string; code: unknown }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let server: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  const handler = createAnzuWebhookHandler({
    secret: SECRET,
    maxBodyBytes: MAX_BODY,
    bodyTimeoutMs: BODY_TIMEOUT_MS,
    onUserIdentityCreated: (event) => {
      created.push(event.payload.identity.id);
    },
    onError: (error, stage) => reported.push({ stage, code: (error as { code?: unknown }).code }),
  });
  await new Promise<void>((resolve) => {
    server = serve(
      { fetch: handler, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false },
      (info: AddressInfo) => {
        port = info.port;
        resolve();
      },
    );
  });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  (server as import('node:http').Server).closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const event = (id: string) =>
  JSON.stringify({
    id: `evt_${id}`,
    kind: 'user_management.user_identity_created',
    payload: { provisionedWith: 'email', identity: { id, provider: 'email' } },
  });

interface Sent {
  status: number | undefined;
  body: string;
  error?: Error;
}

/**
 * Sends a POST by hand: `write` decides what goes on the wire after the headers, so the body
 * can lie about its length, never end, or be cut off.
 */
function send(
  headers: Record<string, string | number>,
  write: (req: ReturnType<typeof httpRequest>) => void,
): Promise<Sent> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/webhooks/anzu', headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, body }));
        res.on('error', (error) => resolve({ status: res.statusCode, body, error }));
      },
    );
    req.on('error', (error) => resolve({ status: undefined, body: '', error }));
    write(req);
  });
}

async function signedHeaders(body: string) {
  return {
    'content-type': 'application/json',
    'anzu-signature': await signAnzuWebhook({ payload: body, secret: SECRET }),
  };
}

describe('webhook handler over real HTTP', () => {
  it('accepts a signed event (the baseline the other cases depart from)', async () => {
    const body = event('ui_ok');
    const sent = await send({ ...(await signedHeaders(body)), 'content-length': Buffer.byteLength(body) }, (req) =>
      req.end(body),
    );
    expect(sent.status).toBe(200);
    expect(created).toContain('ui_ok');
  });

  it('answers 413 to a declared oversized body before any of it is sent', async () => {
    // Only the headers go out; the request stays open. An answer proves the handler did not wait for the body.
    let request: ReturnType<typeof httpRequest> | undefined;
    const sent = await send({ ...(await signedHeaders('{}')), 'content-length': 10 * 1024 * 1024 }, (req) => {
      request = req;
      req.flushHeaders();
    });
    request?.destroy();
    expect(sent.status).toBe(413);
    expect(JSON.parse(sent.body)).toEqual({ error: 'payload_too_large' });
  });

  it('cuts off an undeclared (chunked) body once it passes the limit', async () => {
    const chunk = `{"pad":"${'x'.repeat(16 * 1024)}"}`;
    let request: ReturnType<typeof httpRequest> | undefined;
    const sent = await send({ ...(await signedHeaders('{}')), 'transfer-encoding': 'chunked' }, (req) => {
      request = req;
      // Keeps sending until the server answers: an endless body.
      const pump = () => {
        while (!req.destroyed && req.write(chunk)) {
          /* fill the socket */
        }
        if (!req.destroyed) req.once('drain', pump);
      };
      req.on('response', () => req.destroy());
      pump();
    });
    request?.destroy();
    expect(sent.status).toBe(413);
    expect(reported).toContainEqual({ stage: 'request', code: 'payload_too_large' });
  });

  it('survives a sender that disconnects mid-body, and keeps serving', async () => {
    const body = event('ui_cut');
    const reportedBefore = reported.length;
    const sent = await send({ ...(await signedHeaders(body)), 'content-length': Buffer.byteLength(body) }, (req) => {
      req.write(body.slice(0, 20), () => setTimeout(() => req.destroy(), 20));
    });
    expect(sent.status).toBeUndefined();
    // The handler notices the broken stream and reports it (stage 'request', body_unreadable answer).
    await vi.waitFor(() => expect(reported.slice(reportedBefore).some((r) => r.stage === 'request')).toBe(true), {
      timeout: 3_000,
    });
    expect(created).not.toContain('ui_cut');
    const next = event('ui_after');
    const again = await send({ ...(await signedHeaders(next)), 'content-length': Buffer.byteLength(next) }, (req) =>
      req.end(next),
    );
    expect(again.status).toBe(200);
  });

  it('refuses a body signed for a different payload with 401, over the wire too', async () => {
    const body = event('ui_tampered');
    const headers = await signedHeaders(event('ui_original'));
    const sent = await send({ ...headers, 'content-length': Buffer.byteLength(body) }, (req) => req.end(body));
    expect(sent.status).toBe(401);
    expect(created).not.toContain('ui_tampered');
  });

  it('answers 408 body_timeout to a sender that stops mid-body and keeps the connection open', async () => {
    const body = event('ui_slow');
    let request: ReturnType<typeof httpRequest> | undefined;
    const sent = await send({ ...(await signedHeaders(body)), 'content-length': Buffer.byteLength(body) }, (req) => {
      request = req;
      req.write(body.slice(0, 20)); // and then nothing: the rest never comes
    });
    request?.destroy();
    expect(sent.status).toBe(408);
    expect(JSON.parse(sent.body)).toEqual({ error: 'body_timeout' });
    expect(reported).toContainEqual({ stage: 'request', code: 'body_timeout' });
    expect(created).not.toContain('ui_slow');
  });

  it('answers 408 to a trickling chunked body that never ends, however slowly it keeps sending', async () => {
    let request: ReturnType<typeof httpRequest> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const sent = await send({ ...(await signedHeaders('{}')), 'transfer-encoding': 'chunked' }, (req) => {
      request = req;
      // One byte every 50 ms: never over the size limit, never finished.
      timer = setInterval(() => !req.destroyed && req.write(' '), 50);
    });
    clearInterval(timer);
    request?.destroy();
    expect(sent.status).toBe(408);
  });

  it('left no unhandled rejection behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
