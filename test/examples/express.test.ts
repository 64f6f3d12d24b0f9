// The Express 5 example over real HTTP: the shared webhook checks, then the example app mounted
// behind each of Express's body parsers, as in an app that registers its parsers first.
import express, { type RequestHandler } from 'express';
import { signAnzuWebhook } from 'provisionkit/anzu';
import { createAnzuSandbox } from 'provisionkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AppUser, createExpressApp } from '../../examples/express/app.js';
import { type Listening, listen } from '../node/support.js';
import { describeWebhookEndpoint, eventScopedClient } from './webhook-endpoint.js';

describeWebhookEndpoint('Express 5 (toNodeHandler)', async (anzu) => {
  const users = new Map<string, AppUser>();
  const server = await listen(createExpressApp({ secret: anzu.secret, client: eventScopedClient(anzu), users }));
  return {
    webhookUrl: `${server.url}/webhooks/anzu`,
    userEmail: async (id) => users.get(id)?.email,
    close: server.close,
  };
});

const BOM = [0xef, 0xbb, 0xbf];

describe('Express 5: the webhook route behind a body parser', () => {
  const anzu = createAnzuSandbox({ accessToken: 'example-anzu-token' });
  const users = new Map<string, AppUser>();
  /** Each parser in front of the example app, as `app.use(parser)` before the routes. */
  const parsers = {
    raw: express.raw({ type: 'application/json' }),
    // Parses text/plain only: a JSON body stays in the stream.
    text: express.text(),
    // Reads the JSON body as a string, which toNodeHandler encodes back as UTF-8.
    textJson: express.text({ type: 'application/json' }),
    json: express.json(),
  } satisfies Record<string, RequestHandler>;
  type Parser = keyof typeof parsers;
  const servers: Partial<Record<Parser, Listening>> = {};
  const webhookUrl = (parser: Parser) => `${servers[parser]?.url}/webhooks/anzu`;

  beforeAll(async () => {
    for (const [name, parser] of Object.entries(parsers) as [Parser, RequestHandler][]) {
      const app = express();
      app.use(parser);
      app.use(createExpressApp({ secret: anzu.secret, client: eventScopedClient(anzu), users }));
      servers[name] = await listen(app);
    }
  });
  afterAll(() => Promise.all(Object.values(servers).map((server) => server.close())));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A signed sandbox webhook; with `bom`, its body starts with a UTF-8 byte order mark, signed too. */
  const webhook = async (bom = false): Promise<{ id: string; init: RequestInit }> => {
    const text = await (await anzu.signedWebhook()).text();
    const body = new Uint8Array([...(bom ? BOM : []), ...new TextEncoder().encode(text)]);
    const signature = await signAnzuWebhook({ payload: body, secret: anzu.secret });
    const headers = { 'content-type': 'application/json', 'anzu-signature': signature };
    return { id: JSON.parse(text).payload.identity.id, init: { method: 'POST', headers, body } };
  };

  it.each([
    ['express.raw({ type: "application/json" })', 'raw'],
    ['express.text() (text/plain only)', 'text'],
    ['express.text({ type: "application/json" })', 'textJson'],
  ] as const)('verifies behind %s and confirms the identity', async (_, parser) => {
    const { id, init } = await webhook();
    const response = await fetch(webhookUrl(parser), init);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(anzu.provisioningStatus(id)).toBe('complete');
    expect(users.has(id)).toBe(true);
  });

  it('verifies the bytes express.raw() left behind, a byte order mark included', async () => {
    const { id, init } = await webhook(true);
    const response = await fetch(webhookUrl('raw'), init);
    expect(response.status).toBe(200);
    expect(anzu.provisioningStatus(id)).toBe('complete');
  });

  it('refuses what express.text() decoded into other bytes (the byte order mark dropped): 401', async () => {
    const { id, init } = await webhook(true);
    const response = await fetch(webhookUrl('textJson'), init);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_signature' });
    expect(anzu.provisioningStatus(id)).toBe('pending');
    expect(users.has(id)).toBe(false);
  });

  it('answers 500 body_already_read behind express.json(), runs nothing, and logs how to fix it', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { id, init } = await webhook();
    const response = await fetch(webhookUrl('json'), init);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: 'body_already_read' });
    expect(anzu.provisioningStatus(id)).toBe('pending');
    expect(users.has(id)).toBe(false);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/before express\.json\(\).*express\.raw\(/s);
  });
});
