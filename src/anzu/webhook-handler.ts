/**
 * A ready-made webhook endpoint, `(request: Request) => Promise<Response>`, for any framework
 * that speaks the Fetch API (Hono, Next.js route handlers, Remix, SvelteKit, Workers, Deno, Bun).
 *
 * The client is imported as a type only: an app that receives webhooks without confirming
 * provisioning does not bundle the HTTP client.
 */
import { ProvisionKitError, TimeoutError, WebhookPayloadError, WebhookSignatureError } from '../core/errors.js';
import type { AnzuClient, AnzuScope } from './client.js';
import { ANZU_DEFAULT_TOLERANCE_SECONDS, ANZU_SIGNATURE_HEADER } from './constants.js';
import { readLimitedBody } from './webhook-body.js';
import {
  type AnzuWebhookIdempotencyOptions,
  type EventClaim,
  eventClaims,
  idempotencyRules,
} from './webhook-idempotency.js';
import { ANZU_PING, ANZU_USER_IDENTITY_CREATED } from './webhook-kinds.js';
import { checkWebhookOptions, type OptionRule, toleranceRule } from './webhook-options.js';
import { missingSignature, verifyAnzuWebhook } from './webhook-signature.js';
import type {
  AnzuTeamScope,
  AnzuWebhookEvent,
  AnzuWebhookScope,
  AnzuWorkspaceScope,
  UserIdentityCreatedEvent,
} from './webhook-types.js';

/**
 * Where a failed delivery failed, as {@link AnzuWebhookHandlerOptions.onError} is told.
 *
 * @example
 * ```ts
 * const onError = (error: unknown, stage: AnzuWebhookFailureStage) => log.warn({ stage, error });
 * ```
 */
export type AnzuWebhookFailureStage = 'request' | 'signature' | 'payload' | 'store' | 'callback' | 'confirm';

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
  /**
   * The webhook's signing secret from Anzu's webhook settings; during a rotation, several
   * (`[newSecret, oldSecret]`): a signature matching any of them is valid.
   */
  secret: string | readonly string[];
  /**
   * When given, provisioning is confirmed (`completeProvisioning(identity.id, { scope })`) after
   * `onUserIdentityCreated` succeeds, in the scope the verified event carries (so one endpoint
   * serves several environments), else in the client's own. Give it in Anzu's default "wait on
   * auth page" mode, where the user waits until you confirm; omit it in "redirect immediately"
   * mode. Any object with a `completeProvisioning` method will do (an {@link AnzuClient}, or a
   * fake in tests).
   */
  client?: Pick<AnzuClient, 'completeProvisioning'>;
  /**
   * Creates the user in your app. Make it idempotent (key on `event.payload.identity.id`):
   * Anzu may deliver an event twice, and a failed confirmation makes Anzu deliver it again.
   * If it throws, the handler answers 500 and provisioning is not confirmed. With `idempotency`
   * it runs successfully at most once per event, but keep it an upsert all the same (see there).
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
   * Time allowed to receive the whole body, in milliseconds. A body still incomplete then is
   * answered `408 {"error":"body_timeout"}` and its stream cancelled; nothing is verified or
   * called. (A request whose `signal` aborts while its body is read is answered
   * `400 {"error":"request_aborted"}`, likewise untouched; the sender is gone by then anyway.)
   * @defaultValue `10_000`
   */
  bodyTimeoutMs?: number;
  /**
   * Time allowed for the confirmation, retries included, in milliseconds. Past it the call is
   * aborted and the answer is `500 {"error":"confirm_failed"}` (with `idempotency`, the claim is
   * released), so that the delivery fails inside the sender's own delivery timeout (typically
   * 10 to 15 s) and is redelivered, instead of being cut off while the client still retries.
   * @defaultValue `5_000`
   */
  confirmTimeoutMs?: number;
  /**
   * Exactly-once effects across processes: each event is claimed in `store` before any callback
   * and marked done after the callbacks and the confirmation succeeded. Answers: a done event →
   * `200 {"ok":true,"duplicate":true}` (nothing runs); an event another delivery is working on →
   * `409 {"error":"in_progress"}` with `Retry-After`; a failed callback or confirmation releases
   * the claim (only this delivery's own) → `500`; a failing store → `503 {"error":"store_unavailable"}`,
   * nothing runs. `ping` is never claimed, and invalid requests never touch the store.
   *
   * Guaranteed: while an event's done-mark lives (`ttlSeconds`), its callback completes
   * successfully at most once across every process sharing the store, and a failed attempt never
   * blocks a later one for longer than `lockSeconds`. Not guaranteed: a process that dies (or a
   * store that fails) after your callback succeeded but before the done-mark is written leaves
   * the event to run again on redelivery; and a callback running longer than `lockSeconds` can
   * overlap a redelivery. So keep the callback an upsert keyed on the identity id.
   */
  idempotency?: AnzuWebhookIdempotencyOptions;
  /**
   * Called with the error behind every non-2xx answer, for logs and metrics: a
   * `WebhookSignatureError`, `WebhookPayloadError`, a `ProvisionKitError` (codes
   * `method_not_allowed`, `unsupported_media_type`, `payload_too_large`, `body_already_read`,
   * `body_timeout`, `request_aborted`), whatever your callback threw (stage `callback`), the
   * confirmation's error (stage `confirm`; a `TimeoutError` past `confirmTimeoutMs`), or, stage
   * `store`, what the idempotency store threw or a `ProvisionKitError` `in_progress` (409). A
   * store failure while releasing a claim or writing the done-mark is reported too, though the
   * answer stays the one the delivery earned (500, or 200 since the work did succeed). The SDK's
   * own errors never contain the secret. Its return value and any exception it throws are ignored.
   */
  onError?: (error: unknown, stage: AnzuWebhookFailureStage) => void;
}

/** Default of {@link AnzuWebhookHandlerOptions.maxBodyBytes}: far above any identity event. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/**
 * Default of {@link AnzuWebhookHandlerOptions.confirmTimeoutMs}: well inside the 10 to 15 s that
 * webhook senders commonly wait for an answer (Anzu does not document its own), leaving room for
 * the callback. Without it, the client's defaults (10 s per attempt, 3 attempts, backoff) could
 * hold a delivery for about 31 s against a hanging API.
 */
const DEFAULT_CONFIRM_TIMEOUT_MS = 5_000;
/** `setTimeout` cannot wait longer. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The event's scope in the shape the client takes. Rebuilt rather than passed on: the parsed
 * scope keeps unknown fields, and the workspace form wins if both forms are present.
 */
function confirmScope(scope: AnzuWebhookScope | undefined): AnzuScope | undefined {
  if (!scope) return undefined;
  const { teamId, projectId, workspaceId, environmentId } = scope as Partial<AnzuTeamScope & AnzuWorkspaceScope>;
  return (
    typeof workspaceId === 'string' ? { workspaceId, environmentId } : { teamId, projectId, environmentId }
  ) as AnzuScope;
}

/**
 * Runs `run` with a signal that aborts after `ms`, and rejects with a `TimeoutError` then even
 * if `run` ignores the signal (a fake client, a wrapper that drops it).
 */
async function within(ms: number, run: (signal: AbortSignal) => Promise<unknown> | undefined): Promise<void> {
  const controller = new AbortController();
  const expired = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
  });
  const timer = setTimeout(() => controller.abort(new TimeoutError(ms, 'confirmation')), ms);
  try {
    await Promise.race([run(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

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
 * - body over `maxBodyBytes` → 413, without buffering it; not received within `bodyTimeoutMs` →
 *   408 `body_timeout`; `request.signal` aborted while reading → 400 `request_aborted`;
 * - body already read by a framework (`request.bodyUsed`) → 500 `body_already_read`;
 * - bad, stale or future signature → 401; valid signature but not a valid event → 400;
 * - `ping` → 200;
 * - with `idempotency`: event already done → 200 `{"ok":true,"duplicate":true}`; claimed by
 *   another delivery → 409 `in_progress` with `Retry-After`; store failing → 503 `store_unavailable`;
 * - `user_identity_created` → `onUserIdentityCreated`, then (with `client`) `completeProvisioning`
 *   in the event's own scope, bounded by `confirmTimeoutMs`; either failing → 500 (the claim
 *   released), so that Anzu records a failed delivery; else 200;
 * - any other kind → `onEvent` (500 if it throws), else 200.
 *
 * A delivery takes at most `bodyTimeoutMs` + your callback + `confirmTimeoutMs` (+ the store's
 * round trips): with the defaults, 15 s plus your callback; in practice, as Anzu sends its small
 * body at once, your callback plus at most 5 s.
 *
 * Bodies are small JSON: `{"ok":true}` or `{"error":"<code>"}`. They never contain the secret,
 * a stack trace, or the message of an error your callback threw (use `onError` to log those).
 *
 * On Node servers (Express, Fastify, Koa, `node:http`), serve it with `toNodeHandler` from
 * `provisionkit/node`, which hands it the raw bytes.
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
  const bodyTimeoutMs = options?.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const confirmTimeoutMs = options?.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
  const idempotency = options?.idempotency;
  const milliseconds = (path: string, value: number): OptionRule => [
    path,
    Number.isSafeInteger(value) && value >= 1 && value <= MAX_TIMER_MS,
    `must be an integer from 1 to ${MAX_TIMER_MS}`,
  ];
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
    milliseconds('bodyTimeoutMs', bodyTimeoutMs),
    milliseconds('confirmTimeoutMs', confirmTimeoutMs),
    ['idempotency', idempotency === undefined || typeof idempotency === 'object', 'must be an object'],
    ...idempotencyRules(idempotency ?? undefined),
  ]);
  const claimEvent = idempotency ? eventClaims(idempotency) : undefined;

  /** Answers `{"error": code}` and tells `onError` why; the hook cannot change the answer. */
  // Observability must never change the answer: the async wrapper still calls the hook at
  // once, and turns both its throw and its rejected promise into one rejection, swallowed.
  const report = (error: unknown, stage: AnzuWebhookFailureStage) => {
    (async () => onError?.(error, stage))().catch(() => {});
  };
  const fail = (
    status: number,
    code: string,
    error: unknown,
    stage: AnzuWebhookFailureStage,
    headers?: HeadersInit,
  ) => {
    report(error, stage);
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
      return refuse(500, 'body_already_read', 'body already read: use toNodeHandler or express.raw()');
    }
    let body: Uint8Array | string;
    try {
      body = await readLimitedBody(request, maxBodyBytes, bodyTimeoutMs);
    } catch (error) {
      // The sender went away or the stream broke mid-body.
      return fail(400, 'body_unreadable', error, 'request');
    }
    if (body === 'too_large') return refuse(413, 'payload_too_large', `body over ${maxBodyBytes} bytes`);
    if (body === 'timeout') return refuse(408, 'body_timeout', `body not received within ${bodyTimeoutMs} ms`);
    if (body === 'aborted') return refuse(400, 'request_aborted', 'the request was aborted while its body was read');

    // Where a failure came from decides the answer: see the table in the TSDoc above.
    let stage: AnzuWebhookFailureStage = 'signature';
    let claim: EventClaim | undefined;
    try {
      const event = await verifyAnzuWebhook({ payload: body, signature, secret, toleranceSeconds });
      if (event.kind === ANZU_PING) return Response.json({ ok: true });
      if (claimEvent) {
        stage = 'store';
        claim = await claimEvent(event.id);
        if (claim.state === 'done') return Response.json({ ok: true, duplicate: true });
        if (claim.state === 'busy') {
          const busy = new ProvisionKitError('in_progress', 'another delivery of this event is being handled');
          return fail(409, 'in_progress', busy, 'store', { 'Retry-After': String(claim.retryAfterSeconds) });
        }
      }
      stage = 'callback';
      if (event.kind === ANZU_USER_IDENTITY_CREATED) {
        await onUserIdentityCreated(event);
        stage = 'confirm';
        const { id } = event.payload.identity;
        const scope = confirmScope(event.scope);
        if (client) await within(confirmTimeoutMs, (signal) => client.completeProvisioning(id, { scope, signal }));
      } else {
        await onEvent?.(event);
      }
    } catch (error) {
      if (stage === 'store') return fail(503, 'store_unavailable', error, stage);
      if (stage !== 'signature') {
        // A redelivery must be able to run everything again: free the claim, if still ours.
        if (claim?.state === 'claimed') await claim.release().catch((failure) => report(failure, 'store'));
        // The callback's or the confirmation's failure: callback_failed, confirm_failed.
        return fail(500, `${stage}_failed`, error, stage);
      }
      if (WebhookSignatureError.is(error)) return fail(401, error.code, error, stage);
      if (WebhookPayloadError.is(error)) return fail(400, error.code, error, 'payload');
      return fail(500, 'internal_error', error, 'request');
    }
    // The work succeeded: a failing done-mark is reported, but answering 503 would only make the
    // sender redeliver, and run the callback again once the claim expires.
    if (claim?.state === 'claimed') await claim.markDone().catch((failure) => report(failure, 'store'));
    return Response.json({ ok: true });
  };
}
