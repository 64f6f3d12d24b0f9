import { createAnzuSandbox, createWristbandSandbox, type WristbandSandbox } from 'provisionkit/testing';
import { describe, expect, it } from 'vitest';
import { createSignupApp } from '../../examples/signup-page/app.js';

// The example in-process: its Hono app on the two sandboxes' fetch, the browser's part played by
// app.request with the form bodies a browser would post. test/browser/ drives it in Chromium.

const SECRET = 'example-webhook-secret';

function setup(verification: 'link' | 'otp' | 'email_verification', mfaRequired = false) {
  const wristband = createWristbandSandbox({ verification, mfaRequired });
  const anzu = createAnzuSandbox({ secret: SECRET });
  const env = {
    WRISTBAND_APPLICATION_VANITY_DOMAIN: 'yourapp-yourco.us.wristband.dev',
    WRISTBAND_APPLICATION_ID: wristband.applicationId,
    WRISTBAND_CLIENT_ID: 'client-id',
    WRISTBAND_CLIENT_SECRET: 'client-secret',
    ANZU_BASE_URL: 'https://api.anzuhq.com/2022.8',
    ANZU_ACCESS_TOKEN: 'anzu-token',
    ANZU_TEAM_ID: 'team',
    ANZU_PROJECT_ID: 'project',
    ANZU_ENVIRONMENT_ID: 'env',
    ANZU_WEBHOOK_SECRET: SECRET,
  };
  const { app, anzuUsers } = createSignupApp(env, { wristbandFetch: wristband.fetch, anzuFetch: anzu.fetch });
  const post = (path: string, fields: Record<string, string>) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  const signUp = (email: string, fullName = 'Ada Lovelace', tenantName = 'analytical') =>
    post('/signup', { email, fullName, tenantName });
  return { wristband, anzu, app, anzuUsers, post, signUp };
}

const statusOf = (wristband: WristbandSandbox, email: string) =>
  wristband.users().find((user) => user.email === email)?.status;

describe('examples/signup-page', () => {
  it('serves the signup form as plain HTML', async () => {
    const { app } = setup('otp');
    const response = await app.request('/signup');
    const body = await response.text();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(body).toMatch(/<form method="post" action="\/signup">/);
    for (const name of ['email', 'fullName', 'tenantName']) expect(body).toContain(`name="${name}"`);
  });

  it('OTP policy: signup -> code form -> activateUser -> welcome page, user ACTIVE', async () => {
    const { wristband, app, post, signUp } = setup('otp');
    const signup = await signUp('ada@example.com');
    expect(signup.status).toBe(303);
    const codeUrl = signup.headers.get('location') ?? '';
    expect(codeUrl).toMatch(/^\/signup\/[\w-]{36}\/code$/);
    expect(statusOf(wristband, 'ada@example.com')).toBe('PENDING_SIGNUP_ACTIVATION');

    const form = await (await app.request(codeUrl)).text();
    expect(form).toContain('ada@example.com');
    expect(form).toContain(`action="${codeUrl}"`);
    // The requestCode stays on the server: the page only carries the random signup id.
    expect(form).not.toContain(wristband.requestCodeFor('ada@example.com'));

    const wrong = await post(codeUrl, { code: '000000x' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code is not valid.');
    expect(statusOf(wristband, 'ada@example.com')).toBe('PENDING_SIGNUP_ACTIVATION');

    const activated = await post(codeUrl, { code: wristband.otpFor('ada@example.com') ?? '' });
    expect(activated.status).toBe(303);
    const welcomeUrl = activated.headers.get('location') ?? '';
    expect(welcomeUrl).toMatch(/^\/welcome\//);
    expect(statusOf(wristband, 'ada@example.com')).toBe('ACTIVE');
    const welcome = await (await app.request(welcomeUrl)).text();
    expect(welcome).toContain('<strong>ada@example.com</strong> is active');
    expect(welcome).toMatch(/href="https:\/\/yourapp-yourco\.us\.wristband\.dev\/[^"]+"/);
  });

  it('link policy: signup -> "check your email" page; the link activates the user', async () => {
    const { wristband, signUp } = setup('link');
    const signup = await signUp('grace@example.com');
    expect(signup.status).toBe(200);
    expect(await signup.text()).toContain('We sent an activation link to <strong>grace@example.com</strong>');
    expect(statusOf(wristband, 'grace@example.com')).toBe('PENDING_SIGNUP_ACTIVATION');
  });

  it('email_verification: redirects at once to the result redirectUrl', async () => {
    const { wristband, signUp } = setup('email_verification');
    const signup = await signUp('alan@example.com');
    expect(signup.status).toBe(303);
    expect(signup.headers.get('location')).toMatch(
      /^https:\/\/yourapp-yourco\.us\.wristband\.dev\/api\/v1\/signup\/create-auth-session\?/,
    );
    expect(statusOf(wristband, 'alan@example.com')).toBe('ACTIVE');
  });

  it('MFA enrollment required: redirects to the result redirectUrl', async () => {
    const { signUp } = setup('email_verification', true);
    const signup = await signUp('mfa@example.com');
    expect(signup.status).toBe(303);
    expect(signup.headers.get('location')).toMatch(/^https:\/\/yourapp-yourco\.us\.wristband\.dev\//);
  });

  it('a not_unique email is shown on the form, and a <script> name in it is escaped', async () => {
    const { signUp } = setup('email_verification');
    expect((await signUp('dup@example.com')).status).toBe(303);
    const name = '<script>alert("x")</script>';
    const again = await signUp('dup@example.com', name);
    const body = await again.text();
    expect(again.status).toBe(400);
    expect(body).toContain(
      'An account for dup@example.com (&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;) already exists',
    );
    expect(body).toContain('value="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;"');
    expect(body).not.toContain('<script>');
  });

  it('a taken workspace name and local validation errors are shown on the form, nothing sent for the latter', async () => {
    const { wristband, signUp } = setup('email_verification');
    await signUp('one@example.com', 'One', 'acme');
    const taken = await signUp('two@example.com', 'Two', 'acme');
    expect(await taken.text()).toContain('The workspace name &#34;acme&#34; is taken.');
    const invalid = await signUp('three@example.com', 'Three', 'ab');
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/<li>Workspace name [^<]+\.<\/li>/);
    expect(wristband.users().map((user) => user.email)).toEqual(['one@example.com']);
  });

  it('an unknown signup id gets 404, not a code form', async () => {
    const { app, post } = setup('otp');
    expect((await app.request('/signup/nope/code')).status).toBe(404);
    expect((await post('/signup/nope/code', { code: '1' })).status).toBe(404);
    expect((await app.request('/welcome/nope')).status).toBe(404);
  });

  it('Anzu webhook: records the user and confirms provisioning; a bad signature is refused', async () => {
    const { anzu, app, anzuUsers } = setup('otp');
    const webhook = await anzu.signedWebhook({ email: 'anzu@example.com', fullName: 'Anzu User' });
    const body = await webhook.text();
    const signature = webhook.headers.get('anzu-signature') ?? '';
    // Same signature, one byte more of body: what a tampered delivery looks like.
    const forged = await app.request('/webhooks/anzu', {
      method: 'POST',
      body: `${body} `,
      headers: { 'anzu-signature': signature },
    });
    expect(forged.status).toBe(401);
    const [identity] = anzu.identities();
    expect(identity?.provisioningStatus).toBe('pending');

    const response = await app.request('/webhooks/anzu', { method: 'POST', body, headers: webhook.headers });
    expect(response.status).toBe(200);
    expect(anzu.provisioningStatus(identity?.id ?? '')).toBe('complete');
    expect(anzuUsers.get(identity?.id ?? '')).toEqual({ email: 'anzu@example.com', name: 'Anzu User' });
  });

  it('refuses to start without the env lines, naming the missing one', () => {
    expect(() => createSignupApp({})).toThrow(/WRISTBAND_APPLICATION_VANITY_DOMAIN is not set/);
  });
});
