/**
 * `provisionkit anzu send`: builds (or reads) an Anzu webhook, signs it as Anzu does and POSTs it
 * to the app, `--repeat` times with the same event id, to try signature checks, de-duplication
 * and the replay window of a real endpoint.
 */
import { readFile } from 'node:fs/promises';
import { ANZU_SIGNATURE_HEADER } from '../anzu/constants.js';
import { ANZU_USER_IDENTITY_CREATED } from '../anzu/webhook-kinds.js';
import { signAnzuWebhook } from '../anzu/webhook-signature.js';
import { anzuEnvelope, identityCreatedBody } from '../testing/anzu-envelope.js';
import { ksuid } from '../testing/random.js';
import { integerOption, parseCommand, UsageError } from './args.js';

/** Usage of `provisionkit anzu send`. */
export const ANZU_SEND_USAGE = `Usage: provisionkit anzu send --url <url> --secret <secret> [options]

Signs an Anzu webhook like Anzu does (anzu-signature: ts=…&v=1&sig=…) and POSTs it to --url.
Prints each answer's status and body; exits 0 when every answer is 2xx, else 1.

Options:
  --url <url>          Your webhook endpoint (required)
  --secret <secret>    The webhook secret to sign with (required; never printed)
  --email <email>      Email of the new identity (default user@example.com)
  --kind <kind>        Wire kind of the event (default user_management.user_identity_created),
                       e.g. user_management.user_identity_deleted or ping
  --body <file>        Send this file's bytes exactly as they are instead of a built event
  --repeat <n>         Deliver the same event n times (default 1), to test de-duplication
  --timestamp <unix>   The signature's ts, in unix seconds (default now), to test the replay window
  -h, --help           Show this help
`;

const OPTIONS = {
  url: { type: 'string' },
  secret: { type: 'string' },
  email: { type: 'string' },
  kind: { type: 'string' },
  body: { type: 'string' },
  repeat: { type: 'string' },
  timestamp: { type: 'string' },
} as const;

/**
 * Runs `provisionkit anzu send` with the arguments after `send`; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await anzuSend(['--url', 'http://127.0.0.1:3000/webhooks/anzu', '--secret', 's']);
 * ```
 */
export async function anzuSend(args: string[]): Promise<number> {
  const { values } = parseCommand(args, OPTIONS);
  if (!values.url) throw new UsageError('anzu send needs --url <url>');
  if (!values.secret) throw new UsageError('anzu send needs --secret <secret>');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url is not a URL: "${values.url}"`);
  }
  const repeat = integerOption('repeat', values.repeat, 1, 1);
  const timestamp = values.timestamp === undefined ? undefined : integerOption('timestamp', values.timestamp, 0);
  if (values.body !== undefined && (values.kind !== undefined || values.email !== undefined)) {
    throw new UsageError('--body sends the file as it is: it cannot be combined with --kind or --email');
  }

  const bytes = values.body === undefined ? undefined : await readBody(values.body);
  // Signed as UTF-8 text: the bytes Anzu's HMAC covers are the body's, as sent.
  const payload = bytes === undefined ? buildEvent(values.kind, values.email) : new TextDecoder().decode(bytes);
  let failed = false;
  for (let delivery = 0; delivery < repeat; delivery++) {
    const signature = await signAnzuWebhook({ payload, secret: values.secret, timestamp });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ANZU_SIGNATURE_HEADER]: signature },
        body: bytes ?? payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      process.stdout.write(`${response.status} ${text}\n`);
      failed ||= response.status < 200 || response.status > 299;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      process.stderr.write(
        `provisionkit: POST ${url.origin}${url.pathname} failed: ${cause ?? (error as Error).message}\n`,
      );
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

async function readBody(file: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new UsageError(`--body: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A 2022 envelope of `kind` with a payload of the shape Anzu sends for it. */
function buildEvent(kind: string = ANZU_USER_IDENTITY_CREATED, email = 'user@example.com'): string {
  const scope = { teamId: ksuid(), projectId: ksuid(), environmentId: ksuid() };
  const webhookId = ksuid();
  const identityId = ksuid();
  if (kind === ANZU_USER_IDENTITY_CREATED) return identityCreatedBody(identityId, { email }, webhookId, scope);
  // The identity kinds carry the identity; ping and other kinds an empty payload.
  const payload = kind.startsWith('user_management.user_identity_')
    ? { identity: { id: identityId, provider: 'email', email } }
    : {};
  return anzuEnvelope(kind, payload, webhookId, scope);
}
