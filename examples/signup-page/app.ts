// A signup page on Wristband (server-rendered HTML forms; works without JavaScript) and an Anzu
// webhook endpoint, in one Hono app configured only by the env lines of `provisionkit dev`.
//
// Run it:  npx provisionkit dev --verification otp --webhook-url http://127.0.0.1:3000/webhooks/anzu
//          (paste the printed lines into .env), then: PORT=3000 node --env-file=.env examples/signup-page/app.ts
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
import {
  type ActivationResult,
  ApiError,
  type SignupResult,
  ValidationError,
  WristbandClient,
} from 'provisionkit/wristband';

// ---------------------------------------------------------------------------------------------
// Pages

/** Escapes the five characters that can end text or an attribute value in HTML. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:28rem;padding:0 1rem}
label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;font:inherit}
button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}.error{color:#b00020}`;

/** A whole page; `body` is HTML already escaped by the caller. */
export const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  `<style>${STYLE}</style></head><body>${body}</body></html>`;

/** What the signup form was filled with, to show it again next to an error. */
export interface SignupFields {
  email: string;
  fullName: string;
  tenantName: string;
}

const field = (label: string, name: string, value: string, type = 'text'): string =>
  `<label>${label}<input type="${type}" name="${name}" value="${escapeHtml(value)}" required></label>`;

/** The signup form, with the errors of the last attempt (one line per problem). */
export const signupPage = (fields: SignupFields, errors: string[] = []): string =>
  page(
    'Sign up',
    `<h1>Create your account</h1>${errorList(errors)}
<form method="post" action="/signup">
${field('Email', 'email', fields.email, 'email')}
${field('Your name', 'fullName', fields.fullName)}
${field('Workspace name (3–20 characters)', 'tenantName', fields.tenantName)}
<button type="submit">Sign up</button>
</form>`,
  );

/** Asks for the one-time code of the activation email. */
export const codePage = (signupId: string, email: string, errors: string[] = []): string =>
  page(
    'Enter your code',
    `<h1>Check your email</h1>${errorList(errors)}
<p>We sent a one-time code to <strong>${escapeHtml(email)}</strong>.</p>
<form method="post" action="/signup/${escapeHtml(signupId)}/code">
<label>One-time code<input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
<button type="submit">Activate my account</button>
</form>`,
  );

/** The activation link is in the user's inbox: nothing to do here. */
export const checkEmailPage = (email: string): string =>
  page(
    'Check your email',
    `<h1>Check your email</h1><p>We sent an activation link to <strong>${escapeHtml(email)}</strong>. Open it to activate your account.</p>`,
  );

/** The user is active; `next` is where Wristband would have the browser continue (its login). */
export const welcomePage = (email: string, next: string | undefined): string =>
  page(
    'Welcome',
    `<h1>Welcome!</h1><p id="status">Your account <strong>${escapeHtml(email)}</strong> is active.</p>${
      next ? `<p><a href="${escapeHtml(next)}">Continue to log in</a></p>` : ''
    }`,
  );

const errorList = (errors: string[]): string =>
  errors.length === 0
    ? ''
    : `<ul class="error" role="alert">${errors.map((error) => `<li>${escapeHtml(error)}</li>`).join('')}</ul>`;

// ---------------------------------------------------------------------------------------------
// The app

/** A user provisioned from an Anzu signup (stands in for your user table). */
export interface AnzuUser {
  email?: string | undefined;
  name?: string | undefined;
}

/**
 * The env lines `provisionkit dev` prints (or your real values in production): Wristband's
 * application domain, id and client credentials; Anzu's base URL, access token, scope and webhook
 * secret.
 */
export type SignupEnv = Record<string, string | undefined>;

/** Test seams: the `fetch` each client sends with (default `globalThis.fetch`). */
export interface SignupAppOptions {
  wristbandFetch?: typeof fetch;
  anzuFetch?: typeof fetch;
}

/** The Hono app, and the users its Anzu webhook created (keyed on the identity id). */
export interface SignupApp {
  app: Hono;
  anzuUsers: Map<string, AnzuUser>;
}

/** A signup between the form and the activation code, kept server-side under a random id. */
interface PendingSignup {
  email: string;
  requestCode?: string;
  active?: boolean;
  next?: string | undefined;
}

const required = (env: SignupEnv, name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: run \`npx provisionkit dev\` and paste its env lines`);
  return value;
};

/**
 * Builds the signup app from the env lines of `provisionkit dev`.
 *
 * @example
 * ```ts
 * const { app } = createSignupApp(process.env);
 * serve({ fetch: app.fetch, port: 3000 });
 * ```
 */
export function createSignupApp(env: SignupEnv, options: SignupAppOptions = {}): SignupApp {
  const wristband = new WristbandClient({
    applicationVanityDomain: required(env, 'WRISTBAND_APPLICATION_VANITY_DOMAIN'),
    auth: { clientId: required(env, 'WRISTBAND_CLIENT_ID'), clientSecret: required(env, 'WRISTBAND_CLIENT_SECRET') },
    fetch: options.wristbandFetch,
  });
  const applicationId = required(env, 'WRISTBAND_APPLICATION_ID');
  const anzu = new AnzuClient({
    baseUrl: required(env, 'ANZU_BASE_URL'),
    accessToken: required(env, 'ANZU_ACCESS_TOKEN'),
    teamId: required(env, 'ANZU_TEAM_ID'),
    projectId: required(env, 'ANZU_PROJECT_ID'),
    environmentId: required(env, 'ANZU_ENVIRONMENT_ID'),
    fetch: options.anzuFetch,
  });
  const anzuUsers = new Map<string, AnzuUser>();
  const anzuWebhook = createAnzuWebhookHandler({
    secret: required(env, 'ANZU_WEBHOOK_SECRET'),
    client: anzu,
    // Idempotent (keyed on the identity id): Anzu may deliver the same event again.
    onUserIdentityCreated: ({ payload: { identity } }) => {
      anzuUsers.set(identity.id, { email: identity.email, name: identity.fullName });
    },
  });
  // In a real app: a store with a TTL (provisionkit/stores), so that abandoned signups expire.
  const pending = new Map<string, PendingSignup>();

  const app = new Hono();
  app.get('/', (c) => c.redirect('/signup'));
  app.get('/signup', (c) => c.html(signupPage({ email: '', fullName: '', tenantName: '' })));

  app.post('/signup', async (c) => {
    const form = await c.req.parseBody();
    const fields = { email: text(form.email), fullName: text(form.fullName), tenantName: text(form.tenantName) };
    let result: SignupResult;
    try {
      result = await wristband.provisionSignup({
        level: 'application',
        applicationId,
        email: fields.email,
        fullName: fields.fullName || undefined,
        tenantName: fields.tenantName,
        tenantDisplayName: fields.tenantName,
      });
    } catch (error) {
      return c.html(signupPage(fields, explain(error, fields)), isUserError(error) ? 400 : 502);
    }
    switch (result.kind) {
      case 'activation_otp_sent': {
        if (!result.requestCode) break;
        const id = crypto.randomUUID();
        pending.set(id, { email: fields.email, requestCode: result.requestCode });
        return c.redirect(`/signup/${id}/code`, 303);
      }
      case 'activation_link_sent':
        return c.html(checkEmailPage(fields.email));
      case 'email_verification':
        return c.redirect(result.redirectUrl, 303);
      case 'mfa_enrollment_required':
        if (result.redirectUrl) return c.redirect(result.redirectUrl, 303);
        break;
    }
    return c.html(signupPage(fields, [`Unexpected answer from Wristband: ${result.result}`]), 502);
  });

  app.get('/signup/:id/code', (c) => {
    const signup = pending.get(c.req.param('id'));
    if (!signup?.requestCode) return c.html(signupPage(EMPTY, ['This signup has expired: please sign up again.']), 404);
    return c.html(codePage(c.req.param('id'), signup.email));
  });

  app.post('/signup/:id/code', async (c) => {
    const id = c.req.param('id');
    const signup = pending.get(id);
    if (!signup?.requestCode) return c.html(signupPage(EMPTY, ['This signup has expired: please sign up again.']), 404);
    const code = text((await c.req.parseBody()).code);
    let activation: ActivationResult;
    try {
      activation = await wristband.activateUser({ requestCode: signup.requestCode, verificationCode: code });
    } catch (error) {
      const message = ApiError.is(error) || ValidationError.is(error) ? 'That code is not valid.' : SERVICE_DOWN;
      return c.html(codePage(id, signup.email, [message]), 400);
    }
    if (activation.kind === 'unknown') {
      return c.html(codePage(id, signup.email, [`Unexpected answer from Wristband: ${activation.result}`]), 502);
    }
    // Wristband's redirect continues to its login (an auth session); MFA enrollment goes there at once.
    if (activation.kind === 'mfa_enrollment_required' && activation.redirectUrl) {
      pending.delete(id);
      return c.redirect(activation.redirectUrl, 303);
    }
    pending.set(id, { email: signup.email, active: true, next: activation.redirectUrl });
    return c.redirect(`/welcome/${id}`, 303);
  });

  app.get('/welcome/:id', (c) => {
    const signup = pending.get(c.req.param('id'));
    if (!signup?.active) return c.html(signupPage(EMPTY, ['Unknown signup.']), 404);
    return c.html(welcomePage(signup.email, signup.next));
  });

  // Hono hands over the Fetch Request with its body unread: the handler verifies the raw bytes.
  app.post('/webhooks/anzu', (c) => anzuWebhook(c.req.raw));

  return { app, anzuUsers };
}

const EMPTY: SignupFields = { email: '', fullName: '', tenantName: '' };
const SERVICE_DOWN = 'We could not reach the signup service. Please try again.';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

const isUserError = (error: unknown): boolean =>
  ValidationError.is(error) || (ApiError.is(error) && error.status < 500 && error.violations !== undefined);

const LABELS: Record<string, string> = { email: 'Email', fullName: 'Your name', tenantName: 'Workspace name' };

/** One line per problem, in the user's words; never a provider's raw body. */
function explain(error: unknown, fields: SignupFields): string[] {
  if (ValidationError.is(error)) {
    return error.issues.map((issue) => `${LABELS[issue.path] ?? issue.path} ${issue.message}.`);
  }
  if (ApiError.is(error) && error.violations) {
    return Object.entries(error.violations).map(([name, list]) => {
      if (list.some((violation) => violation.code === 'not_unique')) {
        if (name === 'email')
          return `An account for ${fields.email} (${fields.fullName}) already exists: log in instead.`;
        if (name === 'tenantName') return `The workspace name "${fields.tenantName}" is taken.`;
      }
      return `${LABELS[name] ?? name}: ${list.map((violation) => violation.code).join(', ')}.`;
    });
  }
  return [SERVICE_DOWN];
}

/**
 * Serves the app on 127.0.0.1:PORT (default 3000), configured by the env lines of `provisionkit dev`.
 *
 * @example
 * ```ts
 * main(process.env);
 * ```
 */
export function main(env: SignupEnv = process.env): ServerType {
  const { app } = createSignupApp(env);
  const port = Number(env.PORT ?? 3000);
  return serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) =>
    console.log(`Signup page on http://127.0.0.1:${info.port}/signup`),
  );
}

if (import.meta.main) main();
