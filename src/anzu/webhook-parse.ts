/**
 * Turns a webhook body into a typed {@link AnzuWebhookEvent}. Parsing alone proves nothing about
 * who sent the body: for requests from the network use {@link verifyAnzuWebhook}, which checks
 * the signature first and then parses.
 */
import type * as z from 'zod/mini';
import { type ValidationIssue, WebhookPayloadError } from '../core/errors.js';
import { compile } from './webhook-conforms.js';
import {
  ANZU_LEGACY_USER_IDENTITY_CREATED,
  ANZU_PING,
  ANZU_USER_IDENTITY_CREATED,
  ANZU_USER_IDENTITY_DELETED,
  ANZU_USER_IDENTITY_SUSPENDED,
  ANZU_USER_IDENTITY_UNSUSPENDED,
} from './webhook-kinds.js';
import type { anzuUserIdentityCreatedPayloadSchema } from './webhook-schema.js';
import { createdPayloadShape, envelopeShape } from './webhook-shapes.js';
import type { AnzuWebhookEvent, SafeParseAnzuWebhookResult } from './webhook-types.js';

type CreatedPayload = z.output<typeof anzuUserIdentityCreatedPayloadSchema>;

/** Kinds whose payload is passed on unchecked, with their `kind` kept. */
const PASS_THROUGH_KINDS: ReadonlySet<unknown> = new Set([
  ANZU_USER_IDENTITY_SUSPENDED,
  ANZU_USER_IDENTITY_UNSUSPENDED,
  ANZU_USER_IDENTITY_DELETED,
  ANZU_PING,
]);

const decoder = new TextDecoder();
const checkEnvelope = /* @__PURE__ */ compile(envelopeShape);
const checkCreatedPayload = /* @__PURE__ */ compile(createdPayloadShape);

/** `phone_number` is the provider's wire value; `phoneNumber` the seed document's spelling. */
const PROVISIONED_WITH: readonly unknown[] = ['email', 'phone_number', 'phoneNumber'];

/**
 * Reads a webhook body into a typed event, or explains why it cannot. Does not throw.
 *
 * Accepts the raw body (`string`, or bytes as `Uint8Array`/`ArrayBuffer`) or an already parsed
 * value. See {@link parseAnzuWebhook} for the rules.
 *
 * @example
 * ```ts
 * const result = safeParseAnzuWebhook(await request.text());
 * if (!result.success) console.warn(result.error.issues); // [{ path: 'payload.identity.id', message: 'is required' }]
 * ```
 */
export function safeParseAnzuWebhook(input: unknown): SafeParseAnzuWebhookResult {
  const issues: ValidationIssue[] = [];
  const data = readEvent(input, issues);
  return data ? { success: true, data } : { success: false, error: new WebhookPayloadError(issues) };
}

/**
 * Reads a webhook body into a typed event; throws {@link WebhookPayloadError} when it is not
 * JSON or not a valid envelope.
 *
 * Rules (Anzu's documented envelopes, 2022 and 2023):
 * - Required: `id` and `kind` (strings); for `user_management.user_identity_created` also
 *   `payload.identity.id`, `payload.identity.provider` (strings) and `payload.provisionedWith`.
 *   Every other documented field is optional, but a field that is present with the wrong type is
 *   an error, named by its path (`payload.identity.email`). A `scope` or `delivery` that is present
 *   must be complete.
 * - Unknown fields are kept, never rejected.
 * - Normalised: the legacy kind `blocks.user_management.user_identity_created` becomes
 *   `user_management.user_identity_created`; `identity.name` is copied to `identity.fullName`
 *   when `fullName` is absent; `provisionedWith: 'phoneNumber'` becomes `'phone_number'`; a
 *   missing `authAttempt` becomes `null`.
 * - Any kind other than the five known ones gives `{ kind: 'unknown', originalKind, payload }`.
 *
 * The input object is never modified; the event is a new object (nested objects that needed no
 * change may be shared with the input).
 *
 * @example
 * ```ts
 * const event = parseAnzuWebhook(body);
 * if (event.kind === 'user_management.user_identity_created') console.log(event.payload.identity.email);
 * ```
 */
export function parseAnzuWebhook(input: unknown): AnzuWebhookEvent {
  const result = safeParseAnzuWebhook(input);
  if (!result.success) throw result.error;
  return result.data;
}

/** The event, or `undefined` with every reason recorded in `issues`. */
function readEvent(input: unknown, issues: ValidationIssue[]): AnzuWebhookEvent | undefined {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer) {
    try {
      value = JSON.parse(typeof input === 'string' ? input : decoder.decode(input));
    } catch {
      issues.push({ path: '', message: 'is not valid JSON' });
      return undefined;
    }
  }

  // The rest is checked even when the envelope is not, so that one error names every bad field.
  // Every failed check records an issue, so an empty list means a valid event.
  checkEnvelope(value, issues);
  // A primitive reads as having no fields. Once the checks below pass, `record` is a valid
  // envelope (and, for the created kind, `payload` a valid created payload).
  const record = (value ?? {}) as Record<string, unknown>;
  const { payload } = record;
  // Any value is possible here; `typeof` below tells an object apart.
  const scope = record.scope as Record<string, unknown> | null;
  if (
    typeof scope === 'object' &&
    scope !== null &&
    !(typeof scope.teamId === 'string' && typeof scope.projectId === 'string') &&
    typeof scope.workspaceId !== 'string'
  ) {
    issues.push({ path: 'scope', message: 'needs teamId and projectId, or workspaceId' });
  }
  const kind = record.kind === ANZU_LEGACY_USER_IDENTITY_CREATED ? ANZU_USER_IDENTITY_CREATED : record.kind;
  if (kind === ANZU_USER_IDENTITY_CREATED) {
    checkCreatedPayload(payload, issues, 'payload');
    const provisionedWith = (payload as Record<string, unknown> | undefined)?.provisionedWith;
    if (typeof provisionedWith === 'string' && !PROVISIONED_WITH.includes(provisionedWith)) {
      issues.push({ path: 'payload.provisionedWith', message: 'expected "email" or "phone_number"' });
    }
  }
  if (issues.length > 0) return undefined;

  // A value this call parsed from text belongs to nobody else, so it is normalised in place (the
  // same keys in the same order as the copies below): copying costs a good part of a parse.
  const own = value !== input;
  const envelope = (own ? record : { ...record }) as Record<string, unknown>;
  if (kind === ANZU_USER_IDENTITY_CREATED) {
    const created = (own ? payload : { ...(payload as CreatedPayload) }) as Record<string, unknown> & CreatedPayload;
    const { identity } = created;
    created.provisionedWith = created.provisionedWith === 'email' ? 'email' : 'phone_number';
    if (identity.fullName === undefined && identity.name !== undefined) {
      created.identity = own ? identity : { ...identity };
      created.identity.fullName = identity.name;
    }
    created.authAttempt ??= null;
    envelope.kind = kind;
    envelope.payload = created;
  } else if (!PASS_THROUGH_KINDS.has(kind)) {
    envelope.kind = 'unknown';
    envelope.originalKind = kind;
    envelope.payload = payload;
  }
  return envelope as unknown as AnzuWebhookEvent;
}
