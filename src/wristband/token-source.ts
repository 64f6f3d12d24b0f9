/**
 * Where the bearer token comes from: a fixed string, the app's own function, or Wristband's token
 * endpoint with the client credentials grant.
 *
 * The client-credentials source caches the token until `expires_in` minus the buffer, and lets
 * concurrent callers share one token request (single flight): a burst of signups after a cold
 * start costs one token request, not one per signup. The shared request is not tied to any one
 * caller's `signal` (the client waits for it under each caller's own signal), so a caller that
 * gives up does not fail the others. With `auth.tokenStore` the single flight goes through the
 * store (see `shared-token.ts`), so the whole fleet shares one token request.
 */
import { ApiError, ValidationError } from '../core/errors.js';
import type { HttpClient } from '../core/http.js';
import { redact } from '../core/redact.js';
import { WRISTBAND_DEFAULT_EXPIRY_BUFFER_SECONDS } from './constants.js';
import type { WristbandAuthOptions, WristbandClientCredentialsAuth } from './options.js';
import { type SharedTokenTiming, sharedTokens, type Token } from './shared-token.js';

/** Hands out bearer tokens and, where possible, fresh ones after Wristband refused one. */
export interface TokenSource {
  /** A token to send now; not `refused` (a token Wristband just refused) when a fresh one can exist. */
  get(refused?: string): Promise<string>;
  /**
   * Whether a refused token can be replaced (false for a fixed string: resending it would only be
   * refused again).
   */
  refreshable: boolean;
  /** Strings to scrub from every error of a request authenticated by this source. */
  secrets: readonly string[];
}

/** Builds the token source for the (validated) `auth` option. */
export function createTokenSource(
  auth: WristbandAuthOptions,
  http: HttpClient,
  tokenUrl: string,
  /** For tests: how long to wait for another process's token. */
  timing?: SharedTokenTiming,
): TokenSource {
  const { accessToken } = auth;
  if (accessToken !== undefined) {
    return {
      // A function is asked again for the resend after a 401: it may return a refreshed token.
      get: async () => {
        const token = typeof accessToken === 'string' ? accessToken : await accessToken();
        if (typeof token === 'string' && token.trim() !== '') return token;
        throw new ValidationError([{ path: 'auth.accessToken', message: 'must return a non-empty string' }]);
      },
      // A fixed string cannot be: resending it would only be refused again.
      refreshable: typeof accessToken !== 'string',
      secrets: [],
    };
  }

  const {
    clientId,
    clientSecret,
    expiryBufferSeconds = WRISTBAND_DEFAULT_EXPIRY_BUFFER_SECONDS,
    tokenStore,
  } = auth as WristbandClientCredentialsAuth;
  const shared = tokenStore && sharedTokens(tokenStore, tokenUrl, clientId, clientSecret, timing);
  // Base64 of the UTF-8 bytes (`btoa` alone throws on non-Latin-1 characters).
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${clientId}:${clientSecret}`)));
  // The Basic value is the secret in another spelling: scrub both.
  const secrets = [clientSecret, basic];
  let cached: Token | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<Token> => {
    const { status, body } = await http.send({
      method: 'POST',
      url: tokenUrl,
      // `fetch` gives a URLSearchParams body its content type, application/x-www-form-urlencoded.
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
      // Asking for a token twice creates nothing twice: retried like any idempotent request.
      idempotent: true,
      secrets,
    });
    const { access_token: token, expires_in: expiresIn } = Object(body);
    if (typeof token !== 'string' || token === '') {
      throw new ApiError({
        provider: 'wristband',
        status,
        code: 'invalid_token_response',
        message: `Wristband's token answer (${status}) has no access_token`,
        // Kept for debugging, scrubbed like every other body: a proxy may echo the credentials.
        body: redact(body, secrets),
      });
    }
    // Without a usable lifetime (none, or within the buffer) `usableUntil` is NaN or past: the
    // token serves the callers waiting for it, and the next call asks for a new one.
    return { token, usableUntil: Date.now() + (Number(expiresIn) - expiryBufferSeconds) * 1000 };
  };

  return {
    async get(refused) {
      // Only the refused token is dropped: when several requests get a 401 at once, the first
      // refresh is shared instead of each caller throwing away the token another just fetched.
      if (cached && cached.token !== refused && Date.now() < cached.usableUntil) return cached.token;
      // Removed from the store only if it is still the refused value there: a newer token survives.
      if (cached?.stored && cached.token === refused) shared?.forget(cached.stored);
      cached = undefined;
      if (!pending) {
        pending = (shared ? shared.obtain(fetchToken, refused) : fetchToken())
          .then((fresh) => {
            cached = fresh;
            return fresh.token;
          })
          .finally(() => {
            pending = undefined;
          });
        // Every caller may have given up by the time it fails: that is not an unhandled rejection.
        pending.catch(() => {});
      }
      return pending;
    },
    refreshable: true,
    secrets,
  };
}
