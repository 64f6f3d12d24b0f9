/**
 * The parser's own description of the webhook wire format: the same rules as the zod/mini
 * schemas in webhook-schema.ts, as plain data. The parser validates with these (compiled by
 * webhook-conforms.ts), so verifying and parsing a webhook does not bundle zod's runtime; the
 * zod schemas are exported from `provisionkit/anzu/schemas` for apps that compose them. A test derives a shape from each zod
 * schema and checks that it equals the one here, so the two cannot drift apart.
 */

/**
 * A wire type: a string, a boolean, anything present (`unknown`), an optional or nullable
 * inner shape, or a loose object (unknown keys kept) with these fields.
 */
export type Shape =
  | 'string'
  | 'boolean'
  | 'unknown'
  | { readonly optional: Shape }
  | { readonly nullable: Shape }
  | { readonly loose: { readonly [field: string]: Shape } };

const optionalString: Shape = { optional: 'string' };
const optionalNullableString: Shape = { optional: { nullable: 'string' } };

/** `anzuIdentitySchema`. */
export const identityShape: Shape = {
  loose: {
    id: 'string',
    provider: 'string',
    email: optionalString,
    phoneNumber: optionalString,
    fullName: optionalString,
    name: optionalString,
    givenName: optionalString,
    familyName: optionalString,
    userName: optionalString,
    avatarUrl: optionalString,
    primaryIdentity: optionalString,
  },
};

/** `anzuAuthAttemptSchema`. */
export const authAttemptShape: Shape = {
  loose: {
    id: optionalString,
    createdAt: optionalString,
    acceptedAt: optionalNullableString,
    ipAddress: optionalNullableString,
    userAgent: optionalNullableString,
    redirectUri: optionalNullableString,
    referrer: optionalNullableString,
  },
};

/** `anzuUserIdentityCreatedPayloadSchema`. */
export const createdPayloadShape: Shape = {
  loose: {
    provisionedWith: 'string',
    identity: identityShape,
    authAttempt: { optional: { nullable: authAttemptShape } },
    isSecondaryIdentity: { optional: 'boolean' },
  },
};

/** `anzuScopeSchema`. */
export const scopeShape: Shape = {
  loose: { environmentId: 'string', teamId: optionalString, projectId: optionalString, workspaceId: optionalString },
};

/** `anzuEnvelopeSchema`. */
export const envelopeShape: Shape = {
  loose: {
    id: 'string',
    kind: 'string',
    createdAt: optionalString,
    version: optionalString,
    webhookId: optionalString,
    delivery: { optional: { loose: { webhookId: 'string', deliveryId: 'string' } } },
    scope: { optional: scopeShape },
    actor: { optional: { loose: { kind: 'string', id: optionalString } } },
    resource: { optional: { loose: { kind: 'string', id: 'string' } } },
    payload: { optional: 'unknown' },
  },
};
