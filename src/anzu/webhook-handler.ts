/**
 * A ready-made webhook endpoint, `(request: Request) => Promise<Response>`, for any framework
 * that speaks the Fetch API (Hono, Next.js route handlers, Remix, SvelteKit, Workers, Deno, Bun).
 *
 * The client is imported as a type only: an app that receives webhooks without confirming
 * provisioning does not bundle the HTTP client.
 */
import { ProvisionKitError, WebhookPayloadError, WebhookSignatureError } from '../core/errors.js';
import type { AnzuClient } from './client.js';
import { ANZU_DEFAULT_TOLERANCE_SECONDS, ANZU_SIGNATURE_HEADER } from './constants.js';
import { readLimitedBody } from './webhook-body.js';
import { checkWebhookOptions, type OptionRule, toleranceRule } from './webhook-options.js';
import {
  ANZU_PING,
  ANZU_USER_IDENTITY_CREATED,
  type AnzuWebhookEvent,
  type UserIdentityCreatedEvent,
} from './webhook-schema.js';
import { missingSignature, verifyAnzuWebhook } from './webhook-signature.js';

type FailureStage = 'request' | 'signature' | 'payload' | 'callback' | 'confirm';

/**
 * Options of {@link createAnzuWebhookHandler}.
 *
 * @example
 * ```ts
 * const options: AnzuWebhookHandlerOptions = {
 *   secret: env.ANZU_WEBHOOK_SECRET,
 *   client: anzu,
 *   onUserIdentityCreated: async (event) => { await db.users.upsert(event.payload.identity); },
 * };
 * ```
 */
export interface AnzuWebhookHandlerOptions {
  /** The webhook's signing secret from Anzu's webhook settings. */
  secret: string;
  /**
   * When given, provisioning is confirmed (`completeProvisioning(identity.id)`) after
   * `onUserIdentityCreated` succeeds. Give it in Anzu's default "wait on auth page" mode, where
   * the user waits until you confirm; omit it in "redirect immediately" mode. Any object with
   * a `completeProvisioning` method will do (an {@link AnzuClient}, or a fake in tests).
   */
  client?: Pick<AnzuClient, 'completeProvisioning'>;
  /**
   * Creates the user in your app. Make it idempotent (key on `event.payload.identity.id`):
   * Anzu may deliver an event twice, and a failed confirmation makes Anzu deliver it again.
   * If it throws, the handler answers 500 and provisioning is not confirmed.
   */
  onUserIdentityCreated: (event: UserIdentityCreatedEvent) => Promise<void> | void;
  /**
   * Receives every other verified event except `ping` (which is answered 200 at once): the
   * suspended, unsuspended and deleted identity events, and any other kind as
   * `{ kind: 'unknown' }`. If it throws, the handler answers 500. Without it, those events are
   * acknowledged with 200 and dropped.
   */
  onEvent?: (event: AnzuWebhookEvent) => Promise<void> | void;
  /**
   * Largest accepted clock difference in seconds, in either direction.
   * @defaultValue `300`
   */
  toleranceSeconds?: number;
  /**
   * Largest accepted body, in bytes. A larger `Content-Length` is refused before reading; a body
   * without one is counted while it streams and refused once it passes the limit.
   * @defaultValue `1_048_576` (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * Called with the error behind every non-2xx answer, for logs and metrics: a
   * `WebhookSignatureError`, `WebhookPayloadError`, a `ProvisionKitError` (codes
   * `method_not_allowed`, `unsupported_media_type`, `payload_too_large`, `body_already_read`),
   * whatever your callback threw (stage `callback`), or the confirmation's error (stage
   * `confirm`). The SDK's own errors never contain the secret. Its return value and any
   * exception it throws are ignored.
   */
  onError?: (error: unknown, stage: 'request' | 'signature' | 'payload' | 'callback' | 'confirm') => void;
}

/** Default of {@link AnzuWebhookHandlerOptions.maxBodyBytes}: far above any identity event. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Content types let through: Anzu sends `application/json`; `+json` types are JSON too; a
 * missing type (checked apart) and `text/plain` pass because the signature, not the label,
 * proves the body, and `text/plain` is what the Fetch API gives a string body by default. Form
 * and multipart bodies are refused: a framework may already have parsed them, and they cannot
 * be Anzu's JSON.
 */
const ACCEPTED_TYPE = /^(application\/json|text\/plain|.*\+json)$/i;

/**
 * Creates a Fetch API webhook endpoint for Anzu.
 *
 * For each request, in order:
 * - not `POST` → 405 (with `Allow: POST`);
 * - a `Content-Type` that cannot carry Anzu's JSON (a form, multipart, XML, …) → 415. Accepted:
 *   `application/json` and any `+json` type (any charset), `text/plain` (what
 *   `new Request(url, { body: 'a string' })` gets by default, so signed test requests work) and none;
 * - no `anzu-signature` header → 401;
 * - body over `maxBodyBytes` → 413, without buffering it;
 * - body already read by a framework (`request.bodyUsed`) → 500 `body_already_read`;
 * - bad, stale or future signature → 401; valid signature but not a valid event → 400;
 * - `ping` → 200;
 * - `user_identity_created` → `onUserIdentityCreated`, then (with `client`) `completeProvisioning`;
 *   either failing → 500, so that Anzu records a failed delivery; else 200;
 * - any other kind → `onEvent` (500 if it throws), else 200.
 *
 * Bodies are small JSON: `{"ok":true}` or `{"error":"<code>"}`. They never contain the secret,
 * a stack trace, or the message of an error your callback threw (use `onError` to log those).
 *
 * Express parses bodies before route handlers see them; mount the route with
 * `express.raw({ type: 'application/json' })` and build a `Request` from `req.body` (a Buffer),
 * or use {@link verifyAnzuWebhook} directly.
 *
 * @throws {@link ValidationError} at creation, naming every missing or invalid option.
 *
 * @example
 * ```ts
 * import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
 *
 * const handler = createAnzuWebhookHandler({
 *   secret: process.env.ANZU_WEBHOOK_SECRET!,
 *   client: AnzuClient.fromEnv(),
 *   onUserIdentityCreated: async (event) => {
 *     await db.users.upsert({ anzuId: event.payload.identity.id, email: event.payload.identity.email });
 *   },
 * });
 * app.post('/webhooks/anzu', (c) => handler(c.req.raw)); // Hono
 * ```
 */
export function createAnzuWebhookHandler(options: AnzuWebhookHandlerOptions): (request: Request) => Promise<Response> {
  const { secret, client, onUserIdentityCreated, onEvent, onError } = options ?? ({} as AnzuWebhookHandlerOptions);
  const toleranceSeconds = options?.toleranceSeconds ?? ANZU_DEFAULT_TOLERANCE_SECONDS;
  const maxBodyBytes = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const callback = (path: string, value: unknown, optional = true): OptionRule => [
    path,
    typeof value === 'function' || (optional && value === undefined),
    'must be a function',
  ];
  checkWebhookOptions('createAnzuWebhookHandler', secret, [
    callback('onUserIdentityCreated', onUserIdentityCreated, false),
    callback('onEvent', onEvent),
    callback('onError', onError),
    [
      'client',
      client === undefined || typeof client?.completeProvisioning === 'function',
      'must have completeProvisioning()',
    ],
    toleranceRule(toleranceSeconds),
    ['maxBodyBytes', Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 1, 'must be an integer >= 1'],
  ]);

  /** Answers `{"error": code}` and tells `onError` why; the hook cannot change the answer. */
  const fail = (status: number, code: string, error: unknown, stage: FailureStage, headers?: HeadersInit) => {
    // Observability must never change the answer: the async wrapper still calls the hook at
    // once, and turns both its throw and its rejected promise into one rejection, swallowed.
    (async () => onError?.(error, stage))().catch(() => {});
    return Response.json({ error: code }, { status, headers });
  };
  const refuse = (status: number, code: string, message: string, headers?: HeadersInit) =>
    fail(status, code, new ProvisionKitError(code, message), 'request', headers);

  return async (request: Request): Promise<Response> => {
    const { headers } = request;
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'only POST is allowed', { Allow: 'POST' });
    const type = headers.get('content-type');
    if (type !== null && !ACCEPTED_TYPE.test((type.split(';', 1)[0] as string).trim())) {
      return refuse(415, 'unsupported_media_type', 'expected application/json');
    }
    const signature = headers.get(ANZU_SIGNATURE_HEADER);
    if (!signature?.trim()) return fail(401, 'missing_signature', missingSignature(), 'signature');
    if (request.bodyUsed) {
      return refuse(500, 'body_already_read', 'body already read: use express.raw() in Express');
    }
    let body: Uint8Array | undefined;
    try {
      body = await readLimitedBody(request, maxBodyBytes);
    } catch (error) {
      // The sender went away or the stream broke mid-body.
      return fail(400, 'body_unreadable', error, 'request');
    }
    if (body === undefined) return refuse(413, 'payload_too_large', `body over ${maxBodyBytes} bytes`);

    // Where a failure came from decides the answer: see the table in the TSDoc above.
    let stage: FailureStage = 'signature';
    try {
      const event = await verifyAnzuWebhook({ payload: body, signature, secret, toleranceSeconds });
      stage = 'callback';
      if (event.kind === ANZU_USER_IDENTITY_CREATED) {
        await onUserIdentityCreated(event);
        stage = 'confirm';
        await client?.completeProvisioning(event.payload.identity.id);
      } else if (event.kind !== ANZU_PING) {
        await onEvent?.(event);
      }
      return Response.json({ ok: true });
    } catch (error) {
      // The callback's or the confirmation's failure: callback_failed, confirm_failed.
      if (stage !== 'signature') return fail(500, `${stage}_failed`, error, stage);
      if (WebhookSignatureError.is(error)) return fail(401, error.code, error, stage);
      if (WebhookPayloadError.is(error)) return fail(400, error.code, error, 'payload');
      return fail(500, 'internal_error', error, 'request');
    }
  };
}
