#!/usr/bin/env node
/**
 * The `provisionkit` command (Node only): `anzu send` delivers signed Anzu webhooks to your app,
 * `dev` serves local emulators of Anzu and Wristband with an inbox page. Exit codes: 0 success,
 * 1 the thing checked failed, 2 usage error.
 */
import { VERSION } from '../core/version.js';
import { ANZU_SEND_USAGE, anzuSend } from './anzu-send.js';
import { UsageError } from './args.js';
import { DEV_USAGE, dev } from './dev.js';

const USAGE = `Usage: provisionkit <command> [options]

Commands:
  anzu send   Sign an Anzu webhook like Anzu does and POST it to your endpoint
  dev         Serve local emulators of the Anzu and Wristband APIs and a dev inbox page

Options:
  -h, --help     Show this help (or a command's: provisionkit <command> --help)
  -v, --version  Print the provisionkit version
`;

/** The commands by name: their usage and what runs them (resolving to the exit code). */
const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  'anzu send': { usage: ANZU_SEND_USAGE, run: anzuSend },
  dev: { usage: DEV_USAGE, run: dev },
};

async function main(argv: string[]): Promise<number> {
  const [first = '--help'] = argv;
  if (first === '--help' || first === '-h') return print(USAGE);
  if (first === '--version' || first === '-v') return print(`${VERSION}\n`);
  const name = first === 'anzu' ? `anzu ${argv[1] ?? ''}`.trim() : first;
  const command = COMMANDS[name];
  if (!command) {
    if (first === 'anzu' && (argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h')) {
      return print(ANZU_SEND_USAGE);
    }
    throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  }
  const args = argv.slice(name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) return print(command.usage);
  return command.run(args);
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A usage error is the caller's mistake: one line, no stack. Anything else is a bug or the
    // environment (a port in use): still one line, exit 1.
    const usage = error instanceof UsageError;
    const hint = usage ? ' (see provisionkit --help)' : '';
    process.stderr.write(`provisionkit: ${(error as Error)?.message ?? String(error)}${hint}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
