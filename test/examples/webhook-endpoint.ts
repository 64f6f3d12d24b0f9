// The checks every framework example must pass, over real HTTP on 127.0.0.1: a webhook signed by
// the Anzu sandbox creates the user and confirms provisioning; anything not signed with the
// webhook's secret is refused with 401 and changes nothing.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AnzuClient } from 'provisionkit/anzu';
import { createAnzuSandbox } from 'provisionkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export type AnzuSandbox = ReturnType<typeof createAnzuSandbox>;

/** A running example: where it listens, how to read the user it stored, how to stop it. */
export interface RunningExample {
  /** Absolute URL of the webhook route. */
  webhookUrl: string;
  /** The email the app stored for an Anzu identity id, if any. */
  userEmail(identityId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Sends a sandbox webhook to `url` over HTTP, optionally changing its body or signature. */
export async function deliver(
  request: Request,
  url: string,
  change: { body?: (body: string) => string; signature?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(request.headers);
  if (change.signature === null) headers.delete('anzu-signature');
  else if (change.signature !== undefined) headers.set('anzu-signature', change.signature);
  const body = await request.text();
  return fetch(url, { method: 'POST', headers, body: change.body ? change.body(body) : body });
}

/** Serves a fetch function (such as a sandbox's) on 127.0.0.1 at a free port. */
export async function serveFetch(
  fetchFn: (request: Request) => Promise<Response> | Response,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchFn, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

/**
 * An AnzuClient for an example, on the sandbox's API, whose own ids name another environment than
 * the sandbox's webhooks carry. Its fetch reaches the sandbox only under the events' own scope
 * (any other path is answered 404 NOT_FOUND), so an identity that ends up confirmed shows that the
 * handler confirmed it in the event's scope, as Anzu's own example app does.
 */
export function eventScopedClient(anzu: AnzuSandbox, accessToken = 'example-anzu-token'): AnzuClient {
  const { teamId, projectId, environmentId } = anzu.scope;
  const eventScope = `/teams/${teamId}/projects/${projectId}/environments/${environmentId}/`;
  const onlyEventScope: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname.includes(eventScope)) return anzu.fetch(input, init);
    return Response.json({ error: { code: 'NOT_FOUND', message: 'not in the event scope' } }, { status: 404 });
  };
  return new AnzuClient({
    teamId,
    projectId,
    environmentId: 'another-environment',
    accessToken,
    fetch: onlyEventScope,
  });
}

const identityIdOf = async (request: Request): Promise<string> =>
  JSON.parse(await request.clone().text()).payload.identity.id;

/** Registers the shared suite for one example, started once per file with its own sandbox. */
export function describeWebhookEndpoint(name: string, start: (anzu: AnzuSandbox) => Promise<RunningExample>): void {
  describe(`${name}: Anzu webhook over HTTP`, () => {
    const anzu = createAnzuSandbox({ accessToken: 'example-anzu-token' });
    let example: RunningExample;
    beforeAll(async () => {
      example = await start(anzu);
    });
    afterAll(() => example?.close());

    it('creates the user and confirms provisioning for a signed webhook (200)', async () => {
      const request = await anzu.signedWebhook({ email: 'ada@example.com', fullName: 'Ada Lovelace' });
      const id = await identityIdOf(request);
      const response = await deliver(request, example.webhookUrl);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(anzu.provisioningStatus(id)).toBe('complete');
      expect(await example.userEmail(id)).toBe('ada@example.com');
    });

    it('answers a redelivery with 200 again, still one user', async () => {
      const request = await anzu.signedWebhook({ email: 'bo@example.com' });
      const id = await identityIdOf(request);
      const again = request.clone();
      expect((await deliver(request, example.webhookUrl)).status).toBe(200);
      expect((await deliver(again, example.webhookUrl)).status).toBe(200);
      expect(await example.userEmail(id)).toBe('bo@example.com');
      expect(anzu.provisioningStatus(id)).toBe('complete');
    });

    it('refuses a webhook signed with another secret (401), creating nothing', async () => {
      const forger = createAnzuSandbox({ secret: 'not-the-webhook-secret' });
      const request = await forger.signedWebhook({ email: 'mallory@example.com' });
      const id = await identityIdOf(request);
      const response = await deliver(request, example.webhookUrl);
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'invalid_signature' });
      expect(text).not.toContain(anzu.secret);
      expect(await example.userEmail(id)).toBeUndefined();
    });

    it('refuses a changed body (401) and a missing signature (401); the identity stays pending', async () => {
      const request = await anzu.signedWebhook({ email: 'eve@example.com' });
      const id = await identityIdOf(request);
      const changed = await deliver(request.clone(), example.webhookUrl, {
        body: (body) => body.replace('eve@example.com', 'eve@evil.example'),
      });
      expect(changed.status).toBe(401);
      const unsigned = await deliver(request, example.webhookUrl, { signature: null });
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toEqual({ error: 'missing_signature' });
      expect(anzu.provisioningStatus(id)).toBe('pending');
      expect(await example.userEmail(id)).toBeUndefined();
    });
  });
}
