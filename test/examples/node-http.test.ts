// The plain node:http example over real HTTP: createServer(toNodeHandler(handler)) and nothing else.
import { type AppUser, createNodeServer } from '../../examples/node-http/server.js';
import { listening } from '../node/support.js';
import { describeWebhookEndpoint, eventScopedClient } from './webhook-endpoint.js';

describeWebhookEndpoint('node:http (createServer(toNodeHandler(handler)))', async (anzu) => {
  const users = new Map<string, AppUser>();
  const server = await listening(createNodeServer({ secret: anzu.secret, client: eventScopedClient(anzu), users }));
  return {
    webhookUrl: `${server.url}/webhooks/anzu`,
    userEmail: async (id) => users.get(id)?.email,
    close: server.close,
  };
});
