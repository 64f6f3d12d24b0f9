/**
 * The one place requests leave the SDK (`Transport`; `HttpClient` in http.ts adds reading
 * the response body, which the Anzu client does not need and so does not bundle). Built on ky for its retry engine (backoff,
 * Retry-After, per-attempt timeouts), with our policy on top:
 *
 * - only requests the caller marks `idempotent` are retried: a signup POST is never sent
 *   twice by the transport (the 401-refresh resend lives in the Wristband client, on purpose);
 * - retried on network errors, timeouts, 408/429/500/502/503/504, with exponential backoff
 *   and ±20 % jitter (so delays still grow), `Retry-After` honoured up to 30 s; a server that
 *   asks for longer gets its error thrown at once rather than a stalled request;
 * - every failure becomes a typed error, with secrets scrubbed and the request (which holds
 *   the `Authorization` header) left behind;
 * - a caller's aborted `signal` rejects with the signal's reason, like `fetch`;
 * - redirects are never followed (`redirect: 'manual'`): a 3xx is an `ApiError`, and the
 *   request, with its bearer token and body, never reaches the `Location`;
 * - `onRequest` / `onResponse` see each attempt (observe.ts).
 */
import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance, type Options, type RetryOptions } from 'ky';
import { ApiError, type FieldViolations, NetworkError, type Provider, TimeoutError } from './errors.js';
import { CALL_OPTION, type CallState, observedFetch } from './observe.js';
import type { ResolvedTransport } from './options.js';
import { cancelQuietly } from './read-limited.js';
import { redact } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import { USER_AGENT } from './version.js';

/** Longest `Retry-After` the SDK waits for; longer requests fail at once with the `ApiError`. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** Statuses worth another attempt of an idempotent request. */
export const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504] as const;
/** Upper bound of one backoff delay. */
const BACKOFF_LIMIT_MS = 8_000;

/** What a provider's error body says, read by the provider's own parser. */
export interface ProviderErrorDetails {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  violations?: FieldViolations | undefined;
}

export interface HttpClientConfig extends ResolvedTransport {
  provider: Provider;
  /** Reads the provider's error shape; gets the body already scrubbed of secrets. */
  describeError: (status: number, body: unknown) => ProviderErrorDetails;
}

export interface HttpRequest {
  method: 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: string | URLSearchParams;
  /** Safe to send again: retried on transient failures. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Strings that must not survive into any error (tokens, client secret, password). */
  secrets: readonly string[];
  /** Extra advice appended to the message of an `ApiError` with this status. */
  hint?: ((status: number) => string | undefined) | undefined;
}

const jitter = (delay: number) => delay * (0.8 + Math.random() * 0.4);

/** One per client: holds the ky instance so per-call work stays small. */
export class Transport {
  protected readonly config: HttpClientConfig;
  readonly #ky: KyInstance;
  readonly #retry: RetryOptions;
  readonly #observed: boolean;

  constructor(config: HttpClientConfig) {
    this.config = config;
    this.#retry = {
      limit: config.retries,
      // Which requests may repeat is decided per call (`idempotent`), not by method.
      methods: ['patch', 'post'],
      statusCodes: [...RETRY_STATUS_CODES],
      afterStatusCodes: [...RETRY_STATUS_CODES],
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      backoffLimit: BACKOFF_LIMIT_MS,
      retryOnTimeout: true,
      jitter,
      shouldRetry: ({ error }) => {
        if (isHTTPError(error)) {
          const wait = parseRetryAfter(error.response.headers.get('retry-after'));
          // `false` stops ky; `undefined` leaves the decision to its default rules.
          return (wait ?? 0) > MAX_RETRY_AFTER_MS ? false : undefined;
        }
        // fetch reports every network failure as a TypeError; ky only recognises the
        // messages of the runtimes it knows, and a custom fetch may word it otherwise.
        return error instanceof TypeError || undefined;
      },
    };
    const fetch = observedFetch(config.fetch, config, config.provider, config.timeoutMs);
    this.#observed = fetch !== config.fetch;
    this.#ky = ky.create({ fetch, timeout: config.timeoutMs, redirect: 'manual' });
  }

  /** Sends `request` (with retries when idempotent) and returns the 2xx response, its body unread. */
  async request(request: HttpRequest): Promise<Response> {
    const { provider, timeoutMs } = this.config;
    const options: Options & { [CALL_OPTION]?: CallState } = {
      method: request.method,
      // Sent with the call's own headers rather than as ky defaults: ky merges default headers
      // into new Headers objects on every request, which measurably slows a loopback call.
      headers: { 'user-agent': USER_AGENT, ...request.headers },
      body: request.body,
      signal: request.signal,
      retry: request.idempotent ? this.#retry : 0,
    };
    if (this.#observed) {
      options[CALL_OPTION] = {
        method: request.method,
        url: redact(request.url, request.secrets),
        attempts: 0,
        signal: request.signal,
        networkError: (cause) => this.#networkError(cause, request),
      };
    }
    let response: Response;
    try {
      response = await this.#ky(request.url, options);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (isHTTPError(error)) throw this.#apiError(error.response.status, error.data, request);
      if (isTimeoutError(error)) throw new TimeoutError(timeoutMs, `${provider} request`);
      if (isNetworkError(error)) throw this.#networkError(error.cause, request);
      if (error instanceof TypeError) throw this.#networkError(error, request);
      throw error;
    }
    // A custom `fetch` (or a browser's opaque redirect) may hand back a 3xx that ky counts as
    // a success: a redirect is never one.
    if (response.status < 200 || response.status > 299) {
      cancelQuietly(response.body);
      throw this.#apiError(response.status, undefined, request);
    }
    return response;
  }

  #networkError(cause: unknown, request: HttpRequest): NetworkError {
    const message = redact(`Could not reach ${this.config.provider}: ${cause}`, request.secrets);
    return new NetworkError(message, safeCause(cause, request));
  }

  #apiError(status: number, data: unknown, request: HttpRequest): ApiError {
    const { provider, describeError } = this.config;
    const body = redact(data, request.secrets);
    const details = describeError(status, body);
    const name = provider === 'anzu' ? 'Anzu' : 'Wristband';
    let message = `${name} answered ${status}`;
    if (details.code) message += ` (${details.code})`;
    if (details.message) message += `: ${details.message}`;
    // Status 0: a browser's opaque redirect, whose real status is hidden.
    const redirect = status === 0 || (status >= 300 && status < 400);
    const hint = redirect ? 'Redirects are not followed' : request.hint?.(status);
    if (hint) message += `. ${hint}`;
    return new ApiError({
      provider,
      status,
      code: details.code || (status === 0 ? 'http_3xx' : undefined),
      message: redact(message, request.secrets),
      requestId: details.requestId,
      violations: details.violations,
      body,
    });
  }
}

/**
 * The fetch error to keep as `cause`. Runtimes' own errors hold no headers, but a custom
 * `fetch` might quote the request: then a scrubbed copy is kept instead, since `cause` is
 * printed by `console.error` and `util.inspect` even though it is not enumerable.
 */
export function safeCause(cause: unknown, request: HttpRequest): unknown {
  const text = cause instanceof Error ? `${cause.message}\n${cause.stack}` : String(cause);
  if (redact(text, request.secrets) === text) return cause;
  const copy = new Error(redact(cause instanceof Error ? cause.message : text, request.secrets));
  if (cause instanceof Error) copy.name = cause.name;
  return copy;
}
