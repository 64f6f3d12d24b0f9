import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnzuWebhook, safeParseAnzuWebhook } from '../../src/anzu/webhook-parse.js';
import type { AnzuWebhookEvent, UserIdentityCreatedEvent } from '../../src/anzu/webhook-types.js';
import { WebhookPayloadError } from '../../src/core/errors.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const seedText = fixture('seed-2022.json');
const envelope2023Text = fixture('envelope-2023.json');
// biome-ignore lint/suspicious/noExplicitAny: the tests poke at arbitrary depths of a raw body
const seed = () => JSON.parse(seedText) as Record<string, any>;

function created(event: AnzuWebhookEvent): UserIdentityCreatedEvent {
  expect(event.kind).toBe('user_management.user_identity_created');
  return event as UserIdentityCreatedEvent;
}

function issuesOf(input: unknown) {
  const result = safeParseAnzuWebhook(input);
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
}

describe('parseAnzuWebhook: the seed document (2022 envelope)', () => {
  it('parses the repaired seed webhook with every documented field', () => {
    const event = created(parseAnzuWebhook(seedText));
    expect(event).toMatchObject({
      id: '2EG622yoQDGvwfYtJifWiupX0CC',
      webhookId: '2EFrLzPa0sOn7TrWUFbymG2lj7D',
      version: '2022.8',
      createdAt: '2022-09-03T12:49:23.005Z',
      scope: {
        teamId: '23JxVZ7JwRDIhSmJixh6DjvbRxn',
        projectId: '2Di3esGvc8wqtLrZqG62PXRv2nC',
        environmentId: '2Di3hnldgONMkCwbPXbIMkUeeNp',
      },
    });
    expect(event.delivery).toBeUndefined();
    expect(event.payload.provisionedWith).toBe('email');
    expect(event.payload.identity).toMatchObject({
      id: '2EG6211MgQNCxmpK8u1qkgcuBjw',
      provider: 'google',
      email: '<email>',
      avatarUrl: '<url>',
      givenName: 'Bruno',
      familyName: 'Scheufler',
      fullName: 'Bruno Scheufler',
    });
    expect(event.payload.authAttempt).toEqual({
      id: '2EG61ayyY6IyLesSfX8Md2qcA9b',
      createdAt: '2022-09-03T12:49:19.974Z',
      acceptedAt: '2022-09-03T12:49:22.613Z',
      ipAddress: '<IP address>',
      userAgent: '<user agent>',
    });
  });

  it('gives the same event for the string, its bytes, and the parsed object', () => {
    const fromString = parseAnzuWebhook(seedText);
    expect(parseAnzuWebhook(new TextEncoder().encode(seedText))).toEqual(fromString);
    expect(parseAnzuWebhook(new TextEncoder().encode(seedText).buffer)).toEqual(fromString);
    expect(parseAnzuWebhook(seed())).toEqual(fromString);
  });

  it('does not modify an object it is given', () => {
    const input = seed();
    const before = structuredClone(input);
    const event = created(parseAnzuWebhook(input));
    expect(input).toEqual(before);
    expect(event.payload).not.toBe(input.payload);
  });
});

describe('parseAnzuWebhook: the 2023 envelope', () => {
  it('reads the workspace scope and the delivery ids', () => {
    const event = created(parseAnzuWebhook(envelope2023Text));
    expect(event.scope).toEqual({
      workspaceId: '2Pz7fVb3nKq1LmX8cR5tWy0uEaS',
      environmentId: '2Pz7g2HkJd9QsA4vN6bTxC1rYeM',
    });
    expect(event.delivery).toEqual({
      webhookId: '2Pz8A1sDf4GhJ7kL0zXcV3bNm6Q',
      deliveryId: '2Q8yK4uIo7PaSd2fG5hJk8LzX1c',
    });
    expect(event.webhookId).toBeUndefined();
    expect(event.version).toBe('2023.1');
    expect(event.payload.isSecondaryIdentity).toBe(false);
    expect(event.payload.identity.primaryIdentity).toBe('2Q8yJ9wEr5tYuI3oP1aSdF6gHjK');
  });

  it('keeps unknown fields at every level', () => {
    const event = created(parseAnzuWebhook(envelope2023Text)) as UserIdentityCreatedEvent & Record<string, unknown>;
    expect(event.actor).toEqual({ kind: 'system' });
    expect(event.resource).toEqual({ kind: 'user_management.user_identity', id: '2Q8yK0hGm1sXcV6bN4rTqW8eLpA' });
    expect((event.payload.authAttempt as Record<string, unknown>).referrer).toBe('https://example.com/');

    const input = seed();
    input.payload.identity.locale = 'de-DE';
    input.payload.identity.emailVerified = true;
    input.payload.extra = { nested: [1, 2] };
    input.scope.region = 'eu';
    const withExtras = created(parseAnzuWebhook(input));
    expect(withExtras.payload.identity).toMatchObject({ locale: 'de-DE', emailVerified: true });
    expect(withExtras.payload).toMatchObject({ extra: { nested: [1, 2] } });
    expect(withExtras.scope).toMatchObject({ region: 'eu' });
  });
});

describe('parseAnzuWebhook: documented variants', () => {
  it('normalises the legacy kind blocks.user_management.user_identity_created', () => {
    const input = seed();
    input.kind = 'blocks.user_management.user_identity_created';
    const event = created(parseAnzuWebhook(input));
    expect(event.payload.identity.id).toBe('2EG6211MgQNCxmpK8u1qkgcuBjw');
  });

  it('checks the payload of a legacy-kind event like the current kind', () => {
    const input = seed();
    input.kind = 'blocks.user_management.user_identity_created';
    input.payload.identity.id = 42;
    expect(issuesOf(input)).toEqual([{ path: 'payload.identity.id', message: 'expected string, received number' }]);
  });

  it('reads identity.name as fullName only when fullName is absent', () => {
    const named = created(parseAnzuWebhook(seedText));
    expect(named.payload.identity.fullName).toBe('Bruno Scheufler');

    const both = seed();
    both.payload.identity.fullName = 'Bruno S.';
    expect(created(parseAnzuWebhook(both)).payload.identity.fullName).toBe('Bruno S.');

    const neither = seed();
    delete neither.payload.identity.name;
    expect(created(parseAnzuWebhook(neither)).payload.identity.fullName).toBeUndefined();
  });

  it('reads authAttempt null, and a missing authAttempt, as null', () => {
    const nulled = seed();
    nulled.payload.authAttempt = null;
    expect(created(parseAnzuWebhook(nulled)).payload.authAttempt).toBeNull();

    const missing = seed();
    delete missing.payload.authAttempt;
    const event = created(parseAnzuWebhook(missing));
    expect(event.payload.authAttempt).toBeNull();
    expect('authAttempt' in event.payload).toBe(true);
  });

  it('accepts null for the authAttempt fields that may be null', () => {
    const input = seed();
    input.payload.authAttempt = {
      id: 'aa',
      acceptedAt: null,
      ipAddress: null,
      userAgent: null,
      redirectUri: null,
    };
    expect(created(parseAnzuWebhook(input)).payload.authAttempt).toEqual(input.payload.authAttempt);
  });

  it.each(['phone_number', 'phoneNumber'])(
    'reads a phone sign-up with provisionedWith %s as phone_number',
    (spelling) => {
      const input = {
        id: 'evt_phone',
        kind: 'user_management.user_identity_created',
        payload: {
          provisionedWith: spelling,
          identity: { id: 'ui_phone', provider: 'email', phoneNumber: '+4915112345678' },
        },
      };
      const event = created(parseAnzuWebhook(JSON.stringify(input)));
      expect(event.payload.provisionedWith).toBe('phone_number');
      expect(event.payload.identity.phoneNumber).toBe('+4915112345678');
      expect(event.payload.authAttempt).toBeNull();
    },
  );

  it('parses a minimal event: only id and kind (and the created payload essentials) are required', () => {
    const event = created(
      parseAnzuWebhook({
        id: 'e',
        kind: 'user_management.user_identity_created',
        payload: { provisionedWith: 'email', identity: { id: 'i', provider: 'github' } },
      }),
    );
    expect(event.createdAt).toBeUndefined();
    expect(event.version).toBeUndefined();
    expect(event.scope).toBeUndefined();
    expect(event.payload.identity).toEqual({ id: 'i', provider: 'github' });
    expect(parseAnzuWebhook({ id: 'p', kind: 'ping' })).toEqual({ id: 'p', kind: 'ping' });
  });
});

describe('parseAnzuWebhook: kinds', () => {
  it.each([
    'user_management.user_identity_suspended',
    'user_management.user_identity_unsuspended',
    'user_management.user_identity_deleted',
    'ping',
  ])('keeps the kind %s and passes its payload on as sent', (kind) => {
    const payload = { identity: { id: 'ui_1' }, anything: [1, 'two', null] };
    const event = parseAnzuWebhook({ id: 'evt', kind, payload, createdAt: '2023-01-01T00:00:00Z' });
    expect(event).toEqual({ id: 'evt', kind, payload, createdAt: '2023-01-01T00:00:00Z' });
  });

  it.each(['webhook.created', 'webhook.enabled', 'crm.contact_created', 'crm.deal_assigned', 'something.new'])(
    'turns the kind %s into an unknown event with the original kind',
    (kind) => {
      const payload = { id: 'c1', name: 42 };
      const event = parseAnzuWebhook({ id: 'evt', kind, payload, version: '2022.8', webhookId: 'wh' });
      expect(event).toEqual({
        id: 'evt',
        kind: 'unknown',
        originalKind: kind,
        payload,
        version: '2022.8',
        webhookId: 'wh',
      });
    },
  );

  it('does not check the payload of other kinds (even when it looks like an identity payload)', () => {
    const event = parseAnzuWebhook({
      id: 'e',
      kind: 'user_management.user_identity_deleted',
      payload: { identity: 5 },
    });
    expect(event.kind).toBe('user_management.user_identity_deleted');
  });
});

describe('parseAnzuWebhook: invalid bodies', () => {
  it('refuses a body that is not JSON', () => {
    expect(() => parseAnzuWebhook('{"id":')).toThrow(WebhookPayloadError);
    expect(issuesOf('not json')).toEqual([{ path: '', message: 'is not valid JSON' }]);
    expect(issuesOf('')).toEqual([{ path: '', message: 'is not valid JSON' }]);
  });

  it.each([
    [null, 'null'],
    [[], 'array'],
    [42, 'number'],
    ['"a string"', 'string'],
  ])('refuses a body that is not an object (%j)', (input, type) => {
    expect(issuesOf(input)).toEqual([{ path: '', message: `expected object, received ${type}` }]);
  });

  it('requires id and kind', () => {
    expect(issuesOf({ payload: {} })).toEqual([
      { path: 'id', message: 'is required' },
      { path: 'kind', message: 'is required' },
    ]);
  });

  it('requires identity.id, identity.provider and provisionedWith for user_identity_created', () => {
    expect(issuesOf({ id: 'e', kind: 'user_management.user_identity_created', payload: { identity: {} } })).toEqual([
      { path: 'payload.provisionedWith', message: 'is required' },
      { path: 'payload.identity.id', message: 'is required' },
      { path: 'payload.identity.provider', message: 'is required' },
    ]);
    expect(issuesOf({ id: 'e', kind: 'user_management.user_identity_created' })).toEqual([
      { path: 'payload', message: 'is required' },
    ]);
  });

  it('names every present field of the wrong type, by path, in one error', () => {
    const input = seed();
    input.id = 7;
    input.createdAt = 1662209363;
    input.version = 2022.8;
    input.webhookId = null;
    input.scope.teamId = 5;
    input.payload.identity.id = 123;
    input.payload.identity.email = ['a@b.c'];
    input.payload.identity.name = { first: 'B' };
    input.payload.identity.primaryIdentity = true;
    input.payload.authAttempt.ipAddress = 1;
    input.payload.authAttempt.acceptedAt = false;
    input.payload.isSecondaryIdentity = 'yes';

    const result = safeParseAnzuWebhook(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(WebhookPayloadError);
    expect(result.error.code).toBe('invalid_payload');
    expect(result.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'id', message: 'expected string, received number' },
        { path: 'createdAt', message: 'expected string, received number' },
        { path: 'version', message: 'expected string, received number' },
        { path: 'webhookId', message: 'expected string, received null' },
        { path: 'scope.teamId', message: 'expected string, received number' },
        { path: 'payload.identity.id', message: 'expected string, received number' },
        { path: 'payload.identity.email', message: 'expected string, received array' },
        { path: 'payload.identity.name', message: 'expected string, received object' },
        { path: 'payload.identity.primaryIdentity', message: 'expected string, received boolean' },
        { path: 'payload.authAttempt.ipAddress', message: 'expected string, received number' },
        { path: 'payload.authAttempt.acceptedAt', message: 'expected string, received boolean' },
        { path: 'payload.isSecondaryIdentity', message: 'expected boolean, received string' },
      ]),
    );
    expect(result.error.message).toContain('payload.identity.id');
  });

  it('refuses an unknown provisionedWith value and a non-object authAttempt', () => {
    const input = seed();
    input.payload.provisionedWith = 'carrier_pigeon';
    input.payload.authAttempt = 'yesterday';
    expect(issuesOf(input)).toEqual([
      { path: 'payload.authAttempt', message: 'expected object, received string' },
      { path: 'payload.provisionedWith', message: 'expected "email" or "phone_number"' },
    ]);
  });

  it('refuses an incomplete scope or delivery', () => {
    expect(issuesOf({ id: 'e', kind: 'ping', scope: { teamId: 't', environmentId: 'e' } })).toEqual([
      { path: 'scope', message: 'needs teamId and projectId, or workspaceId' },
    ]);
    expect(issuesOf({ id: 'e', kind: 'ping', scope: { workspaceId: 'w' } })).toEqual([
      { path: 'scope.environmentId', message: 'is required' },
    ]);
    expect(issuesOf({ id: 'e', kind: 'ping', delivery: { webhookId: 'w' } })).toEqual([
      { path: 'delivery.deliveryId', message: 'is required' },
    ]);
    expect(issuesOf({ id: 'e', kind: 'ping', scope: 'team' })).toEqual([
      { path: 'scope', message: 'expected object, received string' },
    ]);
  });

  it('never repeats the values it refuses in its messages', () => {
    const input = seed();
    input.payload.identity.email = 1234567;
    input.payload.identity.provider = { secretish: 'do-not-echo-me' };
    const result = safeParseAnzuWebhook(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    const text = `${result.error.message} ${JSON.stringify(result.error)} ${String(result.error)}`;
    expect(text).not.toContain('1234567');
    expect(text).not.toContain('do-not-echo-me');
  });

  it('parseAnzuWebhook throws the error that safeParseAnzuWebhook returns', () => {
    const input = { id: 1, kind: 'ping' };
    const safe = safeParseAnzuWebhook(input);
    expect(safe.success).toBe(false);
    let thrown: unknown;
    try {
      parseAnzuWebhook(input);
    } catch (error) {
      thrown = error;
    }
    expect(WebhookPayloadError.is(thrown)).toBe(true);
    expect((thrown as WebhookPayloadError).issues).toEqual(safe.success ? [] : safe.error.issues);
  });
});

describe("parseAnzuWebhook: the envelope extras of Anzu's own SDK types", () => {
  const extras = {
    actor: { kind: 'workspace_member', id: 'wm_1' },
    resource: { kind: 'user_management.user_identity', id: 'ui_1' },
  };

  it('keeps actor, resource and authAttempt.referrer', () => {
    const body = seed();
    body.payload.authAttempt = { ...body.payload.authAttempt, referrer: 'https://example.com/pricing' };
    const event = created(parseAnzuWebhook({ ...body, ...extras }));
    expect(event.actor).toEqual(extras.actor);
    expect(event.resource).toEqual(extras.resource);
    expect(event.payload.authAttempt?.referrer).toBe('https://example.com/pricing');
    expect(parseAnzuWebhook({ id: 'e', kind: 'ping', actor: { kind: 'system' } }).actor).toEqual({ kind: 'system' });
  });

  it('does not require them (the 2022 envelope has none), and accepts a null referrer', () => {
    const body = seed();
    body.payload.authAttempt = { ...body.payload.authAttempt, referrer: null };
    expect(created(parseAnzuWebhook(body)).payload.authAttempt?.referrer).toBeNull();
    expect(parseAnzuWebhook(seed()).actor).toBeUndefined();
  });

  it('refuses them with the wrong types, naming each path', () => {
    const body = seed();
    body.payload.authAttempt = { ...body.payload.authAttempt, referrer: 7 };
    expect(
      issuesOf({ ...body, actor: { id: 'wm_1' }, resource: { kind: 'webhook', id: 3 } }).map((i) => i.path),
    ).toEqual(['actor.kind', 'resource.id', 'payload.authAttempt.referrer']);
    expect(issuesOf({ id: 'e', kind: 'ping', actor: 'system' }).map((i) => i.path)).toEqual(['actor']);
  });
});
