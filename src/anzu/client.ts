/**
 * The Anzu API client: confirms that the app has provisioned a user identity, so that Anzu
 * lets the user through ("wait on auth page" mode).
 */
import { defaultEnv, type EnvSource } from '../core/env.js';
import { ValidationError, type ValidationIssue } from '../core/errors.js';
import { parseSecureUrl, requireString, resolveTransport, type TransportOptions } from '../core/options.js';
import { cancelQuietly } from '../core/read-limited.js';
import { Transport } from '../core/transport.js';
import { ANZU_DEFAULT_BASE_URL } from './constants.js';
import { describeAnzuError } from './errors.js';

/**
 * Where the identities live: the team/project path of the 2022 API (the seed document), or
 * the workspace path of the later API. Give one shape, not both.
 *
 * @example
 * ```ts
 * const scope: AnzuScopeOptions = { teamId: 't', projectId: 'p', environmentId: 'e' };
 * const later: AnzuScopeOptions = { workspaceId: 'w', environmentId: 'e' };
 * ```
 */
export type AnzuScopeOptions =
  | { teamId: string; projectId: string; environmentId: string; workspaceId?: never }
  | { workspaceId: string; environmentId: string; teamId?: never; projectId?: never };

/**
 * The scope to confirm an identity in, for one call of {@link AnzuClient.completeProvisioning}:
 * team/project/environment (2022 API) or workspace/environment. An event's `scope` fits as it is.
 *
 * @example
 * ```ts
 * const scope: AnzuScope = event.scope ?? { workspaceId: 'w', environmentId: 'e' };
 * await anzu.completeProvisioning(event.payload.identity.id, { scope });
 * ```
 */
export type AnzuScope =
  | { teamId: string; projectId: string; environmentId: string }
  | { workspaceId: string; environmentId: string };

/**
 * Options of {@link AnzuClient.completeProvisioning}.
 *
 * @example
 * ```ts
 * const options: CompleteProvisioningOptions = { scope: event.scope, signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface CompleteProvisioningOptions {
  /** Aborting it rejects the call with the signal's reason and stops any further retry. */
  signal?: AbortSignal;
  /** Replaces the client's ids for this call (same path rules and validation, as `scope.teamId`, …). */
  scope?: AnzuScope;
}

/**
 * Options of {@link AnzuClient}.
 *
 * @example
 * ```ts
 * const options: AnzuClientOptions = {
 *   accessToken: env.ANZU_ACCESS_TOKEN,
 *   teamId: env.ANZU_TEAM_ID,
 *   projectId: env.ANZU_PROJECT_ID,
 *   environmentId: env.ANZU_ENVIRONMENT_ID,
 *   timeoutMs: 5_000,
 * };
 * ```
 */
export type AnzuClientOptions = {
  /** Access token from the team (or workspace) settings, sent as a bearer token. */
  accessToken: string;
  /**
   * API base including the version segment. https only; plain http only for
   * `localhost`, `127.0.0.1` and `[::1]` (local mocks).
   * @defaultValue `'https://api.anzuhq.com/2022.8'`
   */
  baseUrl?: string;
} & TransportOptions &
  AnzuScopeOptions;

/** The only body Anzu's provisioning endpoint takes; built once. */
const COMPLETE_BODY = JSON.stringify({ provisioning_status: 'complete' });

/**
 * Anzu API client.
 *
 * `completeProvisioning` is idempotent, so it is retried on network errors, timeouts and
 * 408/429/500/502/503/504 (backoff with jitter, `Retry-After` honoured up to 30 s).
 *
 * @example
 * ```ts
 * import { AnzuClient } from 'provisionkit/anzu';
 *
 * const anzu = new AnzuClient({
 *   accessToken: process.env.ANZU_ACCESS_TOKEN!,
 *   teamId: process.env.ANZU_TEAM_ID!,
 *   projectId: process.env.ANZU_PROJECT_ID!,
 *   environmentId: process.env.ANZU_ENVIRONMENT_ID!,
 * });
 * await anzu.completeProvisioning(event.payload.identity.id);
 * ```
 */
export class AnzuClient {
  readonly #http: Transport;
  readonly #base: string;
  readonly #identitiesUrl: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly string[];

  /** @throws {@link ValidationError} naming every missing or invalid option. */
  constructor(options: AnzuClientOptions) {
    const issues: ValidationIssue[] = [];
    const given = (options ?? {}) as Partial<Record<string, unknown>> & AnzuClientOptions;
    requireString(issues, 'accessToken', given.accessToken);
    const base = given.baseUrl ?? ANZU_DEFAULT_BASE_URL;
    if (requireString(issues, 'baseUrl', base)) parseSecureUrl(issues, 'baseUrl', base);
    const scopePath = buildScopePath(issues, given);
    const transport = resolveTransport(issues, given);
    if (issues.length > 0) throw new ValidationError(issues, 'Invalid AnzuClient options');

    this.#base = base.replace(/\/+$/, '');
    this.#identitiesUrl = `${this.#base}/${scopePath}`;
    this.#headers = { authorization: `Bearer ${given.accessToken}`, 'content-type': 'application/json' };
    this.#secrets = [given.accessToken];
    this.#http = new Transport({ provider: 'anzu', describeError: describeAnzuError, ...transport });
  }

  /**
   * Builds a client from environment variables: `ANZU_ACCESS_TOKEN`, `ANZU_ENVIRONMENT_ID`, and
   * either `ANZU_TEAM_ID` + `ANZU_PROJECT_ID` or `ANZU_WORKSPACE_ID`. Pass the Workers `env`
   * binding (or `Deno.env.toObject()`); by default reads `process.env` where it exists.
   *
   * @param env - The variables to read.
   * @param options - Other options (`fetch`, `timeoutMs`, `retries`, `baseUrl`).
   * @throws {@link ValidationError} naming each missing variable.
   *
   * @example
   * ```ts
   * // Cloudflare Worker
   * export default {
   *   fetch(request: Request, env: Record<string, string>) {
   *     const anzu = AnzuClient.fromEnv(env);
   *     // ...
   *   },
   * };
   * ```
   */
  static fromEnv(env: EnvSource = defaultEnv(), options: TransportOptions & { baseUrl?: string } = {}): AnzuClient {
    // The SDK's own names (Anzu's example app reads only ANZU_ACCESS_TOKEN and takes the ids
    // from each event's scope, as the webhook handler does). Trimmed: a secret pasted with a
    // trailing newline is a classic misconfiguration.
    const ids = ['accessToken', 'environmentId', 'teamId', 'projectId', 'workspaceId'];
    const variable = (option: string) => `ANZU_${option.replace(/[A-Z]/g, '_$&').toUpperCase()}`;
    const given: Record<string, string | undefined> = {};
    for (const option of ids) given[option] = env[variable(option)]?.trim() || undefined;
    try {
      return new AnzuClient({ ...options, ...given } as AnzuClientOptions);
    } catch (error) {
      // The constructor's checks (both scope shapes set is refused there too), with each issue
      // of an id named by its variable.
      const issues = (error as ValidationError).issues.map(({ path, message }) =>
        ids.includes(path)
          ? { path: variable(path), message: message.replace(/[a-z]+Id\b/g, variable) }
          : { path, message },
      );
      throw new ValidationError(issues, 'Invalid AnzuClient options');
    }
  }

  /**
   * Tells Anzu that the app has created its user for this identity, so the user waiting on
   * Anzu's hosted page is let through. Sends `PATCH …/user_identities/{id}` with
   * `{"provisioning_status":"complete"}`. Safe to call again for the same identity.
   *
   * @param userIdentityId - `event.payload.identity.id` from the `user_identity_created` webhook.
   * @param options - `signal`, and `scope` to confirm in another environment than the client's
   *   (the webhook handler passes the event's own scope).
   * @throws {@link ValidationError} for an empty id or scope id, or one that is `.` or `..`
   *   (nothing is sent), {@link ApiError} when
   *   Anzu refuses (e.g. `NOT_FOUND`), {@link TimeoutError} / {@link NetworkError} once retries
   *   are spent. An aborted `signal` rejects with its reason.
   *
   * @example
   * ```ts
   * await anzu.completeProvisioning('2EG6211MgQNCxmpK8u1qkgcuBjw', { signal: AbortSignal.timeout(20_000) });
   * await anzu.completeProvisioning(event.payload.identity.id, { scope: event.scope });
   * ```
   */
  async completeProvisioning(userIdentityId: string, options: CompleteProvisioningOptions = {}): Promise<void> {
    const issues: ValidationIssue[] = [];
    const id = segment(issues, 'userIdentityId', userIdentityId);
    const { scope, signal } = options;
    // Object(): a scope that is no object names its missing fields like an empty one.
    const url =
      scope === undefined ? this.#identitiesUrl : `${this.#base}/${buildScopePath(issues, Object(scope), 'scope.')}`;
    if (issues.length > 0) throw new ValidationError(issues);
    const response = await this.#http.request({
      method: 'PATCH',
      url: `${url}/${id}`,
      headers: this.#headers,
      body: COMPLETE_BODY,
      idempotent: true,
      signal,
      secrets: this.#secrets,
    });
    // Anzu documents no success body: the 2xx status is the whole answer, so it is not read.
    cancelQuietly(response.body);
  }
}

/**
 * One URL-encoded path segment. `.` and `..` are refused: encoding leaves them as they are, and
 * URL parsing would then resolve them, so an id could change which resource the PATCH reaches.
 */
function segment(issues: ValidationIssue[], name: string, value: unknown): string {
  if (!requireString(issues, name, value)) return '';
  if (/^\.\.?$/.test(value)) issues.push({ path: name, message: 'must not be . or ..' });
  return encodeURIComponent(value);
}

/** The identities collection path of either scope shape; `prefix` names the fields (`scope.`). */
function buildScopePath(issues: ValidationIssue[], options: Record<string, unknown>, prefix = ''): string {
  const { teamId, projectId, environmentId, workspaceId } = options;
  const part = (name: string, value: unknown) => segment(issues, prefix + name, value);
  if (workspaceId === undefined) {
    return `teams/${part('teamId', teamId)}/projects/${part('projectId', projectId)}/environments/${part('environmentId', environmentId)}/blocks/user_management/user_identities`;
  }
  if (teamId !== undefined || projectId !== undefined) {
    issues.push({ path: `${prefix}workspaceId`, message: 'give either workspaceId or teamId + projectId, not both' });
  }
  return `workspaces/${part('workspaceId', workspaceId)}/environments/${part('environmentId', environmentId)}/user_management/user_identities`;
}
