/**
 * An in-memory Wristband application: the token endpoint (client credentials), the
 * provision-user-on-signup API and Activate User, with tenants, users and activation emails.
 * Its `fetch` answers like Wristband's API, so a `WristbandClient` given it runs unchanged.
 */
import {
  WRISTBAND_ACTIVATE_USER_PATH,
  WRISTBAND_PROVISION_SIGNUP_PATH,
  WRISTBAND_TOKEN_PATH,
} from '../wristband/constants.js';
import { opaqueToken, wristbandId } from './random.js';
import { bearerToken, describeCode, jsonResponse, readRequest, type SandboxRequest } from './sandbox-http.js';
import { wristbandError } from './wristband-errors.js';
import { createWristbandModel } from './wristband-model.js';

/**
 * Lifetime, in seconds, of the tokens the sandbox issues (its `expires_in`).
 *
 * @example
 * ```ts
 * const body = await (await wristband.fetch(tokenRequest)).json();
 * body.expires_in === WRISTBAND_SANDBOX_TOKEN_LIFETIME_SECONDS; // true
 * ```
 */
export const WRISTBAND_SANDBOX_TOKEN_LIFETIME_SECONDS = 1800;

/**
 * Options of {@link createWristbandSandbox}: the application's Signup Workflow policy and its
 * machine-to-machine client.
 *
 * @example
 * ```ts
 * const wristband = createWristbandSandbox({ verification: 'otp', clientId: 'm2m', clientSecret: 'test-secret' });
 * ```
 */
export interface WristbandSandboxOptions {
  /**
   * The Signup Workflow's email verification strategy: `'link'` (activation email with a link;
   * result `USER_ACTIVATION_REQUIRED_WITH_EMAIL_LINK`), `'otp'` (activation email with a one-time
   * code; `USER_ACTIVATION_REQUIRED_WITH_OTP` with a `requestCode`), or `'email_verification'`
   * (the user is ACTIVE at once; `SIGNUP_COMPLETED_WITH_EMAIL_VERIFICATION` with a `redirectUrl`).
   * @defaultValue `'link'`
   */
  verification?: 'link' | 'otp' | 'email_verification';
  /**
   * The tenant requires MFA enrollment: `MFA_ENROLLMENT_REQUIRED` replaces the email-verification
   * result, and Activate User's `USER_ACTIVATION_COMPLETE`.
   * @defaultValue `false`
   */
  mfaRequired?: boolean;
  /**
   * Magic links are enabled for the IdP: as Wristband documents, an activation email (link) is
   * then always sent, even under `'email_verification'`.
   * @defaultValue `false`
   */
  magicLinks?: boolean;
  /** When given, only this client id gets tokens; otherwise any. */
  clientId?: string;
  /** When given, only this client secret gets tokens; otherwise any non-empty one. */
  clientSecret?: string;
  /**
   * When given, application-level signups must name this `applicationId`; otherwise any.
   * Also the application of tenants added with {@link WristbandSandbox.addTenant}.
   */
  applicationId?: string;
}

/**
 * A user of the sandbox, as {@link WristbandSandbox.users} lists it.
 *
 * @example
 * ```ts
 * expect(wristband.users()).toContainEqual(expect.objectContaining({ email: 'ada@example.com', status: 'ACTIVE' }));
 * ```
 */
export interface WristbandSandboxUser {
  id: string;
  tenantId: string;
  email: string;
  /** `PENDING_SIGNUP_ACTIVATION` until activated (activation policies); `ACTIVE` after. */
  status: 'PENDING_SIGNUP_ACTIVATION' | 'ACTIVE';
}

/**
 * A tenant of the sandbox, as {@link WristbandSandbox.tenants} lists it.
 *
 * @example
 * ```ts
 * const tenantId = wristband.tenants().find((t) => t.name === 'acme')!.id;
 * ```
 */
export interface WristbandSandboxTenant {
  id: string;
  name: string;
  displayName: string;
}

/**
 * An in-memory Wristband application, from {@link createWristbandSandbox}.
 *
 * @example
 * ```ts
 * const wristband = createWristbandSandbox({ verification: 'otp' });
 * const client = new WristbandClient({
 *   applicationVanityDomain: 'app-co.us.wristband.dev',
 *   auth: { clientId: 'id', clientSecret: 'secret' },
 *   fetch: wristband.fetch,
 * });
 * ```
 */
export interface WristbandSandbox {
  /**
   * Wristband's API in memory, on any host: pass it as `WristbandClient`'s `fetch` option.
   * `POST /api/v1/oauth2/token` issues tokens; `POST /api/v1/signup/provision-user` and
   * `POST /api/v1/user-activation/activate-user` refuse any token it did not issue (or that
   * expired) with 401. Errors have Wristband's shapes; other paths get 404, other methods 405.
   */
  readonly fetch: typeof fetch;
  /** The application id (the `applicationId` option, or a random one). */
  readonly applicationId: string;
  /** The one-time code of the latest activation email sent to `email` (OTP policy). */
  otpFor(email: string): string | undefined;
  /** The `emailAuthCode` of the latest activation link sent to `email` (link policy, magic links). */
  linkCodeFor(email: string): string | undefined;
  /**
   * The `requestCode` that goes with {@link WristbandSandbox.otpFor}'s code (OTP policy): what the
   * signup answer gave your app, for tools that activate on the user's behalf (the dev inbox).
   */
  requestCodeFor(email: string): string | undefined;
  /** Every user, in signup order (copies). */
  users(): WristbandSandboxUser[];
  /** Every tenant, in creation order (copies). */
  tenants(): WristbandSandboxTenant[];
  /** Creates a tenant directly, for tenant-level signups (as an admin would in Wristband's console). */
  addTenant(tenant: { name: string; displayName?: string }): WristbandSandboxTenant;
  /** Invalidates every token issued so far: the next API call gets a 401, as after an expiry. */
  revokeTokens(): void;
}

/**
 * Creates an in-memory Wristband application for tests and demos, with the given Signup
 * Workflow policy. Each sandbox has its own state.
 *
 * @example
 * ```ts
 * import { createWristbandSandbox } from 'provisionkit/testing';
 * import { WristbandClient } from 'provisionkit/wristband';
 *
 * const wristband = createWristbandSandbox({ verification: 'otp' });
 * const client = new WristbandClient({
 *   applicationVanityDomain: 'app-co.us.wristband.dev',
 *   auth: { clientId: 'id', clientSecret: 'secret' },
 *   fetch: wristband.fetch,
 * });
 * const signup = await client.provisionSignup({
 *   level: 'application', applicationId: wristband.applicationId,
 *   tenantName: 'acme', tenantDisplayName: 'Acme', email: 'ada@example.com',
 * });
 * if (signup.kind === 'activation_otp_sent') {
 *   await client.activateUser({ requestCode: signup.requestCode!, verificationCode: wristband.otpFor('ada@example.com')! });
 * }
 * ```
 */
export function createWristbandSandbox(options: WristbandSandboxOptions = {}): WristbandSandbox {
  const { verification = 'link', clientId, clientSecret } = options;
  if (!['link', 'otp', 'email_verification'].includes(verification)) {
    throw new TypeError('createWristbandSandbox: unknown `verification`');
  }
  const applicationId = options.applicationId ?? wristbandId();
  const model = createWristbandModel({ ...options, verification }, applicationId);
  /** Issued token → expiry (`Date.now()` milliseconds). */
  const tokens = new Map<string, number>();

  /** `POST /api/v1/oauth2/token`: client credentials, answered in OAuth's shapes. */
  const issueToken = (request: SandboxRequest): Response => {
    // Both non-empty, or both undefined.
    const [id, secret] = readBasicAuth(request.headers.get('authorization'));
    const grantType = new URLSearchParams(request.text).get('grant_type');
    const error =
      !id || id !== (clientId ?? id) || secret !== (clientSecret ?? secret)
        ? 'invalid_client'
        : grantType === null
          ? 'invalid_request'
          : grantType !== 'client_credentials'
            ? 'unsupported_grant_type'
            : undefined;
    if (error) {
      return jsonResponse(error === 'invalid_client' ? 401 : 400, { error, error_description: describeCode(error) });
    }
    const token = opaqueToken();
    tokens.set(token, Date.now() + WRISTBAND_SANDBOX_TOKEN_LIFETIME_SECONDS * 1000);
    return jsonResponse(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: WRISTBAND_SANDBOX_TOKEN_LIFETIME_SECONDS,
    });
  };

  const routes = new Map([
    [WRISTBAND_TOKEN_PATH, issueToken],
    [WRISTBAND_PROVISION_SIGNUP_PATH, model.provisionUser],
    [WRISTBAND_ACTIVATE_USER_PATH, model.activateUser],
  ]);

  const sandboxFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = await readRequest(input, init);
    const route = routes.get(request.url.pathname.replace(/\/+$/, ''));
    if (!route) return wristbandError(404, 'not_found');
    if (request.method !== 'POST') return wristbandError(405, 'method_not_allowed', undefined, { allow: 'POST' });
    const expiresAt = tokens.get(bearerToken(request.headers) ?? '') ?? 0;
    if (route !== issueToken && expiresAt < Date.now()) return wristbandError(401, 'unauthorized');
    return route(request);
  };

  return {
    fetch: sandboxFetch as typeof fetch,
    applicationId,
    ...model.view,
    revokeTokens: () => tokens.clear(),
  };
}

/**
 * `[clientId, clientSecret]` of `Authorization: Basic base64(clientId:clientSecret)`, both
 * non-empty; empty when the header is anything else. Decoded as Latin-1 by `atob`: Wristband's
 * client ids and secrets are ASCII.
 */
function readBasicAuth(header: string | null): string[] {
  try {
    const [, encoded = ''] = /^Basic\s+(\S+)$/i.exec(header ?? '') ?? [];
    return /^([^:]+):(.+)$/s.exec(atob(encoded))?.slice(1) ?? [];
  } catch {
    return [];
  }
}
