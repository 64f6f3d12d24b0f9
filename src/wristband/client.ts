/**
 * The Wristband client: provisions users during your own signup flow and activates them.
 *
 * Neither call is retried by the transport: a signup that reached Wristband but whose answer was
 * lost must not be submitted twice. The single exception is a 401, which means the token was
 * refused before anything was done: the request is sent once more with a fresh token, when a
 * fresh one can exist.
 */
import { ApiError, ValidationError, type ValidationIssue } from '../core/errors.js';
import { HttpClient } from '../core/http.js';
import { type ActivateUserRequest, buildActivationBody, validateActivationRequest } from './activation.js';
import { WRISTBAND_ACTIVATION_PERMISSION, WRISTBAND_SIGNUP_PERMISSION } from './constants.js';
import { describeWristbandError } from './errors.js';
import { resolveWristbandOptions, type WristbandClientOptions, type WristbandPaths } from './options.js';
import { type ActivationResult, mapActivationResult, mapSignupResult, type SignupResult } from './results.js';
import { buildSignupBody, type SignupRequest, validateSignupRequest } from './signup-request.js';
import { createTokenSource } from './token-source.js';

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * await wristband.provisionSignup(request, { signal: AbortSignal.timeout(15_000) });
 * ```
 */
export interface WristbandCallOptions {
  /** Aborting rejects the call with the signal's reason, as `fetch` does. */
  signal?: AbortSignal;
}

/** What differs between the two calls: one row each, read by the shared `#call`. */
type Endpoint<R> = readonly [
  path: keyof WristbandPaths,
  validate: (request: unknown) => ValidationIssue[],
  buildBody: (request: R) => string,
  /** Named in the message of a 403. */
  permission: string,
];

const SIGNUP: Endpoint<SignupRequest> = [
  'provisionSignup',
  validateSignupRequest,
  buildSignupBody,
  WRISTBAND_SIGNUP_PERMISSION,
];

const ACTIVATION: Endpoint<ActivateUserRequest> = [
  'activateUser',
  validateActivationRequest,
  buildActivationBody,
  WRISTBAND_ACTIVATION_PERMISSION,
];

/**
 * Request fields that must not survive into an error: the password, and the codes that activate an
 * account and open a session. A request has those of its own endpoint only: the validators refuse
 * other fields.
 */
const SECRET_FIELDS = ['password', 'emailAuthCode', 'verificationCode'];

/**
 * Wristband API client for the provision-user-on-signup and Activate User APIs.
 *
 * @example
 * ```ts
 * import { WristbandClient } from 'provisionkit/wristband';
 *
 * const wristband = new WristbandClient({
 *   applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
 *   auth: { clientId: env.WRISTBAND_CLIENT_ID, clientSecret: env.WRISTBAND_CLIENT_SECRET },
 * });
 * const result = await wristband.provisionSignup({
 *   level: 'tenant',
 *   tenantId: env.WRISTBAND_TENANT_ID,
 *   email: 'ada@example.com',
 * });
 * ```
 */
export class WristbandClient {
  /** Validates a request, then sends it; answers with the raw response body. */
  readonly #call: <R extends object>(endpoint: Endpoint<R>, request: R, signal?: AbortSignal) => Promise<unknown>;

  /**
   * @throws {@link ValidationError} naming every missing or invalid option: an empty or non-https
   *   domain, an `auth` that is neither `{ accessToken }` nor `{ clientId, clientSecret }`, a path
   *   not starting with `/`, a bad `timeoutMs` or `retries`.
   */
  constructor(options: WristbandClientOptions) {
    const issues: ValidationIssue[] = [];
    const { baseUrl, paths, transport, auth } = resolveWristbandOptions(issues, options);
    if (issues.length > 0) throw new ValidationError(issues, 'Invalid WristbandClient options');
    const http = new HttpClient({ provider: 'wristband', describeError: describeWristbandError, ...transport });
    const tokens = createTokenSource(auth, http, baseUrl + paths.token);

    this.#call = async ([path, validate, buildBody, permission], request, signal) => {
      const invalid = validate(request);
      if (invalid.length > 0) throw new ValidationError(invalid, `Invalid ${path} request`);
      const secrets = SECRET_FIELDS.map((field) => (request as Record<string, unknown>)[field]).filter(
        (value) => typeof value === 'string',
      );
      /** A token, waited for under this call's signal only: the token request may be shared. */
      const token = (refused?: string) => {
        signal?.throwIfAborted();
        return new Promise<string>((resolve, reject) => {
          const abort = () => reject(signal?.reason);
          signal?.addEventListener('abort', abort);
          tokens
            .get(refused)
            .then(resolve, reject)
            .finally(() => signal?.removeEventListener('abort', abort));
        });
      };
      /** One POST; `used` lists every token sent so far: a proxy may echo any of them. */
      const post = async (used: string[]) =>
        (
          await http.send({
            method: 'POST',
            url: baseUrl + paths[path],
            headers: {
              authorization: `Bearer ${used.at(-1)}`,
              'content-type': 'application/json',
              accept: 'application/json',
            },
            body: buildBody(request),
            idempotent: false,
            signal,
            secrets: [...used, ...tokens.secrets, ...secrets],
            hint: (status) =>
              status === 403
                ? `The calling client's role needs the \`${permission}\` permission`
                : status === 401 && !tokens.refreshable
                  ? 'A fixed token cannot be refreshed: pass a token function or client credentials'
                  : undefined,
          })
        ).body;

      const first = await token();
      try {
        return await post([first]);
      } catch (error) {
        // A 401 means the token was refused before anything was done: safe to send once more.
        if (!(ApiError.is(error) && error.status === 401 && tokens.refreshable)) throw error;
        return await post([first, await token(first)]);
      }
    };
  }

  /**
   * Provisions a user (and, at application level, a new tenant) during your signup flow, and
   * starts the email verification your Signup Workflow policy asks for. If the user already
   * exists with status `PENDING_SIGNUP_ACTIVATION`, Wristband sends the activation email again
   * and answers as for a first signup.
   *
   * Sent once: never retried on 5xx, timeouts or network errors (it could create the user
   * twice). A 401 is retried once with a fresh token when one can exist.
   *
   * @param request - Validated locally first; `level` and `undefined` fields are not sent.
   * @returns What happened, as a union on `kind`; an unknown `result` is `kind: 'unknown'`.
   * @throws {@link ValidationError} listing every bad field (nothing is sent);
   *   {@link ApiError} when Wristband refuses (`violations` per field, `requestId` = Wristband's
   *   ticket; a 403 names the missing `signup-workflow:execute` permission);
   *   {@link TimeoutError}, {@link NetworkError}. An aborted `signal` rejects with its reason.
   *
   * @example
   * ```ts
   * const result = await wristband.provisionSignup({
   *   level: 'application',
   *   applicationId: env.WRISTBAND_APPLICATION_ID,
   *   tenantName: 'acme',
   *   tenantDisplayName: 'Acme Inc.',
   *   email: 'ada@acme.test',
   * });
   * if (result.kind === 'email_verification') return Response.redirect(result.redirectUrl, 303);
   * ```
   */
  async provisionSignup(request: SignupRequest, options: WristbandCallOptions = {}): Promise<SignupResult> {
    return mapSignupResult(await this.#call(SIGNUP, request, options.signal));
  }

  /**
   * Activates a user who signed up under an activation policy: with the code of the activation
   * link (`emailAuthCode`), or with the `requestCode` of the signup result and the one-time code
   * the user typed (`verificationCode`). Same sending rules as `provisionSignup`.
   *
   * @throws {@link ValidationError} for a missing, empty or mixed form (nothing is sent);
   *   {@link ApiError} when Wristband refuses (a 403 names the missing
   *   `user-activation-workflow:execute` permission); {@link TimeoutError}, {@link NetworkError}.
   *
   * @example
   * ```ts
   * const activation = await wristband.activateUser({ requestCode, verificationCode: form.code });
   * switch (activation.kind) {
   *   case 'activation_complete': return Response.redirect(activation.redirectUrl ?? '/login', 303);
   *   case 'mfa_enrollment_required': return Response.redirect(activation.redirectUrl ?? '/mfa', 303);
   *   case 'unknown': throw new Error(`Unexpected activation result ${activation.result}`);
   * }
   * ```
   */
  async activateUser(request: ActivateUserRequest, options: WristbandCallOptions = {}): Promise<ActivationResult> {
    return mapActivationResult(await this.#call(ACTIVATION, request, options.signal));
  }
}
