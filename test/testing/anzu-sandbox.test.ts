import { describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { parseAnzuWebhook } from '../../src/anzu/webhook-parse.js';
import { verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import type { UserIdentityCreatedEvent } from '../../src/anzu/webhook-types.js';
import { ApiError } from '../../src/core/errors.js';
import { ANZU_SANDBOX_DEFAULT_SECRET, ANZU_SANDBOX_WEBHOOK_URL, createAnzuSandbox } from '../../src/testing/index.js';

const TEAM = { teamId: 'team_1', projectId: 'proj_1', environmentId: 'env_1' };
const BASE = 'https://api.anzuhq.com/2022.8';
const teamUrl = (id: string) =>
  `${BASE}/teams/t/projects/p/environments/e/blocks/user_management/user_identities/${encodeURIComponent(id)}`;
const COMPLETE = JSON.stringify({ provisioning_status: 'complete' });

async function newIdentity(anzu = createAnzuSandbox(), identity = {}) {
  const request = await anzu.signedWebhook(identity);
  const event = parseAnzuWebhook(await request.clone().text()) as UserIdentityCreatedEvent;
  return { anzu, request, event, id: event.payload.identity.id };
}

const patch = (anzu: ReturnType<typeof createAnzuSandbox>, url: string, init: RequestInit = {}) =>
  anzu.fetch(url, {
    method: 'PATCH',
    headers: { authorization: 'Bearer any-token', 'content-type': 'application/json' },
    body: COMPLETE,
    ...init,
  });

describe('createAnzuSandbox: signedWebhook', () => {
  it('returns a signed POST with the 2022 envelope for a new pending identity', async () => {
    const { anzu, request, event, id } = await newIdentity(undefined, {
      email: 'ada@example.com',
      fullName: 'Ada Lovelace',
      provider: 'google',
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe(ANZU_SANDBOX_WEBHOOK_URL);
    expect(request.headers.get('content-type')).toBe('application/json');
    const raw = JSON.parse(await request.clone().text());
    expect(Object.keys(raw).sort()).toEqual(['createdAt', 'id', 'kind', 'payload', 'scope', 'version', 'webhookId']);
    expect(raw).toMatchObject({
      version: '2022.8',
      kind: 'user_management.user_identity_created',
      scope: anzu.scope,
      payload: {
        provisionedWith: 'email',
        identity: { id, provider: 'google', email: 'ada@example.com', fullName: 'Ada Lovelace' },
      },
    });
    expect(raw.payload.authAttempt).toMatchObject({ id: expect.any(String), acceptedAt: raw.createdAt });
    expect(event.kind).toBe('user_management.user_identity_created');
    expect(anzu.provisioningStatus(id)).toBe('pending');
    expect(anzu.identities()).toEqual([{ id, provisioningStatus: 'pending', email: 'ada@example.com' }]);
  });

  it('signs with the sandbox secret (default: the documented test secret)', async () => {
    const { anzu, request } = await newIdentity();
    expect(anzu.secret).toBe(ANZU_SANDBOX_DEFAULT_SECRET);
    const event = await verifyAnzuWebhook({
      payload: await request.text(),
      signature: request.headers.get('anzu-signature'),
      secret: ANZU_SANDBOX_DEFAULT_SECRET,
    });
    expect(event.kind).toBe('user_management.user_identity_created');
  });

  it('uses a given secret, and the signature fails under any other', async () => {
    const anzu = createAnzuSandbox({ secret: 'whsec-custom' });
    const request = await anzu.signedWebhook();
    const payload = await request.text();
    const signature = request.headers.get('anzu-signature');
    await expect(verifyAnzuWebhook({ payload, signature, secret: 'whsec-custom' })).resolves.toBeDefined();
    await expect(verifyAnzuWebhook({ payload, signature, secret: ANZU_SANDBOX_DEFAULT_SECRET })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('makes 27-character KSUID ids, distinct per identity, event and sandbox scope', async () => {
    const anzu = createAnzuSandbox();
    const events = await Promise.all([1, 2, 3].map(async () => JSON.parse(await (await anzu.signedWebhook()).text())));
    const ids = events.flatMap((e) => [e.id, e.payload.identity.id, e.payload.authAttempt.id]);
    ids.push(anzu.scope.teamId, anzu.scope.projectId, anzu.scope.environmentId);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // One webhook per sandbox, as in Anzu: every delivery names the same webhook.
    expect(new Set(events.map((e) => e.webhookId)).size).toBe(1);
  });

  it('gives each identity a fresh email unless one is chosen, and phone sign-ups say phone_number', async () => {
    const anzu = createAnzuSandbox();
    await anzu.signedWebhook();
    await anzu.signedWebhook();
    const phone = JSON.parse(await (await anzu.signedWebhook({ phoneNumber: '+4915112345678' })).text());
    expect(phone.payload.provisionedWith).toBe('phone_number');
    expect(phone.payload.identity).not.toHaveProperty('email');
    const emails = anzu.identities().map((identity) => identity.email);
    expect(emails[0]).not.toBe(emails[1]);
    expect(emails[2]).toBeUndefined();
  });

  it('builds the request for a given URL', async () => {
    const anzu = createAnzuSandbox();
    const request = await anzu.signedWebhook({}, { url: 'http://127.0.0.1:4321/hooks' });
    expect(request.url).toBe('http://127.0.0.1:4321/hooks');
  });
});

describe('createAnzuSandbox: fetch (the provisioning endpoint)', () => {
  it('flips the identity to complete when AnzuClient confirms it (team scope)', async () => {
    const { anzu, id } = await newIdentity();
    const client = new AnzuClient({ ...TEAM, accessToken: 'tok', fetch: anzu.fetch, retries: 0 });
    await client.completeProvisioning(id);
    expect(anzu.provisioningStatus(id)).toBe('complete');
    // Idempotent, as Anzu's is.
    await client.completeProvisioning(id);
    expect(anzu.identities()[0]?.provisioningStatus).toBe('complete');
  });

  it('accepts the workspace path too', async () => {
    const { anzu, id } = await newIdentity();
    const client = new AnzuClient({ workspaceId: 'w', environmentId: 'e', accessToken: 'tok', fetch: anzu.fetch });
    await client.completeProvisioning(id);
    expect(anzu.provisioningStatus(id)).toBe('complete');
  });

  it('answers 404 NOT_FOUND in Anzu’s error shape for an unknown identity', async () => {
    const anzu = createAnzuSandbox();
    const response = await patch(anzu, teamUrl('2EG6211MgQNCxmpK8u1qkgcuBjw'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });

    const client = new AnzuClient({ ...TEAM, accessToken: 'tok', fetch: anzu.fetch });
    const error = await client.completeProvisioning('missing').catch((e: unknown) => e);
    expect(ApiError.is(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'anzu', status: 404, code: 'NOT_FOUND' });
  });

  it('refuses a missing bearer token with 401, and any token when none was configured', async () => {
    const { anzu, id } = await newIdentity();
    const response = await patch(anzu, teamUrl(id), { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(anzu.provisioningStatus(id)).toBe('pending');
  });

  it('accepts only the configured access token, and never echoes a token', async () => {
    const { anzu, id } = await newIdentity(createAnzuSandbox({ accessToken: 'the-right-token' }));
    const wrong = new AnzuClient({ ...TEAM, accessToken: 'wrong-token-5b1e', fetch: anzu.fetch });
    const error = await wrong.completeProvisioning(id).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(JSON.stringify((error as ApiError).body)).not.toContain('wrong-token-5b1e');
    expect(anzu.provisioningStatus(id)).toBe('pending');

    const right = new AnzuClient({ ...TEAM, accessToken: 'the-right-token', fetch: anzu.fetch });
    await right.completeProvisioning(id);
    expect(anzu.provisioningStatus(id)).toBe('complete');
  });

  it.each([
    ['another status', JSON.stringify({ provisioning_status: 'pending' })],
    ['an extra field', JSON.stringify({ provisioning_status: 'complete', extra: 1 })],
    ['no body', ''],
    ['not JSON', 'provisioning_status=complete'],
    ['the body in an array', `[${COMPLETE}]`],
    ['the body as a JSON string', JSON.stringify(COMPLETE)],
  ])('answers 400 INVALID for %s and leaves the identity pending', async (_name, body) => {
    const { anzu, id } = await newIdentity();
    const response = await patch(anzu, teamUrl(id), { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID' } });
    expect(anzu.provisioningStatus(id)).toBe('pending');
  });

  it('answers 405 for other methods on the identity path, 404 for other paths', async () => {
    const { anzu, id } = await newIdentity();
    const put = await patch(anzu, teamUrl(id), { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('PATCH');
    expect(await put.json()).toMatchObject({ error: { code: expect.any(String) } });
    const other = await patch(anzu, `${BASE}/teams/t/projects/p/user_identities/${id}`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(anzu.provisioningStatus(id)).toBe('pending');
  });

  it('accepts fetch(request) with a Request object, on any host', async () => {
    const { anzu, id } = await newIdentity();
    const url = `http://127.0.0.1:9/v9/workspaces/w/environments/e/user_management/user_identities/${id}`;
    const response = await anzu.fetch(
      new Request(url, { method: 'PATCH', headers: { authorization: 'Bearer x' }, body: COMPLETE }),
    );
    expect(response.status).toBe(204);
    expect(anzu.provisioningStatus(id)).toBe('complete');
  });

  it('rejects with the reason of an aborted signal, like fetch', async () => {
    const { anzu, id } = await newIdentity();
    const reason = new Error('gave up');
    await expect(patch(anzu, teamUrl(id), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(anzu.provisioningStatus(id)).toBe('pending');
  });

  it('keeps state per sandbox', async () => {
    const { id } = await newIdentity();
    const other = createAnzuSandbox();
    expect(other.provisioningStatus(id)).toBeUndefined();
    expect((await patch(other, teamUrl(id))).status).toBe(404);
  });
});

describe('createAnzuSandbox with createAnzuWebhookHandler', () => {
  it('runs a whole signup: handler answers 200, the app has the user, provisioning is complete', async () => {
    const anzu = createAnzuSandbox();
    const users = new Map<string, string | undefined>();
    const handler = createAnzuWebhookHandler({
      secret: anzu.secret,
      client: new AnzuClient({ ...TEAM, accessToken: 'tok', fetch: anzu.fetch }),
      onUserIdentityCreated: (event) => {
        users.set(event.payload.identity.id, event.payload.identity.email);
      },
    });
    const response = await handler(await anzu.signedWebhook({ email: 'grace@example.com' }));
    expect(response.status).toBe(200);
    const [identity] = anzu.identities();
    expect(identity).toEqual({ id: expect.any(String), provisioningStatus: 'complete', email: 'grace@example.com' });
    expect(users.get(identity?.id ?? '')).toBe('grace@example.com');
  });

  it('does not confirm when the callback fails, nor for a request signed with another secret', async () => {
    const anzu = createAnzuSandbox();
    const client = new AnzuClient({ ...TEAM, accessToken: 'tok', fetch: anzu.fetch });
    const failing = createAnzuWebhookHandler({
      secret: anzu.secret,
      client,
      onUserIdentityCreated: () => {
        throw new Error('db down');
      },
    });
    expect((await failing(await anzu.signedWebhook())).status).toBe(500);
    const otherSecret = createAnzuWebhookHandler({
      secret: 'not-the-sandbox',
      client,
      onUserIdentityCreated: () => {},
    });
    expect((await otherSecret(await anzu.signedWebhook())).status).toBe(401);
    expect(anzu.identities().map((i) => i.provisioningStatus)).toEqual(['pending', 'pending']);
  });
});
