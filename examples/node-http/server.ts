// Anzu webhooks on plain node:http, no framework. toNodeHandler turns the Fetch API handler into a
// request listener: it streams the body's raw bytes from the request to the handler and writes the
// handler's answer back. Every path is the webhook endpoint here; behind a router, give the
// listener the one route.
//
// Run it:  ANZU_WEBHOOK_SECRET=… ANZU_ACCESS_TOKEN=… ANZU_TEAM_ID=… ANZU_PROJECT_ID=… \
//          ANZU_ENVIRONMENT_ID=… PORT=3000 node examples/node-http/server.ts
import { createServer, type Server } from 'node:http';
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

export function createNodeServer({ secret, client, users }: AnzuWebhookAppOptions): Server {
  const handler = createAnzuWebhookHandler({
    secret,
    client,
    onUserIdentityCreated: (event) => {
      const { id, email, fullName } = event.payload.identity;
      // Idempotent: Anzu may deliver the same event again.
      users.set(id, { email, name: fullName });
    },
  });
  return createServer(toNodeHandler(handler));
}

if (import.meta.main) {
  const server = createNodeServer({
    secret: process.env.ANZU_WEBHOOK_SECRET ?? '',
    client: AnzuClient.fromEnv(),
    users: new Map(),
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, () => console.log(`Anzu webhooks on http://localhost:${port}/webhooks/anzu`));
}
