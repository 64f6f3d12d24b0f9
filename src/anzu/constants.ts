/** Provider values for Anzu, each in one place. See the README's 'Provider facts' section for their sources. */

/**
 * Anzu's API base; the API version is a path segment.
 *
 * @example
 * ```ts
 * new AnzuClient({ ...scope, accessToken, baseUrl: ANZU_DEFAULT_BASE_URL });
 * ```
 */
export const ANZU_DEFAULT_BASE_URL = 'https://api.anzuhq.com/2022.8';

/**
 * The header carrying a webhook's signature.
 *
 * @example
 * ```ts
 * const signature = request.headers.get(ANZU_SIGNATURE_HEADER);
 * ```
 */
export const ANZU_SIGNATURE_HEADER = 'anzu-signature';

/**
 * Default replay window, applied to past and future timestamps alike. Anzu's own SDK rejects
 * timestamps older than 300 s; we also reject ones more than 300 s ahead (a skewed or forged clock).
 *
 * @example
 * ```ts
 * await verifyAnzuWebhook({ payload, signature, secret, toleranceSeconds: ANZU_DEFAULT_TOLERANCE_SECONDS });
 * ```
 */
export const ANZU_DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * **Assumed.** Anzu documents the error codes (`NOT_FOUND`, `RATE_LIMIT`, `INVALID`,
 * `NOT_ALLOWED`) but not the statuses it sends them with; this is our reading, used only
 * by the sandbox to answer like Anzu would.
 *
 * @example
 * ```ts
 * ANZU_ERROR_STATUS.NOT_FOUND; // 404
 * ```
 */
export const ANZU_ERROR_STATUS = { NOT_FOUND: 404, RATE_LIMIT: 429, INVALID: 400, NOT_ALLOWED: 403 } as const;
