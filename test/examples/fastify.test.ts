// The Fastify 5 example over real HTTP: the shared webhook checks, the rest of the app still
// parsing JSON, and why the webhook route needs its own plugin: behind Fastify's parsers the raw
// bytes are gone from request.raw.
import Fastify, { type FastifyInstance } from 'fastify';
import { createAnzuWebhookHandler } from 'provisionkit/anzu';
import { toNodeHandler } from 'provisionkit/node';
import { createAnzuSandbox } from 'provisionkit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AppUser, createFastifyApp } from '../../examples/fastify/app.js';
import { deliver, describeWebhookEndpoint, eventScopedClient } from './webhook-endpoint.js';

/** Listens on 127.0.0.1 at a free port; the base URL. */
async function listenOn(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describeWebhookEndpoint('Fastify 5 (a plugin without body parsing, reply.hijack)', async (anzu) => {
  const users = new Map<string, AppUser>();
  const app = createFastifyApp({ secret: anzu.secret, client: eventScopedClient(anzu), users });
  const url = await listenOn(app);
  return {
    webhookUrl: `${url}/webhooks/anzu`,
    userEmail: async (id) => users.get(id)?.email,
    close: () => app.close(),
  };
});

describe('Fastify 5: body parsing around the webhook route', () => {
  const anzu = createAnzuSandbox({ accessToken: 'example-anzu-token' });
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    vi.restoreAllMocks();
  });

  it('leaves the rest of the app with Fastify’s JSON parser', async () => {
    app = createFastifyApp({ secret: anzu.secret, client: eventScopedClient(anzu), users: new Map() });
    app.post('/echo', async (request) => ({ parsed: request.body }));
    const url = await listenOn(app);
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await response.json()).toEqual({ parsed: { a: 1 } });
  });

  it('takes a webhook without a Content-Type (which Fastify’s parsers refuse with 415)', async () => {
    const users = new Map<string, AppUser>();
    app = createFastifyApp({ secret: anzu.secret, client: eventScopedClient(anzu), users });
    const url = await listenOn(app);
    const request = await anzu.signedWebhook({ email: 'ada@example.com' });
    const headers = new Headers(request.headers);
    headers.delete('content-type');
    const response = await fetch(`${url}/webhooks/anzu`, {
      method: 'POST',
      headers,
      body: new Blob([await request.arrayBuffer()]),
    });
    expect(response.status).toBe(200);
    expect([...users.values()].map((user) => user.email)).toEqual(['ada@example.com']);
  });

  it.each([
    ['Fastify’s own JSON parser', (_: FastifyInstance) => {}],
    [
      'a parseAs: "buffer" parser (the Buffer is on request.body, not on request.raw)',
      (scope: FastifyInstance) =>
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
          done(null, body),
        ),
    ],
  ])('answers 500 body_already_read behind %s, and runs nothing', async (_, parser) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const users = new Map<string, AppUser>();
    const handler = createAnzuWebhookHandler({
      secret: anzu.secret,
      client: eventScopedClient(anzu),
      onUserIdentityCreated: (event) => {
        users.set(event.payload.identity.id, {});
      },
    });
    const webhook = toNodeHandler(handler);
    app = Fastify();
    app.register(async (scope) => {
      parser(scope);
      scope.post('/webhooks/anzu', async (request, reply) => {
        reply.hijack();
        await webhook(request.raw, reply.raw);
      });
    });
    const url = await listenOn(app);
    const request = await anzu.signedWebhook();
    const id: string = JSON.parse(await request.clone().text()).payload.identity.id;
    const response = await deliver(request, `${url}/webhooks/anzu`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'body_already_read' });
    expect(users.size).toBe(0);
    expect(anzu.provisioningStatus(id)).toBe('pending');
  });
});
