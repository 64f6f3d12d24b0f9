/**
 * The options of `WristbandClient`, and their validation. Every problem is collected into one
 * `ValidationError` thrown by the constructor, so a misconfigured deployment fails at start-up.
 */
import type { ValidationIssue } from '../core/errors.js';
import {
  parseSecureUrl,
  type ResolvedTransport,
  requireString,
  resolveTransport,
  type TransportOptions,
} from '../core/options.js';
import type { KeyValueStore } from '../stores/types.js';
import { WRISTBAND_ACTIVATE_USER_PATH, WRISTBAND_PROVISION_SIGNUP_PATH, WRISTBAND_TOKEN_PATH } from './constants.js';
import { addIssue, fieldsOf, formOf } from './issues.js';

/**
 * A bearer token the app already has: a fixed string, or a function called whenever a token
 * is needed (and called again once when Wristband answers 401), e.g. one reading your own cache.
 *
 * @example
 * ```ts
 * const auth: WristbandAccessTokenAuth = { accessToken: async () => myTokenCache.get() };
 * ```
 */
export interface WristbandAccessTokenAuth {
  /** The token, or a function returning it. A fixed string cannot be refreshed after a 401. */
  accessToken: string | (() => string | Promise<string>);
  clientId?: never;
  clientSecret?: never;
  expiryBufferSeconds?: never;
  tokenStore?: never;
}

/**
 * A Wristband machine-to-machine OAuth2 client: the SDK fetches tokens with the client
 * credentials grant and caches each until shortly before it expires.
 *
 * @example
 * ```ts
 * const auth: WristbandClientCredentialsAuth = { clientId: env.WRISTBAND_CLIENT_ID, clientSecret: env.WRISTBAND_CLIENT_SECRET };
 * // One token for every process sharing a Redis:
 * const fleet: WristbandClientCredentialsAuth = { ...auth, tokenStore: redisStore(redis) };
 * ```
 */
export interface WristbandClientCredentialsAuth {
  /** The machine-to-machine client's ID. */
  clientId: string;
  /** The client's secret. Never appears in an error. */
  clientSecret: string;
  /**
   * A cached token is replaced this many seconds before its `expires_in` runs out.
   * @defaultValue `60`
   */
  expiryBufferSeconds?: number;
  /**
   * A store shared by every process of the app (`redisStore(redis)`): then the whole fleet uses
   * one token, fetched by one process and kept in the store, encrypted with a key derived from
   * `clientSecret`, under a key that does not contain it. Without it each process fetches its own.
   * A failing store (an error, or no answer within 1 s) never fails a call: the process then
   * fetches its own token.
   * @defaultValue none: the token is cached in this process only
   */
  tokenStore?: KeyValueStore;
  accessToken?: never;
}

/**
 * How the client authenticates: a bearer token (or a function returning one), or client credentials.
 *
 * @example
 * ```ts
 * const fixed: WristbandAuthOptions = { accessToken: 'eyJ…' };
 * const m2m: WristbandAuthOptions = { clientId: 'abc', clientSecret: 'xyz' };
 * ```
 */
export type WristbandAuthOptions = WristbandAccessTokenAuth | WristbandClientCredentialsAuth;

/**
 * Paths of the three Wristband endpoints, each starting with `/`, appended to the domain.
 *
 * @example
 * ```ts
 * const paths: WristbandPaths = { provisionSignup: '/api/v1/signup/provision-user' };
 * ```
 */
export interface WristbandPaths {
  /** @defaultValue `'/api/v1/signup/provision-user'` (assumed, see the README) */
  provisionSignup?: string;
  /** @defaultValue `'/api/v1/user-activation/activate-user'` */
  activateUser?: string;
  /** @defaultValue `'/api/v1/oauth2/token'` */
  token?: string;
}

/**
 * Options of `WristbandClient`.
 *
 * @example
 * ```ts
 * const options: WristbandClientOptions = {
 *   applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
 *   auth: { clientId: env.WRISTBAND_CLIENT_ID, clientSecret: env.WRISTBAND_CLIENT_SECRET },
 *   timeoutMs: 5_000,
 * };
 * ```
 */
export type WristbandClientOptions = {
  /**
   * Where your Wristband application lives: its vanity domain (`yourapp-yourco.us.wristband.dev`),
   * its custom domain (`auth.example.com`), or a full https URL (`https://auth.example.com`).
   * Plain http is accepted only for `localhost`, `127.0.0.1` and `[::1]` (local mocks).
   */
  applicationVanityDomain: string;
  /** A bearer token (or a function returning one), or client credentials. */
  auth: WristbandAuthOptions;
  /**
   * Overrides of the endpoints' paths, e.g. if Wristband's provision path differs from the assumed one.
   * @defaultValue the `WRISTBAND_*_PATH` constants
   */
  paths?: WristbandPaths;
} & TransportOptions;

/** Validated options, ready to use. */
export interface ResolvedWristbandOptions {
  /** Origin plus any path prefix of a given URL, without a trailing slash. */
  baseUrl: string;
  paths: Required<WristbandPaths>;
  /** The `auth` option, checked to be one of the two forms. */
  auth: WristbandAuthOptions;
  transport: ResolvedTransport;
}

/** The two forms of `auth`, for choosing one and for the message when neither or both are given. */
const TOKEN_FORM = ['accessToken'];
const CLIENT_CREDENTIALS_FORM = ['clientId', 'clientSecret'];
const AUTH_FORMS = [TOKEN_FORM, CLIENT_CREDENTIALS_FORM];

/** Checks every option and collects each problem under its own name. */
export function resolveWristbandOptions(
  issues: ValidationIssue[],
  options: WristbandClientOptions,
): ResolvedWristbandOptions {
  // `Object()` makes `{}` of a missing options object, so that each option is reported as missing.
  const given: Partial<Record<string, unknown>> = Object(options);
  const { applicationVanityDomain: domain, auth, paths } = given;
  const DOMAIN = 'applicationVanityDomain';

  let baseUrl = '';
  if (requireString(issues, DOMAIN, domain)) {
    const host = domain.trim();
    // A bare host (vanity or custom domain) gets https; `localhost:8080` has no `://` and is a host too.
    const url = /\s/.test(host)
      ? addIssue(issues, DOMAIN, 'must be a domain without spaces')
      : parseSecureUrl(issues, DOMAIN, host.includes('://') ? host : `https://${host}`);
    // Credentials, a query or a fragment are what `href` has beyond the origin and the path.
    if (url && url.href !== url.origin + url.pathname) {
      addIssue(issues, DOMAIN, 'must not have credentials, a query or a fragment');
    } else if (url) baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
  }

  // `Object()` again: an `auth` that is not an object (a bare token string) gives neither form.
  const authFields: Record<string, unknown> = Object(auth);
  const form = formOf(issues, authFields, AUTH_FORMS, 'auth');
  for (const key of form ?? []) {
    // A token function is checked when it is called: it must return a non-empty string.
    if (key !== 'accessToken' || typeof authFields[key] !== 'function') {
      requireString(issues, `auth.${key}`, authFields[key]);
    }
  }
  const buffer = authFields.expiryBufferSeconds ?? 0;
  if (form === CLIENT_CREDENTIALS_FORM && !(Number.isFinite(buffer) && (buffer as number) >= 0)) {
    addIssue(issues, 'auth.expiryBufferSeconds', 'must be 0 or more seconds');
  }
  const store = authFields.tokenStore;
  const methods = ['get', 'set', 'delete'];
  if (
    form === CLIENT_CREDENTIALS_FORM &&
    store !== undefined &&
    methods.some((m) => typeof Object(store)[m] !== 'function')
  ) {
    addIssue(issues, 'auth.tokenStore', 'must have get, set and delete');
  }

  const resolvedPaths = {
    provisionSignup: WRISTBAND_PROVISION_SIGNUP_PATH,
    activateUser: WRISTBAND_ACTIVATE_USER_PATH,
    token: WRISTBAND_TOKEN_PATH,
  };
  const pathFields = fieldsOf(issues, paths ?? {}, 'paths') ?? {};
  for (const [key, path] of Object.entries(pathFields) as [keyof typeof resolvedPaths, unknown][]) {
    const where = `paths.${key}`;
    if (!Object.hasOwn(resolvedPaths, key)) {
      // A typo would otherwise be ignored, and the default path used.
      addIssue(issues, where, `is not one of ${Object.keys(resolvedPaths).join(', ')}`);
    } else if (typeof path === 'string' && /^\/(?!\/)[^\s?#]*$/.test(path)) {
      resolvedPaths[key] = path;
    } else if (path !== undefined) {
      addIssue(issues, where, "must be a path starting with '/'");
    }
  }
  return {
    baseUrl,
    paths: resolvedPaths,
    auth: auth as WristbandAuthOptions,
    transport: resolveTransport(issues, given as TransportOptions),
  };
}
