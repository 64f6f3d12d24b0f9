// toNodeHandler over real HTTP on 127.0.0.1: what the handler receives is what the client sent
// (bytes, path, query, header lines), what the client receives is what the handler answered
// (status, every header line, the body as it is produced), and the connection's end reaches the
// handler's signal.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { signAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { toNodeHandler } from '../../src/node/index.js';
import { createAnzuSandbox } from '../../src/testing/index.js';
import { type Listening, listen, signal } from './support.js';

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** Serves `handler` through toNodeHandler (no `next`), as `http.createServer(toNodeHandler(h))`. */
async function serve(handler: (request: Request) => Promise<Response>): Promise<string> {
  server = await listen(toNodeHandler(handler));
  return server.url;
}

/** Echoes what the handler saw: method, URL, headers and the body's bytes in hex. */
const echo = async (request: Request) =>
  Response.json({
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    hex: Buffer.from(await request.arrayBuffer()).toString('hex'),
  });

/** A request with header lines exactly as given (repeated names stay separate lines). */
function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Uint8Array },
): Promise<{
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  body: string;
}> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            rawHeaders: res.rawHeaders,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the Request given to the handler', () => {
  it('carries the body byte for byte: a BOM and invalid UTF-8 survive', async () => {
    const url = await serve(echo);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0xfe, 0x80, 0x00, 0xc3, 0x7d]);
    const response = await fetch(`${url}/raw`, { method: 'POST', body: bytes });
    expect((await response.json()).hex).toBe('efbbbf7bfffe8000c37d');
  });

  it('keeps a webhook signature valid over a body with a BOM and invalid UTF-8 bytes', async () => {
    const anzu = createAnzuSandbox();
    const names: (string | undefined)[] = [];
    const handler = createAnzuWebhookHandler({
      secret: anzu.secret,
      onUserIdentityCreated: (event) => {
        names.push(event.payload.identity.fullName);
      },
    });
    const url = await serve(handler);
    const text = await (await anzu.signedWebhook({ email: 'ada@example.com', fullName: 'Ada @@' })).text();
    // The two '@' of the name become bytes that are not UTF-8; a BOM goes in front.
    const utf8 = new TextEncoder().encode(text);
    const at = text.indexOf('Ada @@') + 4;
    utf8.set([0xff, 0xfe], at);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    const signature = await signAnzuWebhook({ payload: bytes, secret: anzu.secret });
    const response = await fetch(`${url}/webhooks/anzu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anzu-signature': signature },
      body: bytes,
    });
    expect(response.status).toBe(200);
    expect(names).toEqual(['Ada \uFFFD\uFFFD']);
  });

  it('keeps the method, the path and the query string as received, and the host from the Host header', async () => {
    const url = await serve(echo);
    const response = await fetch(`${url}/webhooks/anzu?a=1&b=%20x&a=2`, { method: 'PUT', body: 'x' });
    const seen = await response.json();
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe(`${url}/webhooks/anzu?a=1&b=%20x&a=2`);
  });

  it('keeps a path that starts with // on this host', async () => {
    const url = await serve(echo);
    const { body } = await rawRequest(url, { path: '//evil.example/x?y=1' });
    expect(JSON.parse(body).url).toBe(`${url}//evil.example/x?y=1`);
  });

  it('has every header line, repeated ones joined as Fetch joins them', async () => {
    const url = await serve(echo);
    const { body } = await rawRequest(url, {
      method: 'POST',
      // An array value is sent as one header line per item.
      headers: { 'X-Multi': ['a', 'b'], 'Anzu-Signature': 't=1,v1=abc', 'Content-Type': 'application/json' },
      body: new TextEncoder().encode('{}'),
    });
    const seen = JSON.parse(body);
    expect(seen.headers).toMatchObject({
      'x-multi': 'a, b',
      'anzu-signature': 't=1,v1=abc',
      'content-type': 'application/json',
    });
    expect(seen.hex).toBe('7b7d');
  });

  it('has no body for GET', async () => {
    let body: ReadableStream | null = new ReadableStream();
    const url = await serve(async (request) => {
      body = request.body;
      return new Response('ok');
    });
    expect((await fetch(url)).status).toBe(200);
    expect(body).toBeNull();
  });

  it('streams the body to the handler as it arrives, before the client has sent it all', async () => {
    const first = signal<string>();
    const url = await serve(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      first.resolve(new TextDecoder().decode((await reader.read()).value));
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        rest += new TextDecoder().decode(chunk.value);
      }
      return new Response(rest);
    });
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        sent += 1;
        if (sent === 1) controller.enqueue(encoder.encode('one'));
        else if (sent === 2) {
          // Sent only once the handler has read the first part.
          expect(await first.promise).toBe('one');
          controller.enqueue(encoder.encode('two'));
        } else controller.close();
      },
    });
    const response = await fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await response.text()).toBe('two');
  });
});

describe('the Response written back', () => {
  it('has the status, the status text and every header line (two Set-Cookie, a multi-value header)', async () => {
    const url = await serve(async () => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
      headers.append('set-cookie', 'b=2, with a comma; Path=/');
      headers.append('x-multi', 'one');
      headers.append('x-multi', 'two');
      return new Response('made', { status: 201, statusText: 'Made Here', headers });
    });
    const response = await rawRequest(url, {});
    expect(response.status).toBe(201);
    expect(response.statusMessage).toBe('Made Here');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2, with a comma; Path=/']);
    const lines = response.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    expect(lines.filter((name) => name === 'set-cookie')).toHaveLength(2);
    expect(response.headers['x-multi']).toBe('one, two');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.body).toBe('made');
  });

  it('streams the body: a chunk arrives before the next one is produced', async () => {
    const firstArrived = signal();
    const url = await serve(async () => {
      const encoder = new TextEncoder();
      let step = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          step += 1;
          if (step === 1) controller.enqueue(encoder.encode('first;'));
          else if (step === 2) {
            // Produced only after the client has the first chunk: a buffered body never gets here.
            await firstArrived.promise;
            controller.enqueue(encoder.encode('second'));
          } else controller.close();
        },
      });
      return new Response(body);
    });
    const response = await fetch(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('first;');
    firstArrived.resolve();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('second');
  });

  it('answers HEAD without a body', async () => {
    const url = await serve(async () => new Response('body', { headers: { 'x-kind': 'head' } }));
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.headers.get('x-kind')).toBe('head');
    expect(await response.text()).toBe('');
  });
});

describe('a client that goes away', () => {
  it('aborts request.signal while the handler waits', async () => {
    const started = signal();
    const aborted = signal<boolean>();
    const url = await serve(async (request) => {
      request.signal.addEventListener('abort', () => aborted.resolve(true));
      started.resolve();
      await aborted.promise;
      return new Response('too late');
    });
    const client = new AbortController();
    const pending = fetch(url, { signal: client.signal }).catch(() => 'aborted');
    await started.promise;
    client.abort();
    expect(await pending).toBe('aborted');
    expect(await aborted.promise).toBe(true);
  });

  it('aborts request.signal and stops the body read when the client leaves mid-body', async () => {
    const started = signal();
    const outcome = signal<{ aborted: boolean; read: string }>();
    const url = await serve(async (request) => {
      let read = 'complete';
      try {
        await request.arrayBuffer();
      } catch {
        read = 'failed';
      }
      outcome.resolve({ aborted: request.signal.aborted, read });
      return new Response('too late');
    });
    const client = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Part of the body, then nothing more: the handler is left waiting for the rest.
        controller.enqueue(new TextEncoder().encode('{"partial":'));
        started.resolve();
      },
    });
    const pending = fetch(url, { method: 'POST', body, duplex: 'half', signal: client.signal } as RequestInit).catch(
      () => 'aborted',
    );
    await started.promise;
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.abort();
    expect(await pending).toBe('aborted');
    expect(await outcome.promise).toEqual({ aborted: true, read: 'failed' });
  });

  it('cancels the response body stream', async () => {
    const cancelled = signal<boolean>();
    const url = await serve(
      async () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('first'));
            },
            cancel: () => cancelled.resolve(true),
          }),
        ),
    );
    const client = new AbortController();
    const response = await fetch(url, { signal: client.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    client.abort();
    expect(await cancelled.promise).toBe(true);
  });
});

describe('a handler that throws', () => {
  it('answers 500 internal_error without the error when there is no next', async () => {
    const url = await serve(async () => {
      throw new Error('database password is hunter2');
    });
    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal_error' });
    expect(text).not.toContain('hunter2');
  });

  it('passes the error to next when given, and writes nothing itself', async () => {
    const thrown = new Error('boom');
    const received: unknown[] = [];
    const listener = toNodeHandler(async () => {
      throw thrown;
    });
    server = await listen((req, res) => {
      void listener(req, res, (error) => {
        received.push(error);
        res.statusCode = 503;
        res.end('from next');
      });
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('from next');
    expect(received).toEqual([thrown]);
  });

  it('never rejects', async () => {
    const results: Promise<void>[] = [];
    const listener = toNodeHandler(async () => {
      throw new Error('boom');
    });
    server = await listen((req, res) => {
      results.push(listener(req, res));
    });
    await fetch(server.url);
    await expect(results[0]).resolves.toBeUndefined();
  });
});

describe('a body the handler does not read', () => {
  it('is drained, so the next request on the same connection is answered', async () => {
    const url = await serve(async () => Response.json({ error: 'missing_signature' }, { status: 401 }));
    const body = new Uint8Array(256 * 1024).fill(0x61);
    const first = await rawRequest(url, { method: 'POST', headers: { Connection: 'keep-alive' }, body });
    expect(first.status).toBe(401);
    const second = await rawRequest(url, { method: 'POST', body });
    expect(second.status).toBe(401);
  });
});
