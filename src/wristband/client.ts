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
import { createTokenSource, type TokenSource } from './token-source.js';

/**
 * The request read once: its own enumerable properties, each getter called once. What is validated
 * is exactly what is sent: an inherited property is not a field (it is neither checked nor sent),
 * and a getter cannot answer one value to the check and another to the body. Anything that is not
 * a plain object is left as it is, for the validator to refuse.
 */
const snapshot = (request: unknown): unknown =>
  typeof request === 'object' && request !== null && !Array.isArray(request) ? { ...request } : request;

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
  readonly #url: (path: keyof WristbandPaths) => string;
  readonly #http: HttpClient;
  readonly #tokens: TokenSource;

  /**
   * @throws {@link ValidationError} naming every missing or invalid option: an empty or non-https
   *   domain, an `auth` that is neither `{ accessToken }` nor `{ clientId, clientSecret }`, a
   *   `tokenStore` without `get`, `set` and `delete`, a path not starting with `/`, a bad
   *   `timeoutMs` or `retries`.
   */
  constructor(options: WristbandClientOptions) {
    const issues: ValidationIssue[] = [];
    const { baseUrl, paths, transport, auth } = resolveWristbandOptions(issues, options);
    if (issues.length > 0) throw new ValidationError(issues, 'Invalid WristbandClient options');
    this.#url = (path) => baseUrl + paths[path];
    this.#http = new HttpClient({ provider: 'wristband', describeError: describeWristbandError, ...transport });
    this.#tokens = createTokenSource(auth, this.#http, this.#url('token'));
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
    const fields = snapshot(request);
    const invalid = validateSignupRequest(fields);
    if (invalid.length > 0) throw new ValidationError(invalid, 'Invalid provisionSignup request');
    const body = buildSignupBody(fields as SignupRequest);
    const answer = await this.#send('provisionSignup', body, fields, WRISTBAND_SIGNUP_PERMISSION, options.signal);
    return mapSignupResult(answer);
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
    const fields = snapshot(request);
    const invalid = validateActivationRequest(fields);
    if (invalid.length > 0) throw new ValidationError(invalid, 'Invalid activateUser request');
    const body = buildActivationBody(fields as ActivateUserRequest);
    const answer = await this.#send('activateUser', body, fields, WRISTBAND_ACTIVATION_PERMISSION, options.signal);
    return mapActivationResult(answer);
  }

  /**
   * POSTs a validated body with a bearer token and answers with the response body. After a 401
   * (the token was refused before anything was done) it is sent once more with a fresh token,
   * when one can exist; never on any other failure.
   *
   * @param fields - The request's snapshot, whose secret fields are scrubbed from any error.
   * @param permission - Named in the message of a 403.
   */
  async #send(
    path: keyof WristbandPaths,
    body: string,
    fields: unknown,
    permission: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const record: Record<string, unknown> = Object(fields);
    const secrets = SECRET_FIELDS.map((field) => record[field]).filter((value) => typeof value === 'string');
    const tokens = this.#tokens;
    /** One POST; `used` lists every token sent so far: a proxy may echo any of them. */
    const post = async (used: string[]) =>
      (
        await this.#http.send({
          method: 'POST',
          url: this.#url(path),
          headers: {
            authorization: `Bearer ${used.at(-1)}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body,
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

    const first = await this.#token(signal);
    try {
      return await post([first]);
    } catch (error) {
      if (!(ApiError.is(error) && error.status === 401 && tokens.refreshable)) throw error;
      return await post([first, await this.#token(signal, first)]);
    }
  }

  /**
   * A token (not `refused`), waited for under this call's signal only: the token request may be
   * shared with other calls, which must not fail because this one gave up.
   */
  #token(signal?: AbortSignal, refused?: string): Promise<string> {
    signal?.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const abort = () => reject(signal?.reason);
      signal?.addEventListener('abort', abort);
      this.#tokens
        .get(refused)
        .then(resolve, reject)
        .finally(() => signal?.removeEventListener('abort', abort));
    });
  }
}
