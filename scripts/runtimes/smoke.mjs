// The runtime-matrix smoke test: one portable module, run unchanged on Node, Bun, Deno,
// workerd and edge-runtime against the *installed tarball* (it imports `provisionkit`, not
// src). Web platform APIs only: no `process`, no `node:` imports, so a runtime that lacks
// them still runs every step. Each step is recorded rather than thrown, so one failure does
// not hide the others.
import {
  AnzuClient,
  createAnzuWebhookHandler,
  signAnzuWebhook,
  verifyAnzuWebhook,
  WebhookSignatureError,
  WristbandClient,
} from 'provisionkit';
import { createAnzuSandbox, createWristbandSandbox } from 'provisionkit/testing';
import { LOCAL } from './local-fixture.mjs';

const WEBHOOK_SECRET = 'smoke-webhook-secret';
// The test vector of PROVIDERS.md, computed from Anzu's documented algorithm.
const VECTOR = {
  secret: 'my-webhook-secret',
  timestamp: 1662209363,
  payload: '{"id":"evt","kind":"ping","payload":{}}',
  sig: '0638d232366ddb01c03c7354af7b55f95c9151a2216f9b6776679560004aa359',
};

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function isLoopback(input) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  return url.hostname === '127.0.0.1';
}

/**
 * Refuses any request that would leave the machine, for runtimes whose own sandbox does not
 * (Node, Bun, edge-runtime; Deno and workerd enforce loopback-only themselves). The real
 * fetch still sends the request.
 */
function guardGlobalFetch() {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (!isLoopback(input)) return Promise.reject(new Error('smoke: only 127.0.0.1 may be contacted'));
    return realFetch.call(globalThis, input, init);
  };
}

/**
 * Runs every step and returns `{ ok, processGlobal, steps }`.
 *
 * @param {{ localUrl?: string; guardFetch?: boolean; extraSteps?: { name: string; run: () => unknown }[] }} options
 *   `localUrl` is the `http://127.0.0.1:PORT` of the local server; without it the real-fetch
 *   steps are skipped (the runner says why). `extraSteps` are runtime-specific checks.
 */
export async function smoke({ localUrl, guardFetch = false, extraSteps = [] } = {}) {
  const steps = [];
  const step = async (name, run) => {
    try {
      const detail = await run();
      steps.push({ name, ok: true, detail: detail ?? '' });
    } catch (error) {
      steps.push({ name, ok: false, detail: `${error?.name}: ${error?.message}` });
    }
  };
  if (guardFetch) guardGlobalFetch();

  await step('webhook: signature test vector', async () => {
    const header = await signAnzuWebhook({
      payload: VECTOR.payload,
      secret: VECTOR.secret,
      timestamp: VECTOR.timestamp,
    });
    check(header.includes(`sig=${VECTOR.sig}`), `unexpected signature header ${header}`);
    const event = await verifyAnzuWebhook({
      payload: VECTOR.payload,
      signature: header,
      secret: VECTOR.secret,
      now: VECTOR.timestamp,
    });
    check(event.kind === 'ping', `kind ${event.kind}`);
  });

  const anzu = createAnzuSandbox({ secret: WEBHOOK_SECRET, accessToken: LOCAL.anzuToken });
  let identityId;
  await step('webhook: verify a signed sandbox webhook', async () => {
    const request = await anzu.signedWebhook({ email: 'ada@example.com', fullName: 'Ada Lovelace' });
    const payload = await request.text();
    const signature = request.headers.get('anzu-signature');
    const event = await verifyAnzuWebhook({ payload, signature, secret: WEBHOOK_SECRET });
    check(event.kind === 'user_management.user_identity_created', `kind ${event.kind}`);
    identityId = event.payload.identity.id;
    const tampered = await verifyAnzuWebhook({ payload: `${payload} `, signature, secret: WEBHOOK_SECRET }).then(
      () => undefined,
      (error) => error,
    );
    check(WebhookSignatureError.is(tampered), 'a tampered body was accepted');
    return `identity ${identityId}`;
  });

  const anzuClient = new AnzuClient({ accessToken: LOCAL.anzuToken, ...LOCAL.scope, fetch: anzu.fetch });
  await step('anzu: completeProvisioning (sandbox fetch)', async () => {
    check(identityId !== undefined, 'no identity from the webhook step');
    await anzuClient.completeProvisioning(identityId);
    check(anzu.provisioningStatus(identityId) === 'complete', `status ${anzu.provisioningStatus(identityId)}`);
  });

  await step('anzu: webhook handler confirms provisioning (sandbox fetch)', async () => {
    const seen = [];
    const handler = createAnzuWebhookHandler({
      secret: WEBHOOK_SECRET,
      client: anzuClient,
      onUserIdentityCreated: (event) => {
        seen.push(event.payload.identity.id);
      },
    });
    const response = await handler(await anzu.signedWebhook({ email: 'grace@example.com' }));
    check(response.status === 200, `handler answered ${response.status}`);
    check(seen.length === 1 && anzu.provisioningStatus(seen[0]) === 'complete', 'identity not confirmed');
  });

  await step('wristband: provisionSignup, client credentials (sandbox fetch)', async () => {
    const wristband = createWristbandSandbox({ clientId: LOCAL.clientId, clientSecret: LOCAL.clientSecret });
    const client = new WristbandClient({
      applicationVanityDomain: 'smoke-example.us.wristband.dev',
      auth: { clientId: LOCAL.clientId, clientSecret: LOCAL.clientSecret },
      fetch: wristband.fetch,
    });
    const result = await client.provisionSignup({
      level: 'application',
      applicationId: 'app_smoke',
      tenantName: 'smoketenant',
      tenantDisplayName: 'Smoke Tenant',
      email: 'linus@example.com',
    });
    check(result.kind === 'activation_link_sent', `kind ${result.kind}`);
    check(wristband.users().length === 1, `${wristband.users().length} users`);
  });

  if (localUrl) {
    // No `fetch` option: these use the runtime's own global fetch, as a deployed app would.
    await step('anzu: completeProvisioning (real fetch, 127.0.0.1)', async () => {
      const client = new AnzuClient({ accessToken: LOCAL.anzuToken, ...LOCAL.scope, baseUrl: `${localUrl}/2022.8` });
      await client.completeProvisioning(LOCAL.identityId);
    });
    await step('wristband: provisionSignup, client credentials (real fetch, 127.0.0.1)', async () => {
      const client = new WristbandClient({
        applicationVanityDomain: localUrl,
        auth: { clientId: LOCAL.clientId, clientSecret: LOCAL.clientSecret },
      });
      const result = await client.provisionSignup({
        level: 'tenant',
        tenantId: 'tenant_1',
        email: 'local@example.com',
      });
      check(result.kind === 'email_verification', `kind ${result.kind}`);
    });
  }

  for (const extra of extraSteps) await step(extra.name, extra.run);

  return {
    ok: steps.every((entry) => entry.ok),
    processGlobal: typeof globalThis.process === 'undefined' ? 'absent' : 'present',
    steps,
  };
}
