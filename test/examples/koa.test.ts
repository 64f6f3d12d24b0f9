// The Koa 3 example over real HTTP: the shared webhook checks, and the rest of the app still
// reached through `next` for every other path.
import { createAnzuSandbox } from 'provisionkit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppUser, createKoaApp } from '../../examples/koa/app.js';
import { type Listening, listen } from '../node/support.js';
import { describeWebhookEndpoint, eventScopedClient } from './webhook-endpoint.js';

describeWebhookEndpoint('Koa 3 (ctx.respond = false)', async (anzu) => {
  const users = new Map<string, AppUser>();
  const app = createKoaApp({ secret: anzu.secret, client: eventScopedClient(anzu), users });
  const server = await listen(app.callback());
  return {
    webhookUrl: `${server.url}/webhooks/anzu`,
    userEmail: async (id) => users.get(id)?.email,
    close: server.close,
  };
});

describe('Koa 3: the webhook middleware in an app', () => {
  const anzu = createAnzuSandbox({ accessToken: 'example-anzu-token' });
  let server: Listening | undefined;
  afterAll(() => server?.close());

  it('passes every other path to the next middleware, and Koa answers as usual', async () => {
    const app = createKoaApp({ secret: anzu.secret, client: eventScopedClient(anzu), users: new Map() });
    app.use((ctx) => {
      ctx.body = { path: ctx.path };
    });
    server = await listen(app.callback());
    const other = await fetch(`${server.url}/health`);
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ path: '/health' });
    // The webhook route never reaches it: the handler's own answer, as it wrote it.
    const get = await fetch(`${server.url}/webhooks/anzu`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual({ error: 'method_not_allowed' });
  });
});
