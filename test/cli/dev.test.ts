import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { createAnzuWebhookHandler } from '../../src/anzu/webhook-handler.js';
import { ApiError } from '../../src/core/errors.js';
import { WristbandClient } from '../../src/wristband/client.js';
import { type DevProcess, startDev, startReceiver } from './run-bin.js';

const ENV_NAMES = [
  'ANZU_BASE_URL',
  'ANZU_ACCESS_TOKEN',
  'ANZU_TEAM_ID',
  'ANZU_PROJECT_ID',
  'ANZU_ENVIRONMENT_ID',
  'ANZU_WEBHOOK_SECRET',
  'WRISTBAND_APPLICATION_VANITY_DOMAIN',
  'WRISTBAND_APPLICATION_ID',
  'WRISTBAND_CLIENT_ID',
  'WRISTBAND_CLIENT_SECRET',
  'INBOX_URL',
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dev(args: string[] = []): Promise<DevProcess> {
  const started = await startDev(args);
  cleanups.push(started.stop);
  return started;
}

const wristbandClient = (env: Record<string, string>) =>
  new WristbandClient({
    applicationVanityDomain: env.WRISTBAND_APPLICATION_VANITY_DOMAIN ?? '',
    auth: { clientId: env.WRISTBAND_CLIENT_ID ?? '', clientSecret: env.WRISTBAND_CLIENT_SECRET ?? '' },
  });

const signup = (env: Record<string, string>, email: string, tenantName = 'acme') =>
  wristbandClient(env).provisionSignup({
    level: 'application',
    applicationId: env.WRISTBAND_APPLICATION_ID ?? '',
    tenantName,
    tenantDisplayName: `${tenantName} Inc.`,
    email,
  });

const inbox = async (env: Record<string, string>) => (await fetch(env.INBOX_URL ?? '')).text();

/** The row of `email` on the inbox page. */
const rowOf = (page: string, email: string) => page.split('<tr>').find((row) => row.includes(email)) ?? '';

/** The activation link in `email`'s row, resolved against the inbox URL. */
function activationLink(page: string, email: string, inboxUrl: string): URL {
  const href = /<a href="([^"]*)"[^>]*>[^<]*activat/i.exec(rowOf(page, email))?.[1];
  expect(href).toBeDefined();
  return new URL((href ?? '').replace(/&amp;/g, '&'), inboxUrl);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('provisionkit dev: start-up', () => {
  it('prints the env lines with 127.0.0.1 URLs; --port is the port of the URLs', async () => {
    const port = await freePort();
    const { env } = await dev(['--port', String(port)]);
    expect(Object.keys(env).sort()).toEqual([...ENV_NAMES].sort());
    for (const name of ['ANZU_BASE_URL', 'WRISTBAND_APPLICATION_VANITY_DOMAIN', 'INBOX_URL']) {
      expect(new URL(env[name] ?? '').host).toBe(`127.0.0.1:${port}`);
    }
    expect(env.ANZU_WEBHOOK_SECRET).toBe('anzu-sandbox-webhook-secret');
  });

  it('listens on 127.0.0.1 only (another loopback address is refused)', async () => {
    const { env } = await dev(['--secret', 'my-dev-secret']);
    expect(env.ANZU_WEBHOOK_SECRET).toBe('my-dev-secret');
    const port = Number(new URL(env.INBOX_URL ?? '').port);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, host, () => resolve(socket.end() && true));
        socket.on('error', () => resolve(false));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    // A server on 0.0.0.0 would accept here too (Linux routes all of 127/8 to loopback).
    expect(await reach('127.0.0.2')).toBe(false);
  });
});

describe('provisionkit dev: Wristband flow with the real WristbandClient', () => {
  it('link policy: signup, the inbox shows the user and tenant, the link activates the user', async () => {
    const { env } = await dev();
    const email = 'ada@example.com';
    expect(await signup(env, email)).toMatchObject({ kind: 'activation_link_sent' });
    let page = await inbox(env);
    expect(rowOf(page, email)).toContain('PENDING_SIGNUP_ACTIVATION');
    expect(page).toContain('acme Inc.');
    const link = activationLink(page, email, env.INBOX_URL ?? '');
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toMatch(/activated/i);
    page = await inbox(env);
    expect(rowOf(page, email)).toContain('ACTIVE');
    expect(rowOf(page, email)).not.toContain('PENDING_SIGNUP_ACTIVATION');
    // The model is the sandbox's: an ACTIVE user signing up again is refused.
    const again = await signup(env, email).catch((error: unknown) => error);
    expect(ApiError.is(again) && again.violations).toMatchObject({ email: [{ code: 'not_unique' }] });
    // A spent link does not activate twice.
    expect((await fetch(link)).status).toBe(400);
  });

  it('otp policy: the inbox shows the one-time code, which activateUser accepts', async () => {
    const { env } = await dev(['--verification', 'otp']);
    const email = 'grace@example.com';
    const result = await signup(env, email);
    expect(result.kind).toBe('activation_otp_sent');
    const requestCode = result.kind === 'activation_otp_sent' ? (result.requestCode ?? '') : '';
    const code = /\b(\d{6})\b/.exec(rowOf(await inbox(env), email))?.[1];
    expect(code).toBeDefined();
    await expect(
      wristbandClient(env).activateUser({ requestCode, verificationCode: code ?? '' }),
    ).resolves.toMatchObject({ kind: 'activation_complete' });
    expect(rowOf(await inbox(env), email)).toContain('ACTIVE');
  });

  it('email_verification with --mfa-required answers MFA_ENROLLMENT_REQUIRED', async () => {
    const { env } = await dev(['--verification', 'email_verification', '--mfa-required']);
    await expect(signup(env, 'mfa@example.com')).resolves.toMatchObject({ kind: 'mfa_enrollment_required' });
  });

  it('escapes user-supplied text on the inbox page', async () => {
    const { env } = await dev();
    await signup(env, '<script>alert(1)</script>@example.com', 'evil');
    await wristbandClient(env).provisionSignup({
      level: 'application',
      applicationId: env.WRISTBAND_APPLICATION_ID ?? '',
      tenantName: 'evil2',
      tenantDisplayName: '"><img src=x onerror=alert(2)>',
      email: 'x@example.com',
      fullName: '<script>alert(3)</script>',
    });
    const page = await inbox(env);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toContain('<img');
  });
});

describe('provisionkit dev: Anzu flow', () => {
  it('the form creates a pending identity, sends a signed webhook, the app confirms at ANZU_BASE_URL', async () => {
    let env: Record<string, string> = {};
    let seenPending = '';
    const receiver = await startReceiver(async ({ headers, body }) => {
      const handler = createAnzuWebhookHandler({
        secret: env.ANZU_WEBHOOK_SECRET ?? '',
        client: new AnzuClient({
          baseUrl: env.ANZU_BASE_URL,
          accessToken: env.ANZU_ACCESS_TOKEN ?? '',
          teamId: env.ANZU_TEAM_ID ?? '',
          projectId: env.ANZU_PROJECT_ID ?? '',
          environmentId: env.ANZU_ENVIRONMENT_ID ?? '',
        }),
        // The identity shows on the inbox from its creation on, pending until confirmed.
        onUserIdentityCreated: async () => {
          seenPending = rowOf(await inbox(env), 'ada@anzu.example');
        },
      });
      const request = new Request('http://app.local/webhooks/anzu', {
        method: 'POST',
        headers: headers as Record<string, string>,
        body: new Uint8Array(body),
      });
      const response = await handler(request);
      return { status: response.status, body: await response.text() };
    });
    cleanups.push(receiver.close);
    ({ env } = await dev(['--webhook-url', receiver.url]));
    const page = await inbox(env);
    expect(page).toMatch(/<form[^>]*method="post"[\s\S]*Anzu[\s\S]*<\/form>/);
    const posted = await fetch(new URL('/inbox/anzu-signup', env.INBOX_URL), {
      method: 'POST',
      body: new URLSearchParams({ email: 'ada@anzu.example' }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(receiver.received).toHaveLength(1);
    expect(seenPending).toContain('pending');
    const after = await inbox(env);
    expect(rowOf(after, 'ada@anzu.example')).toContain('complete');
    // The endpoint's answer is on the page.
    expect(after).toContain('200');
    expect(after).toContain('{&quot;ok&quot;:true}');
  });

  it('without --webhook-url the form says so', async () => {
    const { env } = await dev();
    expect(await inbox(env)).toContain('no <code>--webhook-url</code>');
  });
});

describe('provisionkit dev: live page and shutdown', () => {
  it('pushes a "changed" server-sent event when the model changes', async () => {
    const { env } = await dev();
    const page = await inbox(env);
    expect(page).toContain('/inbox/events');
    expect(page).toContain('http-equiv="refresh"');
    const controller = new AbortController();
    const events = await fetch(new URL('/inbox/events', env.INBOX_URL), { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    await signup(env, 'live@example.com');
    while (!text.includes('event: changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    expect(text).toContain('event: changed');
  });

  it('tells a page that connects after a change it does not show to reload at once, and only then', async () => {
    const { env } = await dev();
    const version = (page: string) => Number(/\/inbox\/events\?v=(\d+)/.exec(page)?.[1]);
    const before = version(await inbox(env));
    expect(Number.isInteger(before)).toBe(true);
    // A change between rendering a page and its EventSource connecting (a reload mid-delivery).
    await signup(env, 'gap@example.com');
    const current = version(await inbox(env));
    expect(current).toBeGreaterThan(before);
    /** The first chunk after the stream's own `: connected` comment, or '' if none comes soon. */
    const firstEvent = async (v: number) => {
      const controller = new AbortController();
      const events = await fetch(new URL(`/inbox/events?v=${v}`, env.INBOX_URL), { signal: controller.signal });
      const reader = (events.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const quiet = new Promise<void>((resolve) => setTimeout(resolve, 300));
      while (!text.includes('event: changed')) {
        const next = await Promise.race([reader.read(), quiet.then(() => undefined)]);
        if (!next || next.done) break;
        text += decoder.decode(next.value, { stream: true });
      }
      controller.abort();
      return text;
    };
    expect(await firstEvent(before)).toContain('event: changed');
    expect(await firstEvent(current)).not.toContain('event: changed');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s closes the servers (open SSE included) and exits 0 within 5 s',
    async (signal) => {
      const { child, env } = await dev();
      const events = await fetch(new URL('/inbox/events', env.INBOX_URL));
      expect(events.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000))]);
      expect(code).toBe(0);
      await expect(fetch(env.INBOX_URL ?? '')).rejects.toThrow();
    },
  );
});
