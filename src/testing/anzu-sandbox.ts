/**
 * An in-memory Anzu: user identities waiting for provisioning, signed webhooks announcing them,
 * and the provisioning endpoint that confirms them. Its `fetch` answers like Anzu's API, so an
 * `AnzuClient` given it runs unchanged, with no account and no network.
 */
import { ANZU_ERROR_STATUS, ANZU_SIGNATURE_HEADER } from '../anzu/constants.js';
import { signAnzuWebhook } from '../anzu/webhook-signature.js';
import type { AnzuTeamScope } from '../anzu/webhook-types.js';
import { type AnzuSandboxIdentityInput, identityCreatedBody } from './anzu-envelope.js';
import { ksuid } from './random.js';
import { bearerToken, copies, describeCode, jsonResponse, readRequest } from './sandbox-http.js';

/**
 * Webhook secret of an Anzu sandbox created without `secret`. A test value: never configure a
 * real webhook with it.
 *
 * @example
 * ```ts
 * const anzu = createAnzuSandbox();
 * anzu.secret === ANZU_SANDBOX_DEFAULT_SECRET; // true
 * ```
 */
export const ANZU_SANDBOX_DEFAULT_SECRET = 'anzu-sandbox-webhook-secret';

/**
 * URL of the requests {@link AnzuSandbox.signedWebhook} builds when no `url` is given. Handlers
 * built with `createAnzuWebhookHandler` ignore the URL; give your own to send the request over HTTP.
 *
 * @example
 * ```ts
 * const request = await anzu.signedWebhook();
 * request.url === ANZU_SANDBOX_WEBHOOK_URL; // true
 * ```
 */
export const ANZU_SANDBOX_WEBHOOK_URL = 'https://app.example.com/webhooks/anzu';

/**
 * Options of {@link createAnzuSandbox}.
 *
 * @example
 * ```ts
 * const anzu = createAnzuSandbox({ secret: 'whsec-test', accessToken: 'anzu-test-token' });
 * ```
 */
export interface AnzuSandboxOptions {
  /**
   * Secret the sandbox signs webhooks with; give the same one to your handler. An empty one makes
   * `signedWebhook()` reject with signAnzuWebhook's `ValidationError`.
   * @defaultValue {@link ANZU_SANDBOX_DEFAULT_SECRET}
   */
  secret?: string;
  /**
   * The only bearer token the provisioning endpoint accepts. Without it, any non-empty token is
   * accepted (a missing one is still refused with 401).
   */
  accessToken?: string;
}

/**
 * An identity the sandbox knows, as {@link AnzuSandbox.identities} lists it.
 *
 * @example
 * ```ts
 * const [identity] = anzu.identities();
 * expect(identity?.provisioningStatus).toBe('complete');
 * ```
 */
export interface AnzuSandboxIdentity {
  id: string;
  /** `pending` until the app confirms with `completeProvisioning`. */
  provisioningStatus: 'pending' | 'complete';
  email?: string;
}

/**
 * Options of {@link AnzuSandbox.signedWebhook} beyond the identity.
 *
 * @example
 * ```ts
 * const request = await anzu.signedWebhook({}, { url: `${server.url}/webhooks/anzu` });
 * ```
 */
export interface AnzuSandboxWebhookOptions {
  /**
   * URL of the built request.
   * @defaultValue {@link ANZU_SANDBOX_WEBHOOK_URL}
   */
  url?: string | URL;
}

/**
 * An in-memory Anzu, from {@link createAnzuSandbox}.
 *
 * @example
 * ```ts
 * const anzu = createAnzuSandbox();
 * const client = new AnzuClient({ accessToken: 'test', teamId: 't', projectId: 'p', environmentId: 'e', fetch: anzu.fetch });
 * const handler = createAnzuWebhookHandler({ secret: anzu.secret, client, onUserIdentityCreated: () => {} });
 * const response = await handler(await anzu.signedWebhook({ email: 'ada@example.com' }));
 * ```
 */
export interface AnzuSandbox {
  /**
   * Anzu's API in memory: pass it as the `fetch` option of `AnzuClient`. Answers
   * `PATCH …/user_identities/{id}` under either scope path (team/project/environment or
   * workspace/environment, any ids, any host and version prefix) like Anzu: 401 without the
   * right bearer token, 400 `INVALID` unless the body is `{"provisioning_status":"complete"}`,
   * 404 `NOT_FOUND` for an identity it did not create, 204 otherwise. Other methods get 405,
   * other paths 404.
   */
  readonly fetch: typeof fetch;
  /** The secret webhooks are signed with; configure your handler with it. */
  readonly secret: string;
  /** Team, project and environment ids the sandbox's webhooks carry (random per sandbox). */
  readonly scope: Readonly<AnzuTeamScope>;
  /**
   * Creates a pending identity and returns the `user_management.user_identity_created` webhook
   * that announces it: a signed `POST` with the 2022 envelope, as Anzu delivers it.
   */
  signedWebhook(identity?: AnzuSandboxIdentityInput, options?: AnzuSandboxWebhookOptions): Promise<Request>;
  /** `'pending'` or `'complete'` for an identity the sandbox created; `undefined` otherwise. */
  provisioningStatus(identityId: string): 'pending' | 'complete' | undefined;
  /** Every identity the sandbox created, oldest first (copies). */
  identities(): AnzuSandboxIdentity[];
}

/**
 * `PATCH …/user_identities/{id}` under either scope path: team/project/environment (under
 * `blocks`) or workspace/environment, with any ids and any host and version prefix.
 */
const IDENTITY_PATH =
  /\/(?:teams\/[^/]+\/projects\/[^/]+\/environments\/[^/]+\/blocks|workspaces\/[^/]+\/environments\/[^/]+)\/user_management\/user_identities\/([^/]+)\/?$/;

/** The one body the provisioning endpoint accepts, as `JSON.stringify` writes it. */
const COMPLETE_BODY = '{"provisioning_status":"complete"}';

/**
 * Creates an in-memory Anzu for tests and demos: webhooks signed with its secret, and an API
 * (`fetch`) that confirms provisioning. Each sandbox has its own state.
 *
 * @example
 * ```ts
 * import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
 * import { createAnzuSandbox } from 'provisionkit/testing';
 *
 * const anzu = createAnzuSandbox();
 * const client = new AnzuClient({ accessToken: 'test', workspaceId: 'w', environmentId: 'e', fetch: anzu.fetch });
 * const handler = createAnzuWebhookHandler({ secret: anzu.secret, client, onUserIdentityCreated: createUser });
 *
 * const request = await anzu.signedWebhook({ email: 'ada@example.com' });
 * const identityId = anzu.identities().at(-1)!.id;
 * expect((await handler(request)).status).toBe(200);
 * expect(anzu.provisioningStatus(identityId)).toBe('complete');
 * ```
 */
export function createAnzuSandbox(options: AnzuSandboxOptions = {}): AnzuSandbox {
  // An empty secret is refused by signAnzuWebhook, at the first signedWebhook().
  const secret = options.secret ?? ANZU_SANDBOX_DEFAULT_SECRET;
  const identities = new Map<string, AnzuSandboxIdentity>();
  const scope: Readonly<AnzuTeamScope> = Object.freeze({ teamId: ksuid(), projectId: ksuid(), environmentId: ksuid() });
  const webhookId = ksuid();

  // Codes are written in snake case, as describeCode reads them; Anzu sends them upper case.
  const fail = (status: number, code: string, headers?: Record<string, string>) =>
    jsonResponse(status, { error: { code: code.toUpperCase(), message: describeCode(code) } }, headers);

  const sandboxFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = await readRequest(input, init);
    // Sandbox ids are base62, which the client's percent-encoding leaves as they are.
    const id = IDENTITY_PATH.exec(request.url.pathname)?.[1];
    if (id === undefined) return fail(ANZU_ERROR_STATUS.NOT_FOUND, 'not_found');
    if (request.method !== 'PATCH') return fail(405, 'method_not_allowed', { allow: 'PATCH' });
    const token = bearerToken(request.headers);
    // Anzu's code for a refused token is not documented: UNAUTHORIZED with 401 is the sandbox's choice.
    if (!token || token !== (options.accessToken ?? token)) return fail(401, 'unauthorized');
    // Re-serialising the parsed body ignores whitespace and refuses any other field or value.
    if (JSON.stringify(request.json) !== COMPLETE_BODY) return fail(ANZU_ERROR_STATUS.INVALID, 'invalid');
    const identity = identities.get(id);
    if (!identity) return fail(ANZU_ERROR_STATUS.NOT_FOUND, 'not_found');
    identity.provisioningStatus = 'complete';
    return new Response(null, { status: 204 });
  };

  return {
    fetch: sandboxFetch as typeof fetch,
    secret,
    scope,
    async signedWebhook(input = {}, { url = ANZU_SANDBOX_WEBHOOK_URL } = {}) {
      const fields =
        input.email === undefined && input.phoneNumber === undefined
          ? { ...input, email: `user-${identities.size + 1}@example.com` }
          : input;
      const id = ksuid();
      // Registered before the await, so that concurrent calls count distinct default emails.
      identities.set(id, {
        id,
        provisioningStatus: 'pending',
        ...(fields.email !== undefined && { email: fields.email }),
      });
      const body = identityCreatedBody(id, fields, webhookId, scope);
      const signature = await signAnzuWebhook({ payload: body, secret });
      return new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ANZU_SIGNATURE_HEADER]: signature },
        body,
      });
    },
    provisioningStatus: (identityId) => identities.get(identityId)?.provisioningStatus,
    identities: () => copies(identities),
  };
}
