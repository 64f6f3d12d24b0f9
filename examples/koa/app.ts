// Anzu webhooks in Koa 3. Koa reads no body by itself, so `ctx.req` still holds the bytes Anzu sent:
// toNodeHandler streams them to the handler and writes its answer on `ctx.res`. `ctx.respond = false`
// tells Koa not to write a response of its own. Put this middleware before any body parser
// (@koa/bodyparser and the like read `ctx.req` to the end).
//
// Run it:  ANZU_WEBHOOK_SECRET=… ANZU_ACCESS_TOKEN=… ANZU_TEAM_ID=… ANZU_PROJECT_ID=… \
//          ANZU_ENVIRONMENT_ID=… PORT=3000 node examples/koa/app.ts
import Koa from 'koa';
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

export function createKoaApp({ secret, client, users }: AnzuWebhookAppOptions): Koa {
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

  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path !== '/webhooks/anzu') return next();
    ctx.respond = false;
    // No third argument: Koa's `next` takes no error, and would run the rest of the app instead.
    await anzuWebhook(ctx.req, ctx.res);
  });
  return app;
}

if (import.meta.main) {
  const app = createKoaApp({
    secret: process.env.ANZU_WEBHOOK_SECRET ?? '',
    client: AnzuClient.fromEnv(),
    users: new Map(),
  });
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () => console.log(`Anzu webhooks on http://localhost:${port}/webhooks/anzu`));
}
