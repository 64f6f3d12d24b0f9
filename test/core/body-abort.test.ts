/**
 * A caller's signal aborted while a 2xx body is being read rejects the call with the signal's
 * reason: never a half-read body, never a ProvisionKitError.
 */
import { describe, expect, it } from 'vitest';
import { HttpClient, type HttpRequest } from '../../src/core/http.js';
import { useFaultServer } from '../faults/fault-server.js';

const { server, unhandled } = useFaultServer();

function client(fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)) {
  return new HttpClient({ provider: 'wristband', fetch, retries: 0, timeoutMs: 5_000, describeError: () => ({}) });
}

const request = (signal: AbortSignal): HttpRequest => ({
  method: 'POST',
  url: `${server.origin}/slow`,
  headers: { 'content-type': 'application/json' },
  body: '{}',
  idempotent: false,
  signal,
  secrets: [],
});

describe('abort while the body is read', () => {
  it('a real server sending headers, then the body slowly: rejects with the reason', async () => {
    server.respond(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":"');
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    const reason = new Error('user left');
    setTimeout(() => controller.abort(reason), 100);
    await expect(client().send(request(controller.signal))).rejects.toBe(reason);
  });

  it('a body stream that ends quietly when cancelled still rejects with the reason, not half a body', async () => {
    // A custom fetch whose body ignores the signal and, cancelled, reports `done`: reading it
    // cannot tell an abort from the end of the body.
    const encoder = new TextEncoder();
    const fetch: typeof globalThis.fetch = async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          controller.enqueue(encoder.encode(sent++ === 0 ? '{"result":"' : 'x'));
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const controller = new AbortController();
    const reason = new Error('user left');
    setTimeout(() => controller.abort(reason), 100);
    await expect(client(fetch).send(request(controller.signal))).rejects.toBe(reason);
  });

  it('an abort between the headers and the first read rejects with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('too late');
    // The body is complete at once, but the caller gave up as the headers arrived.
    const fetch: typeof globalThis.fetch = async () => {
      const response = Response.json({ result: 'SIGNUP_COMPLETED_WITH_EMAIL_VERIFICATION' });
      controller.abort(reason);
      return response;
    };
    await expect(client(fetch).send(request(controller.signal))).rejects.toBe(reason);
  });

  it('left no unhandled rejection behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
