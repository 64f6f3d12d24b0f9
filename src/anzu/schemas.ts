/**
 * `provisionkit/anzu/schemas`: zod/mini schemas of Anzu's webhook wire format, for an app that
 * composes its own validation with zod (a queue consumer re-checking a stored event, a tRPC
 * input). Not needed to receive webhooks: `parseAnzuWebhook` from `provisionkit/anzu` checks the same format
 * without zod, so the other entry points never bundle it. Importing this entry adds zod's
 * runtime (about 4.5 KiB min+gzip).
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini';
 * import { anzuEnvelopeSchema } from 'provisionkit/anzu/schemas';
 *
 * const envelope = z.parse(anzuEnvelopeSchema, JSON.parse(storedBody));
 * ```
 *
 * @module anzu/schemas
 */
export * from './webhook-schema.js';
