import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { createWristbandSandbox, type WristbandSandboxOptions } from '../../src/testing/index.js';
import { WristbandClient } from '../../src/wristband/client.js';
import {
  WRISTBAND_RESULT_ACTIVATION_LINK_SENT,
  WRISTBAND_RESULT_ACTIVATION_OTP_SENT,
} from '../../src/wristband/constants.js';
import type { ApplicationSignupRequest } from '../../src/wristband/signup-request.js';

const DOMAIN = 'yourapp-yourco.us.wristband.dev';
const BASE = `https://${DOMAIN}`;
const CLIENT_ID = 'm2m-client';
const CLIENT_SECRET = 'cs-sandbox-2c9f1e';

function setup(options: WristbandSandboxOptions = {}) {
  const wristband = createWristbandSandbox(options);
  const client = new WristbandClient({
    applicationVanityDomain: DOMAIN,
    auth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    fetch: wristband.fetch,
  });
  const appSignup = (email: string, tenantName = 'acme'): ApplicationSignupRequest => ({
    level: 'application',
    applicationId: wristband.applicationId,
    tenantName,
    tenantDisplayName: 'Acme Inc.',
    email,
  });
  return { wristband, client, appSignup };
}

const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const tokenRequest = (authorization: string | undefined, body = 'grant_type=client_credentials') =>
  new Request(`${BASE}/api/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
const post = (path: string, token: string, body: unknown) =>
  new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function token(wristband: ReturnType<typeof createWristbandSandbox>): Promise<string> {
  const response = await wristband.fetch(tokenRequest(basic('a', 'b')));
  return ((await response.json()) as { access_token: string }).access_token;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!ApiError.is(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('createWristbandSandbox: options', () => {
  it('refuses an unknown verification policy', () => {
    const options = { verification: 'magic' } as unknown as WristbandSandboxOptions;
    expect(() => createWristbandSandbox(options)).toThrow(
      new TypeError('createWristbandSandbox: unknown `verification`'),
    );
  });
});

describe('createWristbandSandbox: token endpoint', () => {
  it('issues bearer tokens for client credentials', async () => {
    const wristband = createWristbandSandbox();
    const response = await wristband.fetch(tokenRequest(basic(CLIENT_ID, CLIENT_SECRET)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 1800 });
  });

  it('refuses other credentials than the configured ones with invalid_client (401)', async () => {
    const wristband = createWristbandSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    for (const auth of [basic(CLIENT_ID, 'wrong-secret-77'), basic('other', CLIENT_SECRET), undefined, 'Bearer x']) {
      const response = await wristband.fetch(tokenRequest(auth));
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
      expect(text).not.toContain('wrong-secret-77');
    }
  });

  it('answers unsupported_grant_type / invalid_request (400) for other grants', async () => {
    const wristband = createWristbandSandbox();
    const other = await wristband.fetch(tokenRequest(basic('a', 'b'), 'grant_type=password'));
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const none = await wristband.fetch(tokenRequest(basic('a', 'b'), ''));
    expect(await none.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('makes WristbandClient fail with the OAuth code when its credentials are wrong', async () => {
    const wristband = createWristbandSandbox({ clientId: CLIENT_ID, clientSecret: 'the-real-one' });
    const client = new WristbandClient({
      applicationVanityDomain: DOMAIN,
      auth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      fetch: wristband.fetch,
    });
    const error = await rejection(client.provisionSignup({ level: 'tenant', tenantId: 't', email: 'a@b.co' }));
    expect(error).toMatchObject({ status: 401, code: 'invalid_client' });
    expect(wristband.users()).toEqual([]);
  });
});

describe('createWristbandSandbox: API authentication', () => {
  it('refuses tokens it did not issue with 401 base_error', async () => {
    const wristband = createWristbandSandbox();
    const response = await wristband.fetch(post('/api/v1/signup/provision-user', 'made-up-token', {}));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      type: 'base_error',
      code: 'unauthorized',
      message: expect.any(String),
      ticket: expect.any(String),
    });
    expect(text).not.toContain('made-up-token');
  });

  it('refuses a fixed token string through WristbandClient, sending nothing twice', async () => {
    const wristband = createWristbandSandbox();
    const client = new WristbandClient({
      applicationVanityDomain: DOMAIN,
      auth: { accessToken: 'not-from-wristband' },
      fetch: wristband.fetch,
    });
    const error = await rejection(client.provisionSignup({ level: 'tenant', tenantId: 't', email: 'a@b.co' }));
    expect(error.status).toBe(401);
  });

  it('after revokeTokens, the client gets a fresh token and the signup goes through', async () => {
    const { wristband, client, appSignup } = setup({ verification: 'email_verification' });
    await client.provisionSignup(appSignup('first@acme.test', 'first'));
    wristband.revokeTokens();
    const result = await client.provisionSignup(appSignup('second@acme.test', 'second'));
    expect(result.kind).toBe('email_verification');
    expect(wristband.users()).toHaveLength(2);
  });

  it('answers 404 for unknown paths and 405 for other methods, in base_error shape', async () => {
    const wristband = createWristbandSandbox();
    const unknown = await wristband.fetch(`${BASE}/api/v1/users`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'base_error', code: 'not_found' });
    const get = await wristband.fetch(`${BASE}/api/v1/signup/provision-user`);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ type: 'base_error' });
  });
});

describe('createWristbandSandbox: application-level signup by policy', () => {
  it("'link' (default): pending user, link result, the emailAuthCode activates", async () => {
    const { wristband, client, appSignup } = setup();
    const result = await client.provisionSignup(appSignup('ada@acme.test'));
    expect(result).toMatchObject({ kind: 'activation_link_sent', result: WRISTBAND_RESULT_ACTIVATION_LINK_SENT });
    expect(result.raw).toEqual({ result: WRISTBAND_RESULT_ACTIVATION_LINK_SENT });
    const [tenant] = wristband.tenants();
    expect(tenant).toEqual({ id: expect.stringMatching(/^[a-z2-7]{26}$/), name: 'acme', displayName: 'Acme Inc.' });
    expect(wristband.users()).toEqual([
      { id: expect.any(String), tenantId: tenant?.id, email: 'ada@acme.test', status: 'PENDING_SIGNUP_ACTIVATION' },
    ]);
    expect(wristband.otpFor('ada@acme.test')).toBeUndefined();
    const emailAuthCode = wristband.linkCodeFor('ADA@acme.test') as string;
    const activation = await client.activateUser({ emailAuthCode });
    expect(activation).toMatchObject({ kind: 'activation_complete', redirectUrl: expect.stringContaining(BASE) });
    expect(wristband.users()[0]?.status).toBe('ACTIVE');
    // A code works once.
    const again = await rejection(client.activateUser({ emailAuthCode }));
    expect(again).toMatchObject({ status: 400, violations: { emailAuthCode: [{ code: 'invalid' }] } });
  });

  it("'otp': requestCode in the result, otpFor(email) reads the code, activate-user checks it", async () => {
    const { wristband, client, appSignup } = setup({ verification: 'otp' });
    const result = await client.provisionSignup(appSignup('bob@acme.test'));
    expect(result).toMatchObject({ kind: 'activation_otp_sent', result: WRISTBAND_RESULT_ACTIVATION_OTP_SENT });
    if (result.kind !== 'activation_otp_sent') throw new Error('unreachable');
    const requestCode = result.requestCode as string;
    const code = wristband.otpFor('bob@acme.test') as string;
    expect(code).toMatch(/^\d{6}$/);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await rejection(client.activateUser({ requestCode, verificationCode: wrongCode }));
    expect(wrong).toMatchObject({ status: 400, violations: { verificationCode: [{ code: 'invalid' }] } });
    expect(JSON.stringify(wrong.body)).not.toContain(code);
    expect(wristband.users()[0]?.status).toBe('PENDING_SIGNUP_ACTIVATION');
    const activation = await client.activateUser({ requestCode, verificationCode: code });
    expect(activation.kind).toBe('activation_complete');
    expect(wristband.users()[0]?.status).toBe('ACTIVE');
  });

  it("'otp' with mfaRequired: activation answers MFA_ENROLLMENT_REQUIRED", async () => {
    const { wristband, client, appSignup } = setup({ verification: 'otp', mfaRequired: true });
    const result = await client.provisionSignup(appSignup('eve@acme.test'));
    if (result.kind !== 'activation_otp_sent') throw new Error(`unexpected ${result.kind}`);
    const activation = await client.activateUser({
      requestCode: result.requestCode as string,
      verificationCode: wristband.otpFor('eve@acme.test') as string,
    });
    expect(activation).toMatchObject({ kind: 'mfa_enrollment_required', redirectUrl: expect.any(String) });
    expect(wristband.users()[0]?.status).toBe('ACTIVE');
  });

  it("'otp': requestCodeFor gives the signup's requestCode, only under the OTP policy", async () => {
    const { wristband, client, appSignup } = setup({ verification: 'otp' });
    const result = await client.provisionSignup(appSignup('rc@acme.test'));
    if (result.kind !== 'activation_otp_sent') throw new Error(`unexpected ${result.kind}`);
    expect(wristband.requestCodeFor('RC@acme.test')).toBe(result.requestCode);
    expect(wristband.linkCodeFor('rc@acme.test')).toBeUndefined();
    const link = setup({ verification: 'link' });
    await link.client.provisionSignup(link.appSignup('rc@acme.test'));
    expect(link.wristband.requestCodeFor('rc@acme.test')).toBeUndefined();
  });

  it("'email_verification': active at once, redirectUrl to create-auth-session carrying state", async () => {
    const { wristband, client, appSignup } = setup({ verification: 'email_verification' });
    const result = await client.provisionSignup({ ...appSignup('cy@acme.test'), state: 'st-42' });
    expect(result.kind).toBe('email_verification');
    if (result.kind !== 'email_verification') throw new Error('unreachable');
    const url = new URL(result.redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE}/api/v1/signup/create-auth-session`);
    expect(url.searchParams.get('state')).toBe('st-42');
    expect(wristband.users()[0]?.status).toBe('ACTIVE');
    expect(wristband.linkCodeFor('cy@acme.test')).toBeUndefined();
  });

  it("'email_verification' with mfaRequired: MFA_ENROLLMENT_REQUIRED instead", async () => {
    const { client, appSignup } = setup({ verification: 'email_verification', mfaRequired: true });
    const result = await client.provisionSignup(appSignup('di@acme.test'));
    expect(result).toMatchObject({ kind: 'mfa_enrollment_required', result: 'MFA_ENROLLMENT_REQUIRED' });
  });

  it("'email_verification' with magicLinks: an activation email is sent anyway", async () => {
    const { wristband, client, appSignup } = setup({ verification: 'email_verification', magicLinks: true });
    const result = await client.provisionSignup(appSignup('ed@acme.test'));
    expect(result.kind).toBe('activation_link_sent');
    expect(wristband.users()[0]?.status).toBe('PENDING_SIGNUP_ACTIVATION');
    expect(wristband.linkCodeFor('ed@acme.test')).toMatch(/^\w+$/);
  });
});

describe('createWristbandSandbox: signing up again', () => {
  it('a pending user gets the activation resent: same kind, new code, old one dead', async () => {
    const { wristband, client, appSignup } = setup({ verification: 'otp' });
    const first = await client.provisionSignup(appSignup('fay@acme.test'));
    const firstCode = wristband.otpFor('fay@acme.test');
    const second = await client.provisionSignup(appSignup('fay@acme.test'));
    expect(second.kind).toBe('activation_otp_sent');
    expect(wristband.users()).toHaveLength(1);
    expect(wristband.tenants()).toHaveLength(1);
    if (first.kind !== 'activation_otp_sent' || second.kind !== 'activation_otp_sent') throw new Error('unreachable');
    expect(second.requestCode).not.toBe(first.requestCode);
    const stale = await rejection(
      client.activateUser({ requestCode: first.requestCode as string, verificationCode: firstCode as string }),
    );
    expect(stale.violations).toEqual({ requestCode: [{ code: 'invalid' }] });
    const activation = await client.activateUser({
      requestCode: second.requestCode as string,
      verificationCode: wristband.otpFor('fay@acme.test') as string,
    });
    expect(activation.kind).toBe('activation_complete');
  });

  it('an active user gets not_unique on email', async () => {
    const { wristband, client, appSignup } = setup({ verification: 'email_verification' });
    await client.provisionSignup(appSignup('gus@acme.test'));
    const error = await rejection(client.provisionSignup(appSignup('GUS@acme.test')));
    expect(error).toMatchObject({ status: 400, code: 'message_body_constraint_violations' });
    expect(error.violations).toEqual({ email: [{ code: 'not_unique' }] });
    expect(error.requestId).toEqual(expect.any(String));
    expect(wristband.users()).toHaveLength(1);
  });

  it('a new email for an existing tenant name gets not_unique on tenantName', async () => {
    const { wristband, client, appSignup } = setup();
    await client.provisionSignup(appSignup('hal@acme.test'));
    const error = await rejection(client.provisionSignup(appSignup('ivy@acme.test', 'ACME')));
    expect(error.violations).toEqual({ tenantName: [{ code: 'not_unique' }] });
    expect(wristband.users()).toHaveLength(1);
  });

  it('tenant names are unique per application, not across applications', async () => {
    const { wristband, client, appSignup } = setup();
    await client.provisionSignup(appSignup('jo@acme.test'));
    await client.provisionSignup({ ...appSignup('kim@acme.test'), applicationId: 'another-app' });
    expect(wristband.tenants().map((t) => t.name)).toEqual(['acme', 'acme']);
  });

  it('with an applicationId option, other applications are refused', async () => {
    const { client, appSignup, wristband } = setup({ applicationId: 'app-1' });
    expect(wristband.applicationId).toBe('app-1');
    const error = await rejection(client.provisionSignup({ ...appSignup('lu@acme.test'), applicationId: 'app-2' }));
    expect(error.violations).toEqual({ applicationId: [{ code: 'not_found' }] });
  });
});

describe('createWristbandSandbox: tenant-level signup', () => {
  it('provisions into an existing tenant and applies the policy', async () => {
    const { wristband, client } = setup({ verification: 'email_verification' });
    const tenant = wristband.addTenant({ name: 'globex', displayName: 'Globex' });
    expect(wristband.tenants()).toEqual([tenant]);
    const result = await client.provisionSignup({ level: 'tenant', tenantId: tenant.id, email: 'mo@globex.test' });
    expect(result.kind).toBe('email_verification');
    expect(wristband.users()).toEqual([expect.objectContaining({ tenantId: tenant.id, status: 'ACTIVE' })]);
  });

  it('the same email may exist in two tenants', async () => {
    const { wristband, client, appSignup } = setup({ verification: 'email_verification' });
    await client.provisionSignup(appSignup('ned@x.test'));
    const other = wristband.addTenant({ name: 'other' });
    await client.provisionSignup({ level: 'tenant', tenantId: other.id, email: 'ned@x.test' });
    expect(wristband.users()).toHaveLength(2);
  });

  it('an unknown tenantId gets a not_found violation', async () => {
    const { client } = setup();
    const error = await rejection(client.provisionSignup({ level: 'tenant', tenantId: 'nope', email: 'o@x.test' }));
    expect(error.violations).toEqual({ tenantId: [{ code: 'not_found' }] });
  });
});

describe('createWristbandSandbox: body checks (for requests not sent by WristbandClient)', () => {
  it('lists every missing field of an application-level body in the constraint_violations shape', async () => {
    const wristband = createWristbandSandbox();
    const response = await wristband.fetch(post('/api/v1/signup/provision-user', await token(wristband), {}));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ type: 'constraint_violations_error', code: 'message_body_constraint_violations' });
    expect(Object.keys(body.violations).sort()).toEqual(['applicationId', 'email', 'tenantDisplayName', 'tenantName']);
    expect(body.violations.email).toEqual([{ code: 'not_null' }]);
  });

  it('refuses mixed levels, bad lengths and wrong types, never echoing the password', async () => {
    const wristband = createWristbandSandbox();
    const response = await wristband.fetch(
      post('/api/v1/signup/provision-user', await token(wristband), {
        tenantId: 't1',
        tenantName: 'ab',
        email: 42,
        password: 'hunter2-secret',
      }),
    );
    const text = await response.text();
    expect(text).not.toContain('hunter2-secret');
    const { violations } = JSON.parse(text);
    expect(violations.tenantName).toEqual([
      { code: 'too_short', constraintAttributes: { min: 3 } },
      { code: 'must_be_null' },
    ]);
    expect(violations.email).toEqual([{ code: 'invalid_type' }]);
    expect(wristband.users()).toEqual([]);
  });

  it('refuses an activate-user body with neither or both forms', async () => {
    const wristband = createWristbandSandbox();
    const bearer = await token(wristband);
    for (const body of [{}, { emailAuthCode: 'a', requestCode: 'b', verificationCode: 'c' }]) {
      const response = await wristband.fetch(post('/api/v1/user-activation/activate-user', bearer, body));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: 'constraint_violations_error' });
    }
  });
});
