/**
 * `provisionkit dev`: starts the emulators and the inbox, prints the env lines an app needs to
 * use them, and stops cleanly on SIGINT/SIGTERM.
 */
import { ANZU_SANDBOX_DEFAULT_SECRET } from '../testing/anzu-sandbox.js';
import { integerOption, parseCommand, UsageError } from './args.js';
import { ANZU_PREFIX, INBOX_PATH, startDevServer } from './dev-server.js';

/** Usage of `provisionkit dev`. */
export const DEV_USAGE = `Usage: provisionkit dev [options]

Serves on 127.0.0.1 an emulator of the Anzu API and of the Wristband API (token, provision
signup, activate user) and a dev inbox page, and prints the env lines your app needs.
Any client credentials and any Anzu access token are accepted.

Options:
  --port <n>            Port to listen on (default 0: a free one)
  --webhook-url <url>   Your Anzu webhook endpoint: the inbox's Anzu signup form sends to it
  --secret <secret>     Secret the Anzu webhooks are signed with (default ${ANZU_SANDBOX_DEFAULT_SECRET})
  --verification <v>    Wristband email verification: link (default), otp or email_verification
  --mfa-required        Wristband tenants require MFA enrollment (MFA_ENROLLMENT_REQUIRED)
  -h, --help            Show this help
`;

const OPTIONS = {
  port: { type: 'string' },
  'webhook-url': { type: 'string' },
  secret: { type: 'string' },
  verification: { type: 'string' },
  'mfa-required': { type: 'boolean' },
} as const;

const VERIFICATIONS = ['link', 'otp', 'email_verification'] as const;

/**
 * Runs `provisionkit dev`; resolves to the exit code once a signal stopped it.
 *
 * @example
 * ```ts
 * process.exitCode = await dev(['--port', '8787', '--webhook-url', 'http://127.0.0.1:3000/webhooks/anzu']);
 * ```
 */
export async function dev(args: string[]): Promise<number> {
  const { values } = parseCommand(args, OPTIONS);
  const port = integerOption('port', values.port, 0);
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const verification = (values.verification ?? 'link') as (typeof VERIFICATIONS)[number];
  if (!VERIFICATIONS.includes(verification)) {
    throw new UsageError(`--verification must be one of ${VERIFICATIONS.join(', ')}, got "${values.verification}"`);
  }
  const webhookUrl = values['webhook-url'];
  if (webhookUrl !== undefined && !URL.canParse(webhookUrl)) {
    throw new UsageError(`--webhook-url is not a URL: "${webhookUrl}"`);
  }
  if (values.secret === '') throw new UsageError('--secret must not be empty');
  const secret = values.secret ?? ANZU_SANDBOX_DEFAULT_SECRET;

  const server = await startDevServer({
    port,
    webhookUrl,
    secret,
    verification,
    mfaRequired: values['mfa-required'] ?? false,
  });
  const { origin, anzu, wristband } = server;
  const lines = {
    ANZU_BASE_URL: `${origin}${ANZU_PREFIX}`,
    ANZU_ACCESS_TOKEN: 'dev-access-token',
    ANZU_TEAM_ID: anzu.scope.teamId,
    ANZU_PROJECT_ID: anzu.scope.projectId,
    ANZU_ENVIRONMENT_ID: anzu.scope.environmentId,
    ANZU_WEBHOOK_SECRET: secret,
    WRISTBAND_APPLICATION_VANITY_DOMAIN: origin,
    WRISTBAND_APPLICATION_ID: wristband.applicationId,
    WRISTBAND_CLIENT_ID: 'dev-client-id',
    WRISTBAND_CLIENT_SECRET: 'dev-client-secret',
    INBOX_URL: `${origin}${INBOX_PATH}`,
  };
  process.stdout.write(
    `${Object.entries(lines)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')}\n`,
  );
  process.stderr.write(`provisionkit dev: inbox at ${lines.INBOX_URL} (Ctrl+C to stop)\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // A hung close must not keep the process past its 5 s: exit anyway after 3 s.
  setTimeout(() => process.exit(0), 3000).unref();
  await server.close();
  return 0;
}
