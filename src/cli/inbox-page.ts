/**
 * The dev inbox page: what a developer cannot see otherwise (the activation emails, the Anzu
 * identities' provisioning status), as plain server-rendered HTML. It reloads itself on a
 * server-sent "changed" event, or every few seconds without JavaScript.
 */
import type { AnzuSandbox } from '../testing/anzu-sandbox.js';
import type { WristbandSandbox } from '../testing/wristband-sandbox.js';
import { html, SafeHtml } from './html.js';

/** The last Anzu signup started from the page: the webhook's answer, or why none was sent. */
export interface AnzuDelivery {
  email: string;
  status?: number;
  body?: string;
  error?: string;
}

/** What the page shows. */
export interface InboxState {
  anzu: AnzuSandbox;
  wristband: WristbandSandbox;
  webhookUrl: string | undefined;
  lastDelivery: AnzuDelivery | undefined;
  /** The server's change counter when the page was rendered (see {@link page}). */
  version: number;
}

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
code{background:#f3f3f3;padding:0 .2rem}.code{font-size:1.2rem;font-weight:bold}`;

/**
 * Reloads the page when the server says something changed (EventSource reconnects by itself).
 * The page names the version it shows: a change made between rendering it and connecting (a
 * reload in the middle of a webhook delivery, say) is announced at once on connect, not missed.
 */
const reloadScript = (version: number) =>
  `new EventSource('/inbox/events?v=${version}').addEventListener('changed',()=>location.reload())`;

/**
 * A complete HTML page around `body`.
 *
 * @example
 * ```ts
 * page('Activated', html`<p>Done</p>`);
 * ```
 */
export const page = (title: string, body: SafeHtml, liveVersion?: number): string =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
${liveVersion !== undefined ? html`<noscript><meta http-equiv="refresh" content="3"></noscript>` : ''}<style>${new SafeHtml(STYLE)}</style></head>
<body>${body}${liveVersion !== undefined ? html`<script>${new SafeHtml(reloadScript(Math.trunc(liveVersion)))}</script>` : ''}</body></html>`
    .value;

/**
 * Renders the inbox page.
 *
 * @example
 * ```ts
 * res.end(inboxPage({ anzu, wristband, webhookUrl, lastDelivery }));
 * ```
 */
export function inboxPage(state: InboxState): string {
  const { wristband, anzu } = state;
  const users = wristband.users();
  const tenants = new Map(wristband.tenants().map((tenant) => [tenant.id, tenant]));
  return page(
    'provisionkit dev inbox',
    html`<h1>provisionkit dev inbox</h1>
<h2>Wristband users</h2>
${
  users.length === 0
    ? html`<p>No signups yet.</p>`
    : html`<table><tr><th>Email</th><th>Status</th><th>Tenant</th><th>Latest activation email</th></tr>
${users.map((user) => html`<tr><td>${user.email}</td><td>${user.status}</td><td>${tenants.get(user.tenantId)?.name}</td><td>${activationCell(wristband, user.email, user.status)}</td></tr>`)}
</table>`
}
<h2>Wristband tenants</h2>
${
  tenants.size === 0
    ? html`<p>No tenants yet.</p>`
    : html`<table><tr><th>Name</th><th>Display name</th><th>Id</th></tr>
${[...tenants.values()].map((tenant) => html`<tr><td>${tenant.name}</td><td>${tenant.displayName}</td><td><code>${tenant.id}</code></td></tr>`)}
</table>`
}
<h2>Anzu identities</h2>
${
  anzu.identities().length === 0
    ? html`<p>No identities yet.</p>`
    : html`<table><tr><th>Email</th><th>Provisioning status</th><th>Id</th></tr>
${anzu.identities().map((identity) => html`<tr><td>${identity.email}</td><td>${identity.provisioningStatus}</td><td><code>${identity.id}</code></td></tr>`)}
</table>`
}
${anzuForm(state)}`,
    state.version,
  );
}

/** The latest activation email of `email`: its code, and the link that activates the user. */
function activationCell(wristband: WristbandSandbox, email: string, status: string): SafeHtml {
  const otp = wristband.otpFor(email);
  const requestCode = wristband.requestCodeFor(email);
  const linkCode = wristband.linkCodeFor(email);
  if (otp === undefined && linkCode === undefined) return html`—`;
  const query = new URLSearchParams(
    requestCode !== undefined && otp !== undefined
      ? { requestCode, verificationCode: otp }
      : { emailAuthCode: linkCode ?? '' },
  );
  const spent = status === 'ACTIVE';
  return html`${otp === undefined ? html`Code: <code>${linkCode}</code>` : html`One-time code: <span class="code">${otp}</span>`}
<br><a href="/inbox/activate?${query.toString()}">Open activation link</a>${spent ? html` (used)` : ''}`;
}

/** The form that starts an Anzu signup, with the answer of the last webhook sent. */
function anzuForm({ webhookUrl, lastDelivery }: InboxState): SafeHtml {
  return html`<h2>New Anzu signup</h2>
<form method="post" action="/inbox/anzu-signup">
<p>Creates a pending Anzu identity and ${
    webhookUrl
      ? html`sends a signed <code>user_identity_created</code> webhook to <code>${webhookUrl}</code>.`
      : html`would send its webhook, but no <code>--webhook-url</code> was given: restart <code>provisionkit dev --webhook-url &lt;your endpoint&gt;</code> to send one.`
  }</p>
<label>Email <input type="text" inputmode="email" autocomplete="email" name="email" placeholder="ada@example.com"></label>
<button type="submit">Sign up with Anzu</button>
</form>
${
  lastDelivery
    ? html`<h3>Last Anzu webhook (${lastDelivery.email})</h3>
${
  lastDelivery.status === undefined
    ? html`<p>${lastDelivery.error}</p>`
    : html`<p>Your endpoint answered <strong>${lastDelivery.status}</strong>:</p><pre>${lastDelivery.body}</pre>`
}`
    : ''
}`;
}
