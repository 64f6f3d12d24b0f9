/**
 * The `provisionkit dev` server: one `node:http` server on 127.0.0.1 serving the Wristband API
 * (`/api/v1/…`, at the origin, as on a vanity domain), the Anzu API (`/anzu/2022.8/…`) and the
 * inbox (`/inbox`). The APIs are the provisionkit/testing sandboxes' own `fetch`: one model.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnzuSandbox, createAnzuSandbox } from '../testing/anzu-sandbox.js';
import { createWristbandSandbox, type WristbandSandbox } from '../testing/wristband-sandbox.js';
import { WRISTBAND_ACTIVATE_USER_PATH, WRISTBAND_TOKEN_PATH } from '../wristband/constants.js';
import { html } from './html.js';
import { type AnzuDelivery, inboxPage, page } from './inbox-page.js';
import { toRequest, writeResponse } from './node-fetch-bridge.js';

/** Path prefix of the Anzu emulator: Anzu's API version is a path segment of its base URL. */
export const ANZU_PREFIX = '/anzu/2022.8';
export const INBOX_PATH = '/inbox';

/** Options of {@link startDevServer}, from the command line. */
export interface DevServerOptions {
  port: number;
  webhookUrl?: string | undefined;
  secret: string;
  verification: 'link' | 'otp' | 'email_verification';
  mfaRequired: boolean;
}

/** A running dev server. */
export interface DevServer {
  origin: string;
  anzu: AnzuSandbox;
  wristband: WristbandSandbox;
  /** Closes the server, its open connections and the inbox's event streams. */
  close(): Promise<void>;
}

/**
 * Starts the dev server on 127.0.0.1 (never another interface: it accepts any credentials).
 *
 * @example
 * ```ts
 * const server = await startDevServer({ port: 0, secret: 's', verification: 'link', mfaRequired: false });
 * ```
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const anzu = createAnzuSandbox({ secret: options.secret });
  const wristband = createWristbandSandbox({ verification: options.verification, mfaRequired: options.mfaRequired });
  const streams = new Set<ServerResponse>();
  let lastDelivery: AnzuDelivery | undefined;
  let origin = '';

  /** Counts changes, so that a page can tell on connecting whether it already shows the latest. */
  let version = 0;
  const changed = () => {
    version++;
    for (const stream of streams) stream.write('event: changed\ndata: {}\n\n');
  };

  /** Activates like Wristband's link (or OTP form) does: Activate User with a token of its own. */
  const activate = async (query: URLSearchParams): Promise<Response> => {
    const token = await wristband.fetch(`${origin}${WRISTBAND_TOKEN_PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa('dev-inbox:dev-inbox')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    return wristband.fetch(`${origin}${WRISTBAND_ACTIVATE_USER_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(query)),
    });
  };

  /** Creates an Anzu identity and delivers its signed webhook to the app, keeping the answer. */
  const anzuSignup = async (email: string): Promise<void> => {
    const webhook = await anzu.signedWebhook(email ? { email } : {}, {
      url: options.webhookUrl ?? 'http://127.0.0.1/',
    });
    const shown = email || (anzu.identities().at(-1)?.email ?? '');
    if (!options.webhookUrl) {
      lastDelivery = { email: shown, error: 'No webhook sent: start provisionkit dev with --webhook-url <url>.' };
      return;
    }
    changed();
    try {
      const response = await fetch(webhook, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      lastDelivery = { email: shown, status: response.status, body: await response.text() };
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      lastDelivery = { email: shown, error: `The webhook could not be delivered: ${cause}` };
    }
  };

  const route = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith(`${ANZU_PREFIX}/`)) {
      const response = await anzu.fetch(request);
      if (request.method !== 'GET') changed();
      return response;
    }
    if (path.startsWith('/api/v1/')) {
      const response = await wristband.fetch(request);
      if (!path.startsWith(WRISTBAND_TOKEN_PATH)) changed();
      return response;
    }
    if (path === '/' || path === INBOX_PATH || path === `${INBOX_PATH}/`) {
      if (request.method !== 'GET')
        return new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET' } });
      const body = inboxPage({ anzu, wristband, webhookUrl: options.webhookUrl, lastDelivery, version });
      return htmlResponse(200, body);
    }
    if (path === `${INBOX_PATH}/activate` && request.method === 'GET') {
      const answer = await activate(url.searchParams);
      changed();
      const result = (await answer.json()) as { result?: string; message?: string };
      return answer.ok
        ? htmlResponse(
            200,
            page(
              'Account activated',
              html`<h1>Account activated</h1><p>Wristband answered <code>${result.result}</code>.</p><p><a href="${INBOX_PATH}">Back to the inbox</a></p>`,
            ),
          )
        : htmlResponse(
            400,
            page(
              'Activation failed',
              html`<h1>Activation failed</h1><p>This link is no longer valid (a newer email replaced it, or it was used).</p><p><a href="${INBOX_PATH}">Back to the inbox</a></p>`,
            ),
          );
    }
    if (path === `${INBOX_PATH}/anzu-signup` && request.method === 'POST') {
      const form = new URLSearchParams(await request.text());
      await anzuSignup((form.get('email') ?? '').trim());
      changed();
      // POST-redirect-GET: reloading the inbox never signs up twice.
      return new Response(null, { status: 303, headers: { location: INBOX_PATH } });
    }
    return htmlResponse(404, page('Not found', html`<h1>Not found</h1><p><a href="${INBOX_PATH}">Inbox</a></p>`));
  };

  const server = createServer(async (req, res) => {
    if (req.url?.split('?')[0] === `${INBOX_PATH}/events`) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      // A page rendered before the latest change (`?v=` is the version it shows) reloads at once.
      const shown = new URL(req.url, origin).searchParams.get('v');
      if (shown !== null && Number(shown) !== version) res.write('event: changed\ndata: {}\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    try {
      await writeResponse(res, await route(await toRequest(req, origin)));
    } catch (error) {
      // A bug or a client gone away: answer without detail (the page may hold user input).
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
      process.stderr.write(`provisionkit dev: ${(error as Error).message}\n`);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    anzu,
    wristband,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const htmlResponse = (status: number, body: string): Response =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
