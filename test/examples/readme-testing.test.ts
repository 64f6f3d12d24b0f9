// The "Testing your integration" example of docs/testing.md, verbatim below the marker: a user's own
// vitest test of their signup code against the sandboxes. Kept here so the guide cannot rot.
// --- docs/testing.md ---
import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
import { createAnzuSandbox, createWristbandSandbox } from 'provisionkit/testing';
import { WristbandClient } from 'provisionkit/wristband';
import { describe, expect, it } from 'vitest';

// Your code, usually imported from your app: it only needs a client, so tests pass one whose
// `fetch` is a sandbox, and production passes one built from the real credentials.
async function signUp(wristband: WristbandClient, applicationId: string, form: { email: string; company: string }) {
  const result = await wristband.provisionSignup({
    level: 'application',
    applicationId,
    tenantName: form.company.toLowerCase(),
    tenantDisplayName: form.company,
    email: form.email,
  });
  return result.kind === 'activation_otp_sent'
    ? { next: 'enter-code', requestCode: result.requestCode }
    : { next: result.kind };
}

describe('signup with Wristband (OTP policy)', () => {
  it('provisions the user and activates them with the emailed code', async () => {
    const sandbox = createWristbandSandbox({ verification: 'otp' });
    const wristband = new WristbandClient({
      applicationVanityDomain: 'myapp-myco.us.wristband.dev',
      auth: { clientId: 'test-client', clientSecret: 'test-secret' },
      fetch: sandbox.fetch,
    });

    const step = await signUp(wristband, sandbox.applicationId, { email: 'ada@acme.test', company: 'Acme' });
    expect(step.next).toBe('enter-code');
    expect(sandbox.users()).toMatchObject([{ email: 'ada@acme.test', status: 'PENDING_SIGNUP_ACTIVATION' }]);

    const code = sandbox.otpFor('ada@acme.test') as string; // what the user would read in the email
    const activation = await wristband.activateUser({
      requestCode: step.requestCode as string,
      verificationCode: code,
    });
    expect(activation.kind).toBe('activation_complete');
    expect(sandbox.users()[0]?.status).toBe('ACTIVE');
  });
});

describe('signup with Anzu (webhook)', () => {
  it('creates the user and confirms provisioning', async () => {
    const anzu = createAnzuSandbox();
    const users = new Map<string, string | undefined>();
    const handler = createAnzuWebhookHandler({
      secret: anzu.secret,
      client: new AnzuClient({ accessToken: 'test', ...anzu.scope, fetch: anzu.fetch }),
      onUserIdentityCreated: (event) => {
        users.set(event.payload.identity.id, event.payload.identity.email);
      },
    });

    const response = await handler(await anzu.signedWebhook({ email: 'ada@example.com' }));

    expect(response.status).toBe(200);
    const [identity] = anzu.identities();
    expect(identity?.provisioningStatus).toBe('complete');
    expect(users.get(identity?.id ?? '')).toBe('ada@example.com');
  });
});
