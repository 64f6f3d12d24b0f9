// The library's main flows under Vercel's edge-runtime (vitest.edge.config.ts): web globals
// only. The runtime matrix (scripts/runtimes.mjs) runs the packed build in the real runtimes;
// this suite runs the sources, so a Node-only API creeping into src fails here first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AnzuClient,
  createAnzuWebhookHandler,
  signAnzuWebhook,
  verifyAnzuWebhook,
  WebhookSignatureError,
  WristbandClient,
} from '../../src/index.js';
import { createAnzuSandbox, createWristbandSandbox } from '../../src/testing/index.js';

const secret = 'edge-webhook-secret';
const accessToken = 'edge-anzu-token';
const scope = { teamId: 'team_1', projectId: 'project_1', environmentId: 'env_1' };
const credentials = { clientId: 'edge-client', clientSecret: 'edge-client-secret' };

describe('under edge-runtime', () => {
  it('runs in the edge-runtime environment, not plain Node', () => {
    // edge-runtime defines this global; Node does not.
    expect(typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('string');
  });

  it('signs and verifies the documented test vector with Web Crypto', async () => {
    const payload = '{"id":"evt","kind":"ping","payload":{}}';
    const signature = await signAnzuWebhook({ payload, secret: 'my-webhook-secret', timestamp: 1662209363 });
    expect(signature).toContain('sig=0638d232366ddb01c03c7354af7b55f95c9151a2216f9b6776679560004aa359');
    const event = await verifyAnzuWebhook({ payload, signature, secret: 'my-webhook-secret', now: 1662209363 });
    expect(event.kind).toBe('ping');
  });

  it('verifies a signed sandbox webhook given as text or as bytes, and refuses a tampered one', async () => {
    const anzu = createAnzuSandbox({ secret, accessToken });
    const request = await anzu.signedWebhook({ email: 'ada@example.com' });
    const payload = await request.text();
    const signature = request.headers.get('anzu-signature');

    const event = await verifyAnzuWebhook({ payload, signature, secret });
    expect(event.kind).toBe('user_management.user_identity_created');
    const fromBytes = await verifyAnzuWebhook({ payload: new TextEncoder().encode(payload), signature, secret });
    expect(fromBytes).toEqual(event);

    const tampered = await verifyAnzuWebhook({ payload: payload.replace('ada@', 'eve@'), signature, secret }).catch(
      (error: unknown) => error,
    );
    expect(WebhookSignatureError.is(tampered)).toBe(true);
    expect((tampered as WebhookSignatureError).code).toBe('invalid_signature');
  });

  it('completeProvisioning confirms the identity through the sandbox fetch', async () => {
    const anzu = createAnzuSandbox({ secret, accessToken });
    const request = await anzu.signedWebhook({ email: 'grace@example.com' });
    const event = await verifyAnzuWebhook({
      payload: await request.text(),
      signature: request.headers.get('anzu-signature'),
      secret,
    });
    if (event.kind !== 'user_management.user_identity_created') throw new Error(`unexpected kind ${event.kind}`);
    const id = event.payload.identity.id;
    expect(anzu.provisioningStatus(id)).toBe('pending');

    await new AnzuClient({ accessToken, ...scope, fetch: anzu.fetch }).completeProvisioning(id);
    expect(anzu.provisioningStatus(id)).toBe('complete');
  });

  it('the webhook handler confirms after the callback, and answers 401 to a forged signature', async () => {
    const anzu = createAnzuSandbox({ secret, accessToken });
    const seen: string[] = [];
    const handler = createAnzuWebhookHandler({
      secret,
      client: new AnzuClient({ accessToken, ...scope, fetch: anzu.fetch }),
      onUserIdentityCreated: (event) => {
        seen.push(event.payload.identity.id);
      },
    });

    const response = await handler(await anzu.signedWebhook({ email: 'linus@example.com' }));
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(anzu.provisioningStatus(seen[0] as string)).toBe('complete');

    const genuine = await anzu.signedWebhook({ email: 'mallory@example.com' });
    const forged = new Request(genuine.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anzu-signature': `ts=${Math.floor(Date.now() / 1000)}&v=1&sig=00`,
      },
      body: await genuine.text(),
    });
    expect((await handler(forged)).status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('provisionSignup with client credentials: concurrent calls share one token request', async () => {
    const wristband = createWristbandSandbox(credentials);
    const tokenRequests: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token')) tokenRequests.push(url);
      return wristband.fetch(input, init);
    };
    const client = new WristbandClient({
      applicationVanityDomain: 'edge-example.us.wristband.dev',
      auth: credentials,
      fetch: countingFetch,
    });

    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        client.provisionSignup({
          level: 'application',
          applicationId: 'app_edge',
          tenantName: `edge${name}tenant`,
          tenantDisplayName: `Edge ${name}`,
          email: `${name}@example.com`,
        }),
      ),
    );
    expect(results.map((result) => result.kind)).toEqual([
      'activation_link_sent',
      'activation_link_sent',
      'activation_link_sent',
    ]);
    expect(tokenRequests).toHaveLength(1);
    expect(
      wristband
        .users()
        .map((user) => user.email)
        .sort(),
    ).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
  });

  describe('without a `process` global', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'process');
    afterEach(() => {
      if (saved) Object.defineProperty(globalThis, 'process', saved);
    });

    it('imports every entry point and verifies a webhook with `process` removed', async () => {
      vi.resetModules();
      // Load the graph first with `process` present (the test runner itself needs it), then
      // re-evaluate our modules only, with it gone: any access at import time would throw.
      Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
      const library = { ...(await import('../../src/index.js')), ...(await import('../../src/testing/index.js')) };
      expect(typeof (globalThis as { process?: unknown }).process).toBe('undefined');
      // A fresh evaluation, not the cached module from the static import above.
      expect(library.AnzuClient).not.toBe(AnzuClient);

      const anzu = library.createAnzuSandbox({ secret, accessToken });
      const request = await anzu.signedWebhook({ email: 'nobody@example.com' });
      const event = await library.verifyAnzuWebhook({
        payload: await request.text(),
        signature: request.headers.get('anzu-signature'),
        secret,
      });
      expect(event.kind).toBe('user_management.user_identity_created');
      // fromEnv with an explicit env (the Workers `env` object) must not reach for process.env.
      const client = library.AnzuClient.fromEnv({
        ANZU_ACCESS_TOKEN: accessToken,
        ANZU_TEAM_ID: 'team_1',
        ANZU_PROJECT_ID: 'project_1',
        ANZU_ENVIRONMENT_ID: 'env_1',
      });
      expect(client).toBeInstanceOf(library.AnzuClient);
    });
  });
});
