/**
 * The `onRequest` / `onResponse` hooks, called once per attempt. They wrap the `fetch` given to
 * ky, since ky calls `fetch` exactly once per attempt (retries included); the call's state
 * reaches the wrapper as an extra ky option, which ky hands to `fetch` as part of its `init`.
 * The wrapper exists only when a hook is given, so a client without hooks pays nothing.
 */
import { type NetworkError, type Provider, type ProvisionKitError, TimeoutError } from './errors.js';

/**
 * What `onRequest` gets, once per attempt: never a header or a body, and the URL holds no secret.
 * Also exported as `RequestInfo` (the contract's name; it shadows the DOM type of that name
 * in a module that imports it).
 *
 * @example
 * ```ts
 * const onRequest = (info: ProvisionKitRequestInfo) => console.log(info.method, info.url, `attempt ${info.attempt}`);
 * ```
 */
export interface ProvisionKitRequestInfo {
  provider: Provider;
  /** `POST`, `PATCH`. */
  method: string;
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/**
 * What `onResponse` gets when an attempt ends: the same object `onRequest` got for that attempt,
 * completed (so it can key a `WeakMap`). Either `status` (the server answered; a non-2xx is
 * not an `error` here) or `error` (no answer: `NetworkError` or `TimeoutError`); neither when
 * the caller's signal cut the attempt short. Also exported as `ResponseInfo`.
 *
 * @example
 * ```ts
 * const onResponse = (info: ProvisionKitResponseInfo) =>
 *   console.log(info.url, info.status ?? info.error?.code, `${info.durationMs.toFixed(0)} ms`);
 * ```
 */
export interface ProvisionKitResponseInfo extends ProvisionKitRequestInfo {
  /** The HTTP status of the answer (0 for a browser's opaque redirect). */
  status?: number;
  /** From handing the request to `fetch` to the response headers (or the failure). */
  durationMs: number;
  /** Why the attempt got no answer. */
  error?: ProvisionKitError;
}

/**
 * Hooks observing each attempt. What they return or throw never changes the call: they are
 * not awaited, and a throw or a rejection is swallowed.
 *
 * @example
 * ```ts
 * const hooks: ObservabilityHooks = {
 *   onResponse: (info) => metrics.histogram('provider_ms', info.durationMs, { provider: info.provider }),
 * };
 * new AnzuClient({ ...options, ...hooks });
 * ```
 */
export interface ObservabilityHooks {
  /** Called as each attempt is sent. */
  onRequest?: ((info: ProvisionKitRequestInfo) => unknown) | undefined;
  /** Called as each attempt ends, with the object `onRequest` got, completed. */
  onResponse?: ((info: ProvisionKitResponseInfo) => unknown) | undefined;
}

/** The ky option carrying a call's {@link CallState} to the wrapped `fetch`. */
export const CALL_OPTION = 'provisionkitCall';

/** One call as the hooks see it. */
export interface CallState {
  method: string;
  /** Already redacted. */
  url: string;
  attempts: number;
  signal?: AbortSignal | undefined;
  /** The scrubbed `NetworkError` of a fetch failure, for the hook. */
  networkError: (cause: unknown) => NetworkError;
}

/** Calls a hook without letting it affect the call. */
function notify<T>(hook: ((info: T) => unknown) | undefined, info: T): void {
  try {
    // Promise.resolve also turns a throwing `then` getter into a rejection, swallowed here.
    Promise.resolve(hook?.(info)).catch(() => {});
  } catch {}
}

/** `fetch` reporting each attempt to the hooks; the identity when there are none. */
export function observedFetch(
  fetch: typeof globalThis.fetch,
  { onRequest, onResponse }: ObservabilityHooks,
  provider: Provider,
  timeoutMs: number,
): typeof globalThis.fetch {
  if (!onRequest && !onResponse) return fetch;
  return async (input, init) => {
    const { [CALL_OPTION]: call, ...rest } = (init ?? {}) as RequestInit & { [CALL_OPTION]: CallState };
    const info: ProvisionKitResponseInfo = {
      provider,
      method: call.method,
      url: call.url,
      attempt: ++call.attempts,
    } as ProvisionKitResponseInfo;
    notify(onRequest, info);
    const started = performance.now();
    // ky gives each attempt a Request whose signal aborts on the attempt's timeout or the caller's abort.
    const signal = (input as Request).signal;
    let done = false;
    const end = (status?: number, error?: ProvisionKitError) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', aborted);
      info.durationMs = performance.now() - started;
      if (status !== undefined) info.status = status;
      if (error) info.error = error;
      notify(onResponse, info);
    };
    // On the abort, not on fetch's rejection: a custom fetch may ignore its signal.
    const aborted = () =>
      end(undefined, call.signal?.aborted ? undefined : new TimeoutError(timeoutMs, `${provider} request`));
    signal?.addEventListener('abort', aborted);
    try {
      const response = await fetch(input, rest);
      end(response.status);
      return response;
    } catch (error) {
      if (signal?.aborted) aborted();
      else end(undefined, call.networkError(error));
      throw error;
    }
  };
}
