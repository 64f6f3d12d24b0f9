/**
 * Checks shared by the clients' constructors. They collect every problem into one
 * `ValidationError`, so a misconfigured deployment fails at start-up with the whole list.
 */
import type { ValidationIssue } from './errors.js';
import type { ObservabilityHooks } from './observe.js';

/** Hosts where plain http is allowed: a bearer token must never cross a network unencrypted. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Records an issue unless `value` is a non-empty string. Returns whether it is one. */
export function requireString(issues: ValidationIssue[], path: string, value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path, message: value === undefined ? 'is required' : 'must be a non-empty string' });
    return false;
  }
  return true;
}

/**
 * Parses `value` as an https URL (http only on loopback). Records an issue and returns
 * `undefined` otherwise. The message never repeats the URL: it may carry credentials.
 */
export function parseSecureUrl(issues: ValidationIssue[], path: string, value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path, message: 'must be a URL' });
    return undefined;
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)) return url;
  issues.push({
    path,
    message:
      url.protocol === 'http:' ? 'must use https (http only for localhost, 127.0.0.1, [::1])' : 'must be an https URL',
  });
  return undefined;
}

/**
 * Transport options shared by both clients, including the observability hooks
 * (`onRequest`, `onResponse`: see {@link ObservabilityHooks}).
 *
 * @example
 * ```ts
 * const transport: TransportOptions = {
 *   timeoutMs: 5_000,
 *   retries: 3,
 *   onResponse: (info) => console.log(info.provider, info.method, info.status, info.durationMs),
 * };
 * ```
 */
export interface TransportOptions extends ObservabilityHooks {
  /**
   * The `fetch` to send requests with. Default: `globalThis.fetch`, looked up at each call
   * (so test interceptors installed later are seen) and called unbound-safe (Workers throw
   * "Illegal invocation" for a detached `fetch`).
   */
  fetch?: typeof fetch;
  /** Time allowed for each attempt, in milliseconds. Default `10_000`. */
  timeoutMs?: number;
  /** Retries for requests that are safe to repeat. Default `2`. */
  retries?: number;
}

export interface ResolvedTransport extends ObservabilityHooks {
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
/** ky and `setTimeout` cannot wait longer than this. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const MAX_RETRIES = 10;

const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** Validates and fills in the transport options, recording issues under their own names. */
export function resolveTransport(issues: ValidationIssue[], options: TransportOptions): ResolvedTransport {
  const {
    fetch: customFetch,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    retries = DEFAULT_RETRIES,
    onRequest,
    onResponse,
  } = options;
  const functions = { fetch: customFetch, onRequest, onResponse };
  for (const [path, value] of Object.entries(functions)) {
    if (value !== undefined && typeof value !== 'function') issues.push({ path, message: 'must be a function' });
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    issues.push({ path: 'timeoutMs', message: `must be an integer from 1 to ${MAX_TIMEOUT_MS}` });
  }
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    issues.push({ path: 'retries', message: `must be an integer from 0 to ${MAX_RETRIES}` });
  }
  return { fetch: customFetch ?? globalFetch, timeoutMs, retries, onRequest, onResponse };
}
