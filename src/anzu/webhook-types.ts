/**
 * The public types of Anzu's webhook deliveries (after the normalisations listed in
 * {@link parseAnzuWebhook}), written out by hand for readable docs. The zod/mini schemas of the
 * same wire format are in webhook-schema.ts (`provisionkit/anzu/schemas`); a type-level test
 * checks that the two agree. This file imports no zod, so the webhook path never bundles it.
 */
import type { WebhookPayloadError } from '../core/errors.js';
import type {
  ANZU_PING,
  ANZU_USER_IDENTITY_CREATED,
  ANZU_USER_IDENTITY_DELETED,
  ANZU_USER_IDENTITY_SUSPENDED,
  ANZU_USER_IDENTITY_UNSUSPENDED,
} from './webhook-kinds.js';

export * from './webhook-kinds.js';

/**
 * Scope of an event in the 2022 API (the seed document): team, project and environment.
 *
 * @example
 * ```ts
 * if (event.scope && 'teamId' in event.scope) console.log(event.scope.projectId);
 * ```
 */
export interface AnzuTeamScope {
  teamId: string;
  projectId: string;
  environmentId: string;
}

/**
 * Scope of an event in the workspace-based API (2023 envelope).
 *
 * @example
 * ```ts
 * if (event.scope && 'workspaceId' in event.scope) console.log(event.scope.workspaceId);
 * ```
 */
export interface AnzuWorkspaceScope {
  workspaceId: string;
  environmentId: string;
}

/**
 * Where an event happened. Tell the two shapes apart with `'workspaceId' in scope`.
 *
 * @example
 * ```ts
 * const environmentId = event.scope?.environmentId;
 * ```
 */
export type AnzuWebhookScope = AnzuTeamScope | AnzuWorkspaceScope;

/**
 * Delivery details of the 2023 envelope; the 2022 envelope has a top-level `webhookId` instead.
 *
 * @example
 * ```ts
 * const webhookId = event.delivery?.webhookId ?? event.webhookId;
 * ```
 */
export interface AnzuWebhookDelivery {
  webhookId: string;
  /** Differs between redeliveries of the same event; the event `id` does not. */
  deliveryId: string;
}

/**
 * Who caused an event, as Anzu's own SDK types it: `{ kind: 'workspace_member', id }` (a member
 * of your workspace, `id` their member id) or `{ kind: 'system' }` (Anzu itself, e.g. a sign-up).
 * The SDK checks only that `kind` is a string, so another kind Anzu adds still parses.
 *
 * @example
 * ```ts
 * if (event.actor?.kind === 'workspace_member') console.log(`changed by member ${event.actor.id}`);
 * ```
 */
export interface AnzuEventActor {
  kind: 'workspace_member' | 'system' | (string & {});
  /** The workspace member's id; absent for `system`. */
  id?: string;
}

/**
 * What an event is about, as Anzu's own SDK types it: `kind` is `'webhook'`,
 * `'user_management.user_identity'`, `'crm.contact'`, `'crm.company'`, `'crm.deal'` or
 * `'crm.notes'` (or one Anzu adds later), `id` that resource's id.
 *
 * @example
 * ```ts
 * if (event.resource?.kind === 'user_management.user_identity') console.log(event.resource.id);
 * ```
 */
export interface AnzuEventResource {
  kind:
    | 'webhook'
    | 'user_management.user_identity'
    | 'crm.contact'
    | 'crm.company'
    | 'crm.deal'
    | 'crm.notes'
    | (string & {});
  id: string;
}

/**
 * Fields every event carries. Anzu's documented envelopes always include `createdAt`,
 * `version` and `scope`, but the SDK does not require them (so a trimmed or future envelope
 * still parses): they are `undefined` when absent. Unknown fields Anzu adds are kept on the
 * object at runtime, though not in the type.
 *
 * @example
 * ```ts
 * const seen = await db.processedEvents.has(event.id); // deliveries may repeat: dedupe on id
 * ```
 */
export interface AnzuWebhookEnvelope {
  /** Event id. Deliveries are not ordered and may repeat; use it to deduplicate. */
  id: string;
  /** ISO 8601 time the event was created. */
  createdAt?: string;
  /** Envelope version, e.g. `'2022.8'`. */
  version?: string;
  /** Webhook id (2022 envelope). */
  webhookId?: string;
  /** Webhook and delivery ids (2023 envelope). */
  delivery?: AnzuWebhookDelivery;
  /** Team/project or workspace scope. */
  scope?: AnzuWebhookScope;
  /** Who caused the event (2023 envelope; Anzu's SDK always sends it, the 2022 envelope has none). */
  actor?: AnzuEventActor;
  /** What the event is about, when Anzu names it (2023 envelope). */
  resource?: AnzuEventResource;
}

/**
 * The identity Anzu created, as the auth provider described it. Only `id` and `provider` are
 * guaranteed; Anzu collects nothing beyond the sign-up credential (email or phone number).
 *
 * @example
 * ```ts
 * const user = await db.users.upsert({ anzuId: identity.id, email: identity.email, name: identity.fullName });
 * ```
 */
export interface AnzuIdentity {
  /** The user identity id to confirm with `completeProvisioning`. */
  id: string;
  /** `'google'`, `'github'`, `'email'`, … */
  provider: string;
  email?: string;
  /** E.164 phone number, for phone sign-ups. */
  phoneNumber?: string;
  /** Full name; filled from the older `name` field when Anzu sent that instead. */
  fullName?: string;
  givenName?: string;
  familyName?: string;
  userName?: string;
  avatarUrl?: string;
  /** Id of the primary identity this one belongs to, for secondary identities. */
  primaryIdentity?: string;
}

/**
 * The sign-in attempt that created the identity. Anzu's SDK always sends `id` and `createdAt`;
 * the SDK requires neither (a trimmed envelope still parses). Any other field may be missing or `null`.
 *
 * @example
 * ```ts
 * const ip = event.payload.authAttempt?.ipAddress ?? 'unknown';
 * ```
 */
export interface AnzuAuthAttempt {
  id?: string;
  createdAt?: string;
  acceptedAt?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  redirectUri?: string | null;
  /** The page the user came from, when Anzu recorded one. */
  referrer?: string | null;
}

/**
 * Payload of {@link UserIdentityCreatedEvent}.
 *
 * @example
 * ```ts
 * const contact = payload.provisionedWith === 'email' ? payload.identity.email : payload.identity.phoneNumber;
 * ```
 */
export interface UserIdentityCreatedPayload {
  /** The credential the user signed up with. `'phoneNumber'` on the wire is read as `'phone_number'`. */
  provisionedWith: 'email' | 'phone_number';
  identity: AnzuIdentity;
  /** `null` when Anzu sent `null` or nothing. */
  authAttempt: AnzuAuthAttempt | null;
  isSecondaryIdentity?: boolean;
}

/**
 * A user signed up. Create the user (idempotently: deliveries may repeat), then confirm
 * provisioning so that Anzu lets the user through.
 *
 * @example
 * ```ts
 * if (event.kind === 'user_management.user_identity_created') {
 *   await createUser(event.payload.identity);
 *   await client.completeProvisioning(event.payload.identity.id);
 * }
 * ```
 */
export interface UserIdentityCreatedEvent extends AnzuWebhookEnvelope {
  kind: typeof ANZU_USER_IDENTITY_CREATED;
  payload: UserIdentityCreatedPayload;
}

/**
 * An identity was suspended. Anzu does not document this payload, so it is passed on unchecked.
 *
 * @example
 * ```ts
 * if (event.kind === 'user_management.user_identity_suspended') console.log(event.payload);
 * ```
 */
export interface UserIdentitySuspendedEvent extends AnzuWebhookEnvelope {
  kind: typeof ANZU_USER_IDENTITY_SUSPENDED;
  /** Undocumented by Anzu; passed on as sent. */
  payload: unknown;
}

/**
 * A suspended identity was reinstated. The payload is undocumented and passed on unchecked.
 *
 * @example
 * ```ts
 * if (event.kind === 'user_management.user_identity_unsuspended') console.log(event.payload);
 * ```
 */
export interface UserIdentityUnsuspendedEvent extends AnzuWebhookEnvelope {
  kind: typeof ANZU_USER_IDENTITY_UNSUSPENDED;
  /** Undocumented by Anzu; passed on as sent. */
  payload: unknown;
}

/**
 * An identity was deleted. The payload is undocumented and passed on unchecked.
 *
 * @example
 * ```ts
 * if (event.kind === 'user_management.user_identity_deleted') console.log(event.payload);
 * ```
 */
export interface UserIdentityDeletedEvent extends AnzuWebhookEnvelope {
  kind: typeof ANZU_USER_IDENTITY_DELETED;
  /** Undocumented by Anzu; passed on as sent. */
  payload: unknown;
}

/**
 * Anzu's endpoint check.
 *
 * @example
 * ```ts
 * if (event.kind === 'ping') console.log('Anzu can reach us');
 * ```
 */
export interface PingEvent extends AnzuWebhookEnvelope {
  kind: typeof ANZU_PING;
  payload: unknown;
}

/**
 * Any other kind (`webhook.created`, `crm.contact_created`, …, or one Anzu adds later): the
 * envelope is checked, the payload passed on as sent, and the kind kept in `originalKind`.
 *
 * @example
 * ```ts
 * if (event.kind === 'unknown') console.log(`ignoring ${event.originalKind}`);
 * ```
 */
export interface UnknownAnzuEvent extends AnzuWebhookEnvelope {
  kind: 'unknown';
  /** The `kind` Anzu sent. */
  originalKind: string;
  payload: unknown;
}

/**
 * Every event a verified delivery can carry; narrow it on `kind`.
 *
 * @example
 * ```ts
 * switch (event.kind) {
 *   case 'user_management.user_identity_created': return createUser(event.payload.identity);
 *   case 'unknown': return console.log(event.originalKind);
 * }
 * ```
 */
export type AnzuWebhookEvent =
  | UserIdentityCreatedEvent
  | UserIdentitySuspendedEvent
  | UserIdentityUnsuspendedEvent
  | UserIdentityDeletedEvent
  | PingEvent
  | UnknownAnzuEvent;

/**
 * Result of {@link safeParseAnzuWebhook}: the event, or the error that
 * {@link parseAnzuWebhook} would have thrown.
 *
 * @example
 * ```ts
 * const result: SafeParseAnzuWebhookResult = safeParseAnzuWebhook(body);
 * if (result.success) handle(result.data);
 * else console.warn(result.error.issues);
 * ```
 */
export type SafeParseAnzuWebhookResult =
  | { success: true; data: AnzuWebhookEvent }
  | { success: false; error: WebhookPayloadError };

/**
 * A webhook signing secret, or several while rotating secrets: `[newSecret, oldSecret]`. A
 * signature that matches any of them is valid. Each must be non-empty, without leading or
 * trailing whitespace; a list must not be empty.
 *
 * @example
 * ```ts
 * const secret: AnzuWebhookSecret = [env.ANZU_WEBHOOK_SECRET, env.ANZU_WEBHOOK_SECRET_OLD].filter(Boolean) as string[];
 * ```
 */
export type AnzuWebhookSecret = string | readonly string[];
