// Anzu webhooks in Express 5. The signature covers the exact bytes Anzu sent, so the handler must
// get the body unparsed: toNodeHandler streams it from the request itself, with no body parser on
// the route. Mount the route before app.use(express.json()), which would parse (and so consume)
// the body first; the handler would then answer 500 {"error":"body_already_read"}.
//
// Run it:  ANZU_WEBHOOK_SECRET=… ANZU_ACCESS_TOKEN=… ANZU_TEAM_ID=… ANZU_PROJECT_ID=… \
//          ANZU_ENVIRONMENT_ID=… PORT=3000 node examples/express/app.ts
import express, { type Express } from 'express';
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

export function createExpressApp({ secret, client, users }: AnzuWebhookAppOptions): Express {
  const handler = createAnzuWebhookHandler({
    secret,
    client,
    onUserIdentityCreated: (event) => {
      const { id, email, fullName } = event.payload.identity;
      // Idempotent: Anzu may deliver the same event again.
      users.set(id, { email, name: fullName });
    },
  });

  const app = express();
  // First, so no parser reads the body before it. An error the handler throws goes to next(),
  // Express's error handling; its own answers (401, 400, …) are written as they are.
  app.post('/webhooks/anzu', toNodeHandler(handler));
  // The rest of your API parses JSON as usual; it never runs for the webhook route above.
  app.use(express.json());
  return app;
}

if (import.meta.main) {
  const app = createExpressApp({
    secret: process.env.ANZU_WEBHOOK_SECRET ?? '',
    client: AnzuClient.fromEnv(),
    users: new Map(),
  });
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () => console.log(`Anzu webhooks on http://localhost:${port}/webhooks/anzu`));
}
