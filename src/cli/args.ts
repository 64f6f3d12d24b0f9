/**
 * Command-line parsing shared by the commands: `node:util` parseArgs in strict mode, with its
 * errors turned into a {@link UsageError} (exit 2, one line, no stack trace).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A mistake in how the command was called: the process exits 2 with this message on stderr.
 *
 * @example
 * ```ts
 * throw new UsageError('anzu send needs --url');
 * ```
 */
export class UsageError extends Error {}

/** The options every command understands. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses `args` against `options` (plus `--help`), refusing unknown options and positionals.
 *
 * @example
 * ```ts
 * const { values } = parseCommand(['--port', '0'], { port: { type: 'string' } });
 * ```
 */
export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, ...HELP }, strict: true, allowPositionals: false });
  } catch (error) {
    // parseArgs' messages are one sentence, sometimes followed by a hint on a second line.
    throw new UsageError(String((error as Error).message).split('\n')[0]);
  }
}

/**
 * A whole number from an option, or a UsageError naming the option.
 *
 * @example
 * ```ts
 * const repeat = integerOption('repeat', values.repeat, 1, 1);
 * ```
 */
export function integerOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  }
  return number;
}
