/**
 * The body of a `user_identity_created` webhook as Anzu sends it: the 2022 envelope of Anzu's
 * provisioning guide (webhookId, version, createdAt, id, kind, scope, payload).
 */
import { ANZU_USER_IDENTITY_CREATED } from '../anzu/webhook-kinds.js';
import type { AnzuTeamScope } from '../anzu/webhook-types.js';
import { ksuid } from './random.js';

/** Envelope version of the seed document's example. */
const ENVELOPE_VERSION = '2022.8';

/**
 * What a test may choose about the identity behind `anzu.signedWebhook()`. Without `email` or
 * `phoneNumber`, a fresh `user-<n>@example.com` is used; with only `phoneNumber`, the event says
 * `provisionedWith: 'phone_number'`.
 *
 * @example
 * ```ts
 * await anzu.signedWebhook({ email: 'ada@example.com', fullName: 'Ada Lovelace', provider: 'google' });
 * ```
 */
export interface AnzuSandboxIdentityInput {
  email?: string;
  /** E.164, e.g. `'+4915112345678'`. */
  phoneNumber?: string;
  fullName?: string;
  givenName?: string;
  familyName?: string;
  /**
   * The auth provider Anzu names: `'email'`, `'google'`, `'github'`, …
   * @defaultValue `'email'`
   */
  provider?: string;
}

/**
 * A 2022 envelope of `kind` around `payload`, as JSON text ready to sign. Also used by the
 * `provisionkit anzu send` command for kinds other than `user_identity_created`.
 */
export function anzuEnvelope(
  kind: string,
  payload: unknown,
  webhookId: string,
  scope: AnzuTeamScope,
  createdAt: string = new Date().toISOString(),
): string {
  return JSON.stringify({ webhookId, version: ENVELOPE_VERSION, createdAt, id: ksuid(), kind, scope, payload });
}

/**
 * Builds the envelope for a new identity `identityId`, as JSON text ready to sign. `fields` has an
 * email or a phone number (the sandbox picks an email when the test gave neither).
 */
export function identityCreatedBody(
  identityId: string,
  fields: AnzuSandboxIdentityInput,
  webhookId: string,
  scope: AnzuTeamScope,
): string {
  const { provider = 'email', ...details } = fields;
  const createdAt = new Date().toISOString();
  return anzuEnvelope(
    ANZU_USER_IDENTITY_CREATED,
    {
      // Anzu's wire value for phone sign-ups is `phone_number` (the guide's prose says `phoneNumber`).
      provisionedWith: details.email === undefined ? 'phone_number' : 'email',
      // The sign-in that created the identity (accepted at once).
      authAttempt: { id: ksuid(), createdAt, acceptedAt: createdAt, ipAddress: '203.0.113.7' },
      // JSON.stringify drops the fields the test left undefined.
      identity: { id: identityId, provider, ...details },
    },
    webhookId,
    scope,
    createdAt,
  );
}
