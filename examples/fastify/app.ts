// Anzu webhooks in Fastify 5. Fastify parses every body before the route handler runs (JSON and
// text by default) and keeps the result on its own `request.body`: the raw bytes the signature
// covers are gone from `request.raw`, and toNodeHandler, which reads `request.raw`, would answer
// 500 {"error":"body_already_read"}. That is also why a `parseAs: 'buffer'` parser does not help
// here: the Buffer lands on Fastify's request, not on `request.raw`.
//
// So the webhook route lives in its own plugin (an encapsulated context), whose only content type
// parser reads nothing: the body stays in `request.raw`, and toNodeHandler streams it to the handler
// byte for byte, under the handler's own limits (maxBodyBytes, bodyTimeoutMs). Routes outside the
// plugin keep Fastify's parsers. `reply.hijack()` tells Fastify that the response is written
// directly on `reply.raw` (toNodeHandler writes status, headers and body itself).
//
// Run it:  ANZU_WEBHOOK_SECRET=… ANZU_ACCESS_TOKEN=… ANZU_TEAM_ID=… ANZU_PROJECT_ID=… \
//          ANZU_ENVIRONMENT_ID=… PORT=3000 node examples/fastify/app.ts
import Fastify, { type FastifyInstance } from 'fastify';
import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
import { toNodeHandler } from 'provisionkit/node';

/** A user of your app, created from an Anzu identity. */
export interface AppUser {
  email?: string;
  name?: string;
}

export interface AnzuWebhookAppOptions {
  /** The webhook's signing secret. */
  secret: string;
  /** Confirms provisioning (in each event's own scope), so the user waiting on Anzu's page is let in. */
  client: AnzuClient;
  /** Your user table, keyed on the Anzu identity id (stands in for a database). */
  users: Map<string, AppUser>;
}

export function createFastifyApp({ secret, client, users }: AnzuWebhookAppOptions): FastifyInstance {
  const handler = createAnzuWebhookHandler({
    secret,
    client,
    onUserIdentityCreated: (event) => {
      const { id, email, fullName } = event.payload.identity;
      // Idempotent: Anzu may deliver the same event again.
      users.set(id, { email, name: fullName });
    },
  });
  const anzuWebhook = toNodeHandler(handler);

  const app = Fastify();
  app.register(async (webhooks) => {
    // In this plugin only: any content type (or none) is accepted and left unread.
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', (_request, _payload, done) => done(null));
    webhooks.post('/webhooks/anzu', async (request, reply) => {
      reply.hijack();
      await anzuWebhook(request.raw, reply.raw);
    });
  });
  return app;
}

if (import.meta.main) {
  const app = createFastifyApp({
    secret: process.env.ANZU_WEBHOOK_SECRET ?? '',
    client: AnzuClient.fromEnv(),
    users: new Map(),
  });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ port });
  console.log(`Anzu webhooks on http://localhost:${port}/webhooks/anzu`);
}
