import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { AnzuClient } from '../../src/anzu/client.js';
import type { anzuAuthAttemptSchema, anzuEnvelopeSchema, anzuIdentitySchema } from '../../src/anzu/schemas.js';
import { type AnzuWebhookHandlerOptions, createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { parseAnzuWebhook, safeParseAnzuWebhook } from '../../src/anzu/webhook-parse.js';
import { signAnzuWebhook, verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import type {
  AnzuAuthAttempt,
  AnzuEventActor,
  AnzuEventResource,
  AnzuIdentity,
  AnzuTeamScope,
  AnzuWebhookEvent,
  AnzuWebhookScope,
  AnzuWebhookSecret,
  AnzuWorkspaceScope,
  PingEvent,
  UnknownAnzuEvent,
  UserIdentityCreatedEvent,
  UserIdentityDeletedEvent,
  UserIdentitySuspendedEvent,
  UserIdentityUnsuspendedEvent,
} from '../../src/anzu/webhook-types.js';
import type { WebhookPayloadError } from '../../src/core/errors.js';

declare const event: AnzuWebhookEvent;

describe('AnzuWebhookEvent narrows on kind', () => {
  it('gives the typed payload for user_identity_created', () => {
    if (event.kind === 'user_management.user_identity_created') {
      expectTypeOf(event).toEqualTypeOf<UserIdentityCreatedEvent>();
      expectTypeOf(event.payload.identity.id).toEqualTypeOf<string>();
      expectTypeOf(event.payload.identity.provider).toEqualTypeOf<string>();
      expectTypeOf(event.payload.identity.email).toEqualTypeOf<string | undefined>();
      expectTypeOf(event.payload.identity.phoneNumber).toEqualTypeOf<string | undefined>();
      expectTypeOf(event.payload.identity.fullName).toEqualTypeOf<string | undefined>();
      expectTypeOf(event.payload.provisionedWith).toEqualTypeOf<'email' | 'phone_number'>();
      expectTypeOf(event.payload.authAttempt).toEqualTypeOf<AnzuAuthAttempt | null>();
      expectTypeOf(event.payload.isSecondaryIdentity).toEqualTypeOf<boolean | undefined>();
      if (event.payload.authAttempt !== null) {
        expectTypeOf(event.payload.authAttempt.ipAddress).toEqualTypeOf<string | null | undefined>();
        expectTypeOf(event.payload.authAttempt.referrer).toEqualTypeOf<string | null | undefined>();
      }
    }
  });

  it('gives the other events by their kind', () => {
    if (event.kind === 'user_management.user_identity_suspended') {
      expectTypeOf(event).toEqualTypeOf<UserIdentitySuspendedEvent>();
    }
    if (event.kind === 'user_management.user_identity_unsuspended') {
      expectTypeOf(event).toEqualTypeOf<UserIdentityUnsuspendedEvent>();
    }
    if (event.kind === 'user_management.user_identity_deleted') {
      expectTypeOf(event).toEqualTypeOf<UserIdentityDeletedEvent>();
      expectTypeOf(event.payload).toEqualTypeOf<unknown>();
    }
    if (event.kind === 'ping') expectTypeOf(event).toEqualTypeOf<PingEvent>();
    if (event.kind === 'unknown') {
      expectTypeOf(event).toEqualTypeOf<UnknownAnzuEvent>();
      expectTypeOf(event.originalKind).toEqualTypeOf<string>();
      expectTypeOf(event.payload).toEqualTypeOf<unknown>();
    }
  });

  it('has no payload.identity before narrowing', () => {
    // @ts-expect-error payload is unknown on some variants
    event.payload.identity;
    expectTypeOf(event.kind).toEqualTypeOf<
      | 'user_management.user_identity_created'
      | 'user_management.user_identity_suspended'
      | 'user_management.user_identity_unsuspended'
      | 'user_management.user_identity_deleted'
      | 'ping'
      | 'unknown'
    >();
  });

  it('gives every event the envelope fields', () => {
    expectTypeOf(event.id).toEqualTypeOf<string>();
    expectTypeOf(event.createdAt).toEqualTypeOf<string | undefined>();
    expectTypeOf(event.version).toEqualTypeOf<string | undefined>();
    expectTypeOf(event.webhookId).toEqualTypeOf<string | undefined>();
    expectTypeOf(event.delivery).toEqualTypeOf<{ webhookId: string; deliveryId: string } | undefined>();
    expectTypeOf(event.scope).toEqualTypeOf<AnzuWebhookScope | undefined>();
    expectTypeOf(event.actor).toEqualTypeOf<AnzuEventActor | undefined>();
    expectTypeOf(event.resource).toEqualTypeOf<AnzuEventResource | undefined>();
    if (event.actor) {
      expectTypeOf(event.actor.id).toEqualTypeOf<string | undefined>();
      expectTypeOf<'system'>().toExtend<typeof event.actor.kind>();
      expectTypeOf<'workspace_member'>().toExtend<typeof event.actor.kind>();
    }
    if (event.resource) expectTypeOf(event.resource.id).toEqualTypeOf<string>();
  });

  it('tells the scope shapes apart with `in`', () => {
    const scope = event.scope;
    if (scope !== undefined) {
      expectTypeOf(scope.environmentId).toEqualTypeOf<string>();
      if ('workspaceId' in scope) expectTypeOf(scope).toEqualTypeOf<AnzuWorkspaceScope>();
      else expectTypeOf(scope).toEqualTypeOf<AnzuTeamScope>();
    }
  });
});

describe('function signatures', () => {
  it('parse, safeParse, verify and sign', () => {
    expectTypeOf(parseAnzuWebhook).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(parseAnzuWebhook).returns.toEqualTypeOf<AnzuWebhookEvent>();
    const result = safeParseAnzuWebhook('{}');
    if (result.success) expectTypeOf(result.data).toEqualTypeOf<AnzuWebhookEvent>();
    else expectTypeOf(result.error).toEqualTypeOf<WebhookPayloadError>();
    expectTypeOf(verifyAnzuWebhook).returns.toEqualTypeOf<Promise<AnzuWebhookEvent>>();
    expectTypeOf(verifyAnzuWebhook).parameter(0).toHaveProperty('secret').toEqualTypeOf<AnzuWebhookSecret>();
    expectTypeOf<AnzuWebhookSecret>().toEqualTypeOf<string | readonly string[]>();
    expectTypeOf<readonly ['new', 'old']>().toExtend<AnzuWebhookSecret>();
    expectTypeOf(signAnzuWebhook).parameter(0).toHaveProperty('secret').toEqualTypeOf<string>();
    expectTypeOf(verifyAnzuWebhook).parameter(0).toHaveProperty('payload').toEqualTypeOf<string | Uint8Array>();
    expectTypeOf(verifyAnzuWebhook).parameter(0).toHaveProperty('signature').toEqualTypeOf<string | null | undefined>();
    expectTypeOf(signAnzuWebhook).returns.toEqualTypeOf<Promise<string>>();
  });

  it('the handler takes a Request and the real AnzuClient', () => {
    const handler = createAnzuWebhookHandler({ secret: 's', onUserIdentityCreated: () => {} });
    expectTypeOf(handler).toEqualTypeOf<(request: Request) => Promise<Response>>();
    expectTypeOf<AnzuClient>().toExtend<NonNullable<AnzuWebhookHandlerOptions['client']>>();
    expectTypeOf<AnzuWebhookHandlerOptions['onUserIdentityCreated']>()
      .parameter(0)
      .toEqualTypeOf<UserIdentityCreatedEvent>();
    expectTypeOf<NonNullable<AnzuWebhookHandlerOptions['onEvent']>>().parameter(0).toEqualTypeOf<AnzuWebhookEvent>();
    // @ts-expect-error onUserIdentityCreated is required
    createAnzuWebhookHandler({ secret: 's' });
  });
});

describe('the hand-written types agree with the schemas', () => {
  it('identity and authAttempt', () => {
    // Every field the schema lets through fits the public type (after `name` → `fullName`).
    expectTypeOf<z.output<typeof anzuIdentitySchema>>().toExtend<AnzuIdentity>();
    expectTypeOf<z.output<typeof anzuAuthAttemptSchema>>().toExtend<AnzuAuthAttempt>();
    expectTypeOf<keyof AnzuIdentity>().toExtend<keyof z.output<typeof anzuIdentitySchema>>();
    expectTypeOf<keyof AnzuAuthAttempt>().toExtend<keyof z.output<typeof anzuAuthAttemptSchema>>();
  });
  it('actor and resource', () => {
    type Envelope = z.output<typeof anzuEnvelopeSchema>;
    expectTypeOf<NonNullable<Envelope['actor']>>().toExtend<AnzuEventActor>();
    expectTypeOf<NonNullable<Envelope['resource']>>().toExtend<AnzuEventResource>();
  });
});
