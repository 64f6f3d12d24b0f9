/**
 * The kinds of Anzu's webhook events: the parser, the handler and the sandboxes need them, in
 * one place that imports nothing.
 */

/** Shared start of the identity kinds (written once: minifiers do not shorten strings). */
const IDENTITY_KIND = 'user_management.user_identity_';

/**
 * Kind of the event sent when a user signs up through Anzu's hosted page:
 * `'user_management.user_identity_created'`. Confirm provisioning of `payload.identity.id` after
 * handling it.
 *
 * @example
 * ```ts
 * if (event.kind === ANZU_USER_IDENTITY_CREATED) await createUser(event.payload.identity);
 * ```
 */
export const ANZU_USER_IDENTITY_CREATED = `${IDENTITY_KIND}created` as const;

/**
 * Kind spelling of Anzu's 2022 example code, `'blocks.user_management.user_identity_created'`.
 * {@link parseAnzuWebhook} reads it as {@link ANZU_USER_IDENTITY_CREATED}, so handlers only ever
 * see the current spelling.
 *
 * @example
 * ```ts
 * parseAnzuWebhook({ ...body, kind: ANZU_LEGACY_USER_IDENTITY_CREATED }).kind; // 'user_management.user_identity_created'
 * ```
 */
export const ANZU_LEGACY_USER_IDENTITY_CREATED = `blocks.${ANZU_USER_IDENTITY_CREATED}` as const;

/**
 * Kind of the event sent when an identity is suspended in Anzu:
 * `'user_management.user_identity_suspended'`.
 *
 * @example
 * ```ts
 * if (event.kind === ANZU_USER_IDENTITY_SUSPENDED) await lockOut(event);
 * ```
 */
export const ANZU_USER_IDENTITY_SUSPENDED = `${IDENTITY_KIND}suspended` as const;

/**
 * Kind of the event sent when a suspended identity is reinstated:
 * `'user_management.user_identity_unsuspended'`.
 *
 * @example
 * ```ts
 * if (event.kind === ANZU_USER_IDENTITY_UNSUSPENDED) await unlock(event);
 * ```
 */
export const ANZU_USER_IDENTITY_UNSUSPENDED = `${IDENTITY_KIND}unsuspended` as const;

/**
 * Kind of the event sent when an identity is deleted in Anzu:
 * `'user_management.user_identity_deleted'`.
 *
 * @example
 * ```ts
 * if (event.kind === ANZU_USER_IDENTITY_DELETED) await removeUser(event);
 * ```
 */
export const ANZU_USER_IDENTITY_DELETED = `${IDENTITY_KIND}deleted` as const;

/**
 * Kind of the test delivery Anzu sends to check an endpoint. The handler answers it with 200.
 *
 * @example
 * ```ts
 * if (event.kind === ANZU_PING) return new Response(null, { status: 200 });
 * ```
 */
export const ANZU_PING = 'ping';
