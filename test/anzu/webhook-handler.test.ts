import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { type AnzuWebhookHandlerOptions, createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { signAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import type { AnzuWebhookEvent, UserIdentityCreatedEvent } from '../../src/anzu/webhook-types.js';
import {
  ApiError,
  type ProvisionKitError,
  TimeoutError,
  ValidationError,
  WebhookPayloadError,
  WebhookSignatureError,
} from '../../src/core/errors.js';
import { createAnzuSandbox } from '../../src/testing/anzu-sandbox.js';

const SECRET = 'whsec_handler-secret-5c4b3a';
const URL_ = 'https://app.example.com/webhooks/anzu';
const seedText = readFileSync(new URL('./fixtures/seed-2022.json', import.meta.url), 'utf8');
const IDENTITY_ID = '2EG6211MgQNCxmpK8u1qkgcuBjw';

const now = () => Math.floor(Date.now() / 1000);

async function signedRequest(
  body: string,
  { timestamp = now(), secret = SECRET, headers = {} as Record<string, string> } = {},
): Promise<Request> {
  const signature = await signAnzuWebhook({ payload: body, secret, timestamp });
  return new Request(URL_, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'anzu-signature': signature, ...headers },
  });
}

const event = (kind: string, payload: unknown = {}) => JSON.stringify({ id: `evt_${kind}`, kind, payload });

function fakeClient(impl: (id: string) => Promise<void> = async () => {}) {
  const completeProvisioning = vi.fn(impl);
  return { client: { completeProvisioning } as unknown as AnzuClient, completeProvisioning };
}

function setup(overrides: Partial<Parameters<typeof createAnzuWebhookHandler>[0]> = {}) {
  const calls: string[] = [];
  const onUserIdentityCreated = vi.fn(async (e: UserIdentityCreatedEvent) => {
    calls.push(`created:${e.payload.identity.id}`);
  });
  const onEvent = vi.fn(async (e: AnzuWebhookEvent) => {
    calls.push(`event:${e.kind}`);
  });
  const { client, completeProvisioning } = fakeClient(async (id) => {
    calls.push(`confirm:${id}`);
  });
  const onError = vi.fn();
  const handler = createAnzuWebhookHandler({
    secret: SECRET,
    client,
    onUserIdentityCreated,
    onEvent,
    onError,
    ...overrides,
  });
  return { handler, calls, onUserIdentityCreated, onEvent, completeProvisioning, onError };
}

async function answer(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as unknown,
    text,
    type: response.headers.get('content-type'),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createAnzuWebhookHandler: user_identity_created', () => {
  it('runs the callback, then confirms provisioning, then answers 200', async () => {
    const { handler, calls, onUserIdentityCreated, onError } = setup();
    const response = await answer(await handler(await signedRequest(seedText)));
    expect(response).toMatchObject({ status: 200, body: { ok: true }, type: 'application/json' });
    expect(calls).toEqual([`created:${IDENTITY_ID}`, `confirm:${IDENTITY_ID}`]);
    const received = onUserIdentityCreated.mock.calls[0]?.[0];
    expect(received?.payload.identity.fullName).toBe('Bruno Scheufler');
    expect(onError).not.toHaveBeenCalled();
  });

  it('does not confirm anything without a client ("redirect immediately" mode)', async () => {
    const { handler, calls } = setup({ client: undefined });
    expect((await handler(await signedRequest(seedText))).status).toBe(200);
    expect(calls).toEqual([`created:${IDENTITY_ID}`]);
  });

  it('routes the legacy kind to onUserIdentityCreated', async () => {
    const { handler, calls } = setup();
    const body = seedText.replace(
      '"user_management.user_identity_created"',
      '"blocks.user_management.user_identity_created"',
    );
    expect((await handler(await signedRequest(body))).status).toBe(200);
    expect(calls).toEqual([`created:${IDENTITY_ID}`, `confirm:${IDENTITY_ID}`]);
  });

  it('answers 500 and does not confirm when the callback throws; the body does not echo the error', async () => {
    const failure = new Error(`database down (password=hunter2, secret=${SECRET})`);
    const { handler, completeProvisioning, onError } = setup({
      onUserIdentityCreated: async () => {
        throw failure;
      },
    });
    const response = await answer(await handler(await signedRequest(seedText)));
    expect(response).toMatchObject({ status: 500, body: { error: 'callback_failed' } });
    expect(completeProvisioning).not.toHaveBeenCalled();
    expect(response.text).not.toContain('database down');
    expect(response.text).not.toContain('hunter2');
    expect(response.text).not.toContain(SECRET);
    expect(response.text).not.toMatch(/\bat\s/);
    expect(onError).toHaveBeenCalledWith(failure, 'callback');
  });

  it('answers 500 when a synchronous callback throws', async () => {
    const { handler, completeProvisioning } = setup({
      onUserIdentityCreated: () => {
        throw new TypeError('boom');
      },
    });
    expect((await handler(await signedRequest(seedText))).status).toBe(500);
    expect(completeProvisioning).not.toHaveBeenCalled();
  });

  it('answers 500 when confirming fails after the callback succeeded', async () => {
    const confirmError = new ApiError({ provider: 'anzu', status: 503, message: 'unavailable', body: '' });
    const { client, completeProvisioning } = fakeClient(async () => {
      throw confirmError;
    });
    const { handler, onUserIdentityCreated, onError } = setup({ client });
    const response = await answer(await handler(await signedRequest(seedText)));
    expect(response).toMatchObject({ status: 500, body: { error: 'confirm_failed' } });
    expect(onUserIdentityCreated).toHaveBeenCalledTimes(1);
    // 0.2: the handler also passes the event's own scope and a bounding signal.
    expect(completeProvisioning).toHaveBeenCalledWith(IDENTITY_ID, {
      scope: JSON.parse(seedText).scope,
      signal: expect.any(AbortSignal),
    });
    expect(onError).toHaveBeenCalledWith(confirmError, 'confirm');
  });
});

describe('createAnzuWebhookHandler: other kinds', () => {
  it('answers a ping with 200 without calling any callback or confirming', async () => {
    const { handler, calls } = setup();
    const response = await answer(await handler(await signedRequest(event('ping'))));
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['user_management.user_identity_suspended', 'user_management.user_identity_suspended'],
    ['user_management.user_identity_unsuspended', 'user_management.user_identity_unsuspended'],
    ['user_management.user_identity_deleted', 'user_management.user_identity_deleted'],
    ['webhook.created', 'unknown'],
    ['crm.contact_created', 'unknown'],
  ])('passes %s to onEvent (as kind %s) and answers 200', async (kind, seen) => {
    const { handler, calls, onEvent, completeProvisioning } = setup();
    expect((await handler(await signedRequest(event(kind, { identity: { id: 'ui_9' } })))).status).toBe(200);
    expect(calls).toEqual([`event:${seen}`]);
    expect(onEvent.mock.calls[0]?.[0]).toMatchObject({ id: `evt_${kind}`, payload: { identity: { id: 'ui_9' } } });
    expect(completeProvisioning).not.toHaveBeenCalled();
  });

  it('acknowledges other kinds with 200 when there is no onEvent', async () => {
    const { handler, calls } = setup({ onEvent: undefined });
    expect((await handler(await signedRequest(event('user_management.user_identity_deleted')))).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('answers 500 when onEvent throws, without echoing its error', async () => {
    const { handler, onError } = setup({
      onEvent: () => {
        throw new Error('queue full: sensitive detail');
      },
    });
    const response = await answer(await handler(await signedRequest(event('user_management.user_identity_suspended'))));
    expect(response).toMatchObject({ status: 500, body: { error: 'callback_failed' } });
    expect(response.text).not.toContain('sensitive');
    expect(onError).toHaveBeenCalledWith(expect.any(Error), 'callback');
  });
});

describe('createAnzuWebhookHandler: refused requests', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow: POST', async (method) => {
    const { handler, calls, onError } = setup();
    const response = await handler(new Request(URL_, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ error: 'method_not_allowed' });
    expect(calls).toEqual([]);
    expect(onError.mock.calls[0]?.[1]).toBe('request');
    const [error] = onError.mock.calls[0] ?? [];
    expect((error as ProvisionKitError).code).toBe('method_not_allowed');
  });

  it('answers 401 when the signature header is missing', async () => {
    const { handler, calls, onError } = setup();
    const request = new Request(URL_, {
      method: 'POST',
      body: seedText,
      headers: { 'content-type': 'application/json' },
    });
    const response = await answer(await handler(request));
    expect(response).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    expect(calls).toEqual([]);
    expect(WebhookSignatureError.is(onError.mock.calls[0]?.[0])).toBe(true);
  });

  it('answers 401 for a wrong secret, a tampered body and a garbled header', async () => {
    const { handler, calls } = setup();
    const wrongSecret = await signedRequest(seedText, { secret: 'someone-else' });
    expect(await answer(await handler(wrongSecret))).toMatchObject({
      status: 401,
      body: { error: 'invalid_signature' },
    });

    const signature = await signAnzuWebhook({ payload: seedText, secret: SECRET, timestamp: now() });
    const tampered = new Request(URL_, {
      method: 'POST',
      body: seedText.replace('Bruno', 'Mallory'),
      headers: { 'anzu-signature': signature, 'content-type': 'application/json' },
    });
    expect((await handler(tampered)).status).toBe(401);

    const garbled = new Request(URL_, {
      method: 'POST',
      body: seedText,
      headers: { 'anzu-signature': 'nonsense', 'content-type': 'application/json' },
    });
    expect(await answer(await handler(garbled))).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    expect(calls).toEqual([]);
  });

  it('answers 401 for a stale or future timestamp (default tolerance 300 s)', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-05-01T12:00:00Z'));
    const { handler, calls } = setup();
    const stale = await signedRequest(seedText, { timestamp: now() - 301 });
    const future = await signedRequest(seedText, { timestamp: now() + 301 });
    const edge = await signedRequest(event('ping'), { timestamp: now() - 300 });
    expect(await answer(await handler(stale))).toMatchObject({
      status: 401,
      body: { error: 'timestamp_out_of_tolerance' },
    });
    expect((await handler(future)).status).toBe(401);
    expect((await handler(edge)).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('honours toleranceSeconds', async () => {
    const { handler } = setup({ toleranceSeconds: 5 });
    expect((await handler(await signedRequest(event('ping'), { timestamp: now() - 60 }))).status).toBe(401);
  });

  it('answers 400 for a correctly signed body that is not JSON or not a valid event', async () => {
    const { handler, calls, onError } = setup();
    const notJson = await answer(await handler(await signedRequest('{"id":')));
    expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
    const bad = JSON.parse(seedText);
    bad.payload.identity.id = 42;
    expect((await handler(await signedRequest(JSON.stringify(bad)))).status).toBe(400);
    expect(calls).toEqual([]);
    expect(WebhookPayloadError.is(onError.mock.calls[1]?.[0])).toBe(true);
    expect(onError.mock.calls[1]?.[1]).toBe('payload');
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/xml'])(
    'answers 415 for Content-Type %s',
    async (contentType) => {
      const { handler, calls } = setup();
      const response = await handler(await signedRequest(seedText, { headers: { 'content-type': contentType } }));
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({ error: 'unsupported_media_type' });
      expect(calls).toEqual([]);
    },
  );

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/json;charset=UTF-8',
    'application/vnd.anzu+json',
    'text/plain;charset=UTF-8',
  ])('accepts Content-Type %s', async (contentType) => {
    const { handler } = setup();
    expect(
      (await handler(await signedRequest(event('ping'), { headers: { 'content-type': contentType } }))).status,
    ).toBe(200);
  });

  it('accepts the text/plain that a Request built from a bare string gets by default', async () => {
    // The contract's answers depend on the signature and the body only: a correctly signed
    // event built the simplest way must get 200, an unsigned one 401 (not 415).
    const { handler, calls } = setup();
    const signature = await signAnzuWebhook({ payload: seedText, secret: SECRET });
    const request = new Request(URL_, { method: 'POST', body: seedText, headers: { 'anzu-signature': signature } });
    expect(request.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await handler(request)).status).toBe(200);
    expect(calls.map((c) => c.split(':')[0])).toEqual(['created', 'confirm']);
    const unsigned = new Request(URL_, { method: 'POST', body: seedText });
    expect((await handler(unsigned)).status).toBe(401);
  });

  it('accepts a request without Content-Type', async () => {
    const { handler } = setup();
    const body = event('ping');
    const signature = await signAnzuWebhook({ payload: body, secret: SECRET });
    const request = new Request(URL_, {
      method: 'POST',
      body: new TextEncoder().encode(body),
      headers: { 'anzu-signature': signature },
    });
    expect(request.headers.get('content-type')).toBeNull();
    expect((await handler(request)).status).toBe(200);
  });
});

describe('createAnzuWebhookHandler: body size and already-read bodies', () => {
  it('answers 413 from Content-Length alone, without reading the body', async () => {
    const { handler, calls } = setup({ maxBodyBytes: 1000 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(500));
      },
    });
    const signature = await signAnzuWebhook({ payload: 'x', secret: SECRET });
    const request = new Request(URL_, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-length': '5000', 'anzu-signature': signature },
    } as RequestInit);
    const response = await answer(await handler(request));
    expect(response).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's initial pull, never the body
    expect(calls).toEqual([]);
  });

  it('answers 413 for a streamed body without Content-Length once it passes the limit, and stops reading', async () => {
    const { handler } = setup({ maxBodyBytes: 2048 });
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 100) controller.close();
        else controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const signature = await signAnzuWebhook({ payload: 'x', secret: SECRET });
    const request = new Request(URL_, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'anzu-signature': signature },
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    expect((await handler(request)).status).toBe(413);
    expect(pulled).toBeLessThan(10);
    expect(cancelled).toBe(true);
  });

  it('accepts a body exactly at the limit', async () => {
    const body = event('ping');
    const { handler } = setup({ maxBodyBytes: new TextEncoder().encode(body).length });
    expect((await handler(await signedRequest(body))).status).toBe(200);
  });

  it('uses a 1 MiB limit by default', async () => {
    const { handler } = setup();
    const padded = JSON.stringify({ id: 'e', kind: 'ping', payload: { pad: 'x'.repeat(1024 * 1024) } });
    expect((await handler(await signedRequest(padded))).status).toBe(413);
    const fits = JSON.stringify({ id: 'e', kind: 'ping', payload: { pad: 'x'.repeat(1024 * 1000) } });
    expect((await handler(await signedRequest(fits))).status).toBe(200);
  });

  it('answers 400 body_unreadable when the body stream breaks, without calling back', async () => {
    const { handler, calls, onError } = setup();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
      },
      pull(controller) {
        controller.error(new TypeError('terminated'));
      },
    });
    const signature = await signAnzuWebhook({ payload: 'x', secret: SECRET });
    const request = new Request(URL_, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'anzu-signature': signature },
    } as RequestInit);
    const response = await answer(await handler(request));
    expect(response).toMatchObject({ status: 400, body: { error: 'body_unreadable' } });
    expect(calls).toEqual([]);
    expect(onError).toHaveBeenCalledWith(expect.any(TypeError), 'request');
  });

  it('answers 500 body_already_read when a framework consumed the body, and says why in onError', async () => {
    const { handler, calls, onError } = setup();
    const request = await signedRequest(seedText);
    await request.text(); // what a body-parsing middleware does
    const response = await answer(await handler(request));
    expect(response).toMatchObject({ status: 500, body: { error: 'body_already_read' } });
    expect(calls).toEqual([]);
    const [error] = onError.mock.calls[0] ?? [];
    expect((error as ProvisionKitError).code).toBe('body_already_read');
    expect((error as ProvisionKitError).message).toContain('express.raw');
  });
});

describe('createAnzuWebhookHandler: response bodies and hooks', () => {
  it('never puts the secret, a stack trace or an error message in any response', async () => {
    const { handler } = setup({
      onUserIdentityCreated: async () => {
        throw new Error(`leaky ${SECRET}`);
      },
    });
    const requests = [
      new Request(URL_, { method: 'GET' }),
      new Request(URL_, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
      new Request(URL_, { method: 'POST', body: '{}' }),
      await signedRequest(seedText, { secret: 'other' }),
      await signedRequest(seedText, { timestamp: now() - 10_000 }),
      await signedRequest('not json'),
      await signedRequest(seedText),
      await signedRequest(event('ping')),
    ];
    for (const request of requests) {
      const response = await answer(await handler(request));
      expect(response.type).toBe('application/json');
      expect(response.text).not.toContain(SECRET);
      expect(response.text).not.toContain('handler-secret');
      expect(response.text).not.toContain('leaky');
      expect(response.text).not.toMatch(/\bat\s|Error/);
      expect(response.text.length).toBeLessThan(64);
    }
  });

  it('ignores an onError hook that throws or rejects', async () => {
    const { handler } = setup({
      onError: () => {
        throw new Error('logger broken');
      },
    });
    expect((await handler(new Request(URL_, { method: 'GET' }))).status).toBe(405);
    const rejecting = setup({ onError: () => Promise.reject(new Error('async logger broken')) as never });
    expect((await rejecting.handler(new Request(URL_, { method: 'GET' }))).status).toBe(405);
  });

  it('serves many deliveries with one handler', async () => {
    const { handler, calls } = setup();
    const responses = await Promise.all([1, 2, 3].map(async () => handler(await signedRequest(seedText))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(calls.filter((c) => c.startsWith('confirm:'))).toHaveLength(3);
  });
});

describe('createAnzuWebhookHandler: options', () => {
  it('refuses bad options at creation, naming each', () => {
    let error: unknown;
    try {
      createAnzuWebhookHandler({
        secret: '',
        onUserIdentityCreated: 'nope' as never,
        onEvent: 5 as never,
        client: {} as never,
        toleranceSeconds: -1,
        maxBodyBytes: 0,
      });
    } catch (e) {
      error = e;
    }
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      'secret',
      'onUserIdentityCreated',
      'onEvent',
      'client',
      'toleranceSeconds',
      'maxBodyBytes',
    ]);
  });

  it('does not show the secret in its option errors', () => {
    try {
      createAnzuWebhookHandler({ secret: SECRET, onUserIdentityCreated: undefined as never });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(String(error)).not.toContain(SECRET);
    }
  });
});

describe('createAnzuWebhookHandler: confirming in the event scope', () => {
  /** A sandbox-backed client for environment A, and the PATCH paths it sends. */
  function sandboxClient() {
    const anzu = createAnzuSandbox();
    const paths: string[] = [];
    const client = new AnzuClient({
      accessToken: 'test-token',
      ...anzu.scope,
      fetch: async (input, init) => {
        paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return anzu.fetch(input, init);
      },
    });
    return { anzu, client, paths };
  }

  /** The sandbox's webhook for a new identity, moved to `scope` and signed again. */
  async function webhookIn(anzu: ReturnType<typeof createAnzuSandbox>, scope: unknown) {
    const body = JSON.parse(await (await anzu.signedWebhook()).text());
    return { id: body.payload.identity.id as string, request: await signedRequest(JSON.stringify({ ...body, scope })) };
  }

  it('one endpoint, two environments: a webhook from environment B is confirmed in B', async () => {
    const { anzu, client, paths } = sandboxClient();
    const handler = createAnzuWebhookHandler({ secret: SECRET, client, onUserIdentityCreated: () => {} });
    const envB = { teamId: 'team_b', projectId: 'proj_b', environmentId: 'env_b' };
    const fromB = await webhookIn(anzu, envB);
    expect((await handler(fromB.request)).status).toBe(200);
    const fromA = await webhookIn(anzu, anzu.scope);
    expect((await handler(fromA.request)).status).toBe(200);
    const identities = '/blocks/user_management/user_identities';
    expect(paths).toEqual([
      `/2022.8/teams/team_b/projects/proj_b/environments/env_b${identities}/${fromB.id}`,
      `/2022.8/teams/${anzu.scope.teamId}/projects/${anzu.scope.projectId}/environments/${anzu.scope.environmentId}${identities}/${fromA.id}`,
    ]);
    expect([anzu.provisioningStatus(fromB.id), anzu.provisioningStatus(fromA.id)]).toEqual(['complete', 'complete']);
  });

  it('confirms a workspace-scoped event under the workspace path, ignoring extra scope fields', async () => {
    const { anzu, client, paths } = sandboxClient();
    const handler = createAnzuWebhookHandler({ secret: SECRET, client, onUserIdentityCreated: () => {} });
    const { id, request } = await webhookIn(anzu, { workspaceId: 'ws_9', environmentId: 'env_9', region: 'eu' });
    expect((await handler(request)).status).toBe(200);
    expect(paths).toEqual([`/2022.8/workspaces/ws_9/environments/env_9/user_management/user_identities/${id}`]);
  });

  it("uses the client's own ids when the event carries no scope", async () => {
    const { anzu, client, paths } = sandboxClient();
    const handler = createAnzuWebhookHandler({ secret: SECRET, client, onUserIdentityCreated: () => {} });
    const { id, request } = await webhookIn(anzu, undefined);
    expect((await handler(request)).status).toBe(200);
    expect(paths).toEqual([
      `/2022.8/teams/${anzu.scope.teamId}/projects/${anzu.scope.projectId}/environments/${anzu.scope.environmentId}/blocks/user_management/user_identities/${id}`,
    ]);
  });

  it('answers 500 confirm_failed, sending nothing, when the event scope holds a dot segment', async () => {
    const { anzu, client, paths } = sandboxClient();
    const onError = vi.fn();
    const handler = createAnzuWebhookHandler({ secret: SECRET, client, onUserIdentityCreated: () => {}, onError });
    const { request } = await webhookIn(anzu, { workspaceId: '..', environmentId: 'e' });
    expect(await answer(await handler(request))).toMatchObject({ status: 500, body: { error: 'confirm_failed' } });
    expect(paths).toEqual([]);
    expect(ValidationError.is(onError.mock.calls[0]?.[0])).toBe(true);
  });
});

describe('createAnzuWebhookHandler: bounded confirmation', () => {
  it('gives up on a hanging confirmation after confirmTimeoutMs: 500 confirm_failed, TimeoutError to onError', async () => {
    const { client } = fakeClient(() => new Promise<void>(() => {})); // ignores its signal, never settles
    const { handler, onError } = setup({ client, confirmTimeoutMs: 50 });
    const response = await answer(await handler(await signedRequest(seedText)));
    expect(response).toMatchObject({ status: 500, body: { error: 'confirm_failed' } });
    const [error, stage] = onError.mock.calls[0] ?? [];
    expect(stage).toBe('confirm');
    expect(TimeoutError.is(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(50);
  });

  it("aborts the real client's request and its retries when the bound expires", async () => {
    const signals: AbortSignal[] = [];
    const client = new AnzuClient({
      accessToken: 'test-token',
      workspaceId: 'w',
      environmentId: 'e',
      timeoutMs: 10_000,
      fetch: (input, init) => {
        const signal = (init?.signal ?? (input as Request).signal) as AbortSignal;
        signals.push(signal);
        // Hangs like an API that accepted the connection and never answers, until aborted.
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    const { handler } = setup({ client, confirmTimeoutMs: 100 });
    const started = Date.now();
    expect((await handler(await signedRequest(seedText))).status).toBe(500);
    expect(Date.now() - started).toBeLessThan(5_000); // not the ~31 s the client's defaults allow
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });
});

describe('createAnzuWebhookHandler: body deadline and aborted requests', () => {
  /** A signed request whose body sends one chunk and then never ends; `cancelled` tells if it was cancelled. */
  async function endlessRequest(signal?: AbortSignal) {
    const state = { cancelled: false };
    const signature = await signAnzuWebhook({ payload: seedText, secret: SECRET });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(seedText.slice(0, 20)));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const request = new Request(URL_, {
      method: 'POST',
      body,
      duplex: 'half',
      signal,
      headers: { 'content-type': 'application/json', 'anzu-signature': signature },
    } as RequestInit);
    return { request, state };
  }

  it('answers 408 body_timeout when the body is not complete in bodyTimeoutMs, and cancels the stream', async () => {
    const { handler, calls, onError } = setup({ bodyTimeoutMs: 50 });
    const { request, state } = await endlessRequest();
    expect(await answer(await handler(request))).toMatchObject({ status: 408, body: { error: 'body_timeout' } });
    expect(state.cancelled).toBe(true);
    expect(calls).toEqual([]);
    expect(onError.mock.calls.map(([e, stage]) => [(e as ProvisionKitError).code, stage])).toEqual([
      ['body_timeout', 'request'],
    ]);
  });

  it('stops reading when request.signal aborts: 400 request_aborted, stream cancelled, nothing called', async () => {
    const { handler, calls } = setup({ bodyTimeoutMs: 60_000 });
    const controller = new AbortController();
    const { request, state } = await endlessRequest(controller.signal);
    setTimeout(() => controller.abort(), 30);
    expect(await answer(await handler(request))).toMatchObject({ status: 400, body: { error: 'request_aborted' } });
    expect(state.cancelled).toBe(true);
    expect(calls).toEqual([]);
  });

  it('does not read a body whose request was aborted before the handler ran', async () => {
    const { handler, calls } = setup();
    const { request } = await endlessRequest(AbortSignal.abort());
    expect((await handler(request)).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('reads a complete body within the deadline as before', async () => {
    const { handler, calls } = setup({ bodyTimeoutMs: 1 });
    expect((await handler(await signedRequest(seedText))).status).toBe(200);
    expect(calls).toHaveLength(2);
  });
});

describe('createAnzuWebhookHandler: options of 0.2', () => {
  it('refuses bad timeouts and idempotency options, naming each', () => {
    const cases: [Partial<AnzuWebhookHandlerOptions>, string[]][] = [
      [{ bodyTimeoutMs: 0, confirmTimeoutMs: Number.POSITIVE_INFINITY }, ['bodyTimeoutMs', 'confirmTimeoutMs']],
      [{ bodyTimeoutMs: 1.5, confirmTimeoutMs: '5' as never }, ['bodyTimeoutMs', 'confirmTimeoutMs']],
      [{ idempotency: 5 as never }, ['idempotency', 'idempotency.store']],
      [{ idempotency: { store: { get() {}, set() {} } as never } }, ['idempotency.store']],
      [
        { idempotency: { store: {} as never, ttlSeconds: 0, lockSeconds: 0.5 } },
        ['idempotency.store', 'idempotency.ttlSeconds', 'idempotency.lockSeconds'],
      ],
    ];
    for (const [options, paths] of cases) {
      const error = (() => {
        try {
          createAnzuWebhookHandler({ secret: SECRET, onUserIdentityCreated: () => {}, ...options });
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(ValidationError.is(error)).toBe(true);
      expect(error?.issues.map((i) => i.path)).toEqual(paths);
    }
  });
});
