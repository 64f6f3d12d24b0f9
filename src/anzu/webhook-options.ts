/**
 * Option checks shared by the webhook functions: each rule is `[path, valid, message]`, so one
 * loop builds the `ValidationError` that names every bad option (and no message repeats a value,
 * so the secret never shows).
 */
import { ValidationError, type ValidationIssue } from '../core/errors.js';

/** `[path, valid, message]`: the issue to report when `valid` is false. */
export type OptionRule = readonly [path: string, valid: boolean, message: string];

/**
 * Checks `secret` (a string, or with `allowList` a non-empty list of them: `secret[1]` names
 * the second), then each rule in order; throws a `ValidationError` naming every failure.
 */
export function checkWebhookOptions(
  context: string,
  secret: unknown,
  rules: readonly OptionRule[],
  allowList = true,
): void {
  const issues: ValidationIssue[] = [];
  if (allowList && Array.isArray(secret)) {
    if (secret.length === 0) issues.push({ path: 'secret', message: 'must not be an empty list' });
    for (const [i, item] of secret.entries()) checkSecret(issues, `secret[${i}]`, item);
  } else checkSecret(issues, 'secret', secret, allowList);
  for (const [path, valid, message] of rules) if (!valid) issues.push({ path, message });
  if (issues.length > 0) throw new ValidationError(issues, context);
}

/**
 * One secret: a non-empty string without surrounding whitespace. Whitespace is a copy-paste
 * fault that would otherwise show up only as "signature does not match" on every delivery.
 */
function checkSecret(issues: ValidationIssue[], path: string, value: unknown, listAllowed = false): void {
  const message =
    value === undefined
      ? 'is required'
      : typeof value !== 'string' || value.trim() === ''
        ? listAllowed
          ? 'must be a non-empty string or a list of them'
          : 'must be a non-empty string'
        : value.trim() !== value
          ? 'has leading or trailing whitespace (a copy-paste fault?): remove it'
          : '';
  if (message) issues.push({ path, message });
}

/** The rule for `toleranceSeconds` (any number ≥ 0, `Infinity` included). */
export const toleranceRule = (value: unknown): OptionRule => [
  'toleranceSeconds',
  typeof value === 'number' && value >= 0,
  'must be a number >= 0',
];
