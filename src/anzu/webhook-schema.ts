/**
 * zod/mini schemas of Anzu's webhook wire format, for apps that compose their own validation
 * with zod (`provisionkit/anzu/schemas`). The SDK's parser does not use them: it checks the same
 * format with the plain shapes of webhook-shapes.ts, so that verifying and parsing never bundle
 * zod; a test derives a shape from each schema here and asserts that the two are equal.
 *
 * The schemas check types only where Anzu's envelope documents a field; every object is loose,
 * so a field Anzu adds later is kept and never rejected. What the parser checks beyond them
 * (an enum, a complete scope) is said on each schema.
 */
import * as z from 'zod/mini';

const str = z.string();
const optionalString = z.optional(str);
const optionalNullableString = z.optional(z.nullable(str));

/**
 * Wire schema of `payload.identity` (before `name` is copied to `fullName`).
 *
 * @example
 * ```ts
 * z.safeParse(anzuIdentitySchema, { id: 'ui_1', provider: 'google' }).success; // true
 * ```
 */
export const anzuIdentitySchema = z.looseObject({
  id: str,
  provider: str,
  email: optionalString,
  phoneNumber: optionalString,
  fullName: optionalString,
  // The seed's spelling of fullName.
  name: optionalString,
  givenName: optionalString,
  familyName: optionalString,
  userName: optionalString,
  avatarUrl: optionalString,
  primaryIdentity: optionalString,
});

/**
 * Wire schema of `payload.authAttempt` (the sign-in that created the identity).
 *
 * @example
 * ```ts
 * z.safeParse(anzuAuthAttemptSchema, { id: 'aa_1', ipAddress: null }).success; // true
 * ```
 */
export const anzuAuthAttemptSchema = z.looseObject({
  id: optionalString,
  createdAt: optionalString,
  acceptedAt: optionalNullableString,
  ipAddress: optionalNullableString,
  userAgent: optionalNullableString,
  redirectUri: optionalNullableString,
  referrer: optionalNullableString,
});

/**
 * Wire schema of a `user_identity_created` payload. `provisionedWith` must also be `email`,
 * `phone_number` or `phoneNumber` (the seed's spelling); the parser checks that, as a zod enum
 * would cost a tenth of the webhook bundle.
 *
 * @example
 * ```ts
 * z.safeParse(anzuUserIdentityCreatedPayloadSchema, { provisionedWith: 'email', identity: { id: 'ui_1', provider: 'email' } });
 * ```
 */
export const anzuUserIdentityCreatedPayloadSchema = z.looseObject({
  provisionedWith: str,
  identity: anzuIdentitySchema,
  authAttempt: z.optional(z.nullable(anzuAuthAttemptSchema)),
  isSecondaryIdentity: z.optional(z.boolean()),
});

/**
 * Wire schema of `scope`. It must also be complete — `{ teamId, projectId, environmentId }`
 * (2022 envelope) or `{ workspaceId, environmentId }` (2023) — which the parser checks, as a
 * zod union would cost a tenth of the webhook bundle.
 *
 * @example
 * ```ts
 * z.safeParse(anzuScopeSchema, { workspaceId: 'w', environmentId: 'e' }).success; // true
 * ```
 */
export const anzuScopeSchema = z.looseObject({
  environmentId: str,
  teamId: optionalString,
  projectId: optionalString,
  workspaceId: optionalString,
});

/**
 * Wire schema of the envelope shared by every event. Only `id` and `kind` are required; the
 * payload is checked separately, by kind.
 *
 * @example
 * ```ts
 * z.safeParse(anzuEnvelopeSchema, { id: 'evt_1', kind: 'ping' }).success; // true
 * ```
 */
export const anzuEnvelopeSchema = z.looseObject({
  id: str,
  kind: str,
  createdAt: optionalString,
  version: optionalString,
  webhookId: optionalString,
  delivery: z.optional(z.looseObject({ webhookId: str, deliveryId: str })),
  scope: z.optional(anzuScopeSchema),
  // Anzu's SDK types both (2023): who caused the event, and what it is about.
  actor: z.optional(z.looseObject({ kind: str, id: optionalString })),
  resource: z.optional(z.looseObject({ kind: str, id: str })),
  payload: z.optional(z.unknown()),
});
