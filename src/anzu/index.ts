/**
 * `provisionkit/anzu`: confirm provisioning of Anzu user identities, and receive Anzu's
 * signed webhooks. The webhook functions do not import the HTTP client, so an app that
 * only verifies webhooks does not bundle it.
 *
 * @module anzu
 */

export * from '../core/public.js';
export {
  AnzuClient,
  type AnzuClientOptions,
  type AnzuScope,
  type AnzuScopeOptions,
  type CompleteProvisioningOptions,
} from './client.js';
export * from './constants.js';
export {
  type AnzuWebhookFailureStage,
  type AnzuWebhookHandlerOptions,
  createAnzuWebhookHandler,
} from './webhook-handler.js';
export type { AnzuWebhookIdempotencyOptions } from './webhook-idempotency.js';
export { parseAnzuWebhook, safeParseAnzuWebhook } from './webhook-parse.js';
export {
  type SignAnzuWebhookOptions,
  signAnzuWebhook,
  type VerifyAnzuWebhookOptions,
  verifyAnzuWebhook,
} from './webhook-signature.js';
export * from './webhook-types.js';
