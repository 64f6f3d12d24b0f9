/**
 * The small pieces every Wristband check shares (options, signup, activation): recording an
 * issue, refusing a request (or an option) that is not an object, and choosing between two forms
 * of fields. Messages name the field by its path and say what is wrong in a few words; they never
 * repeat a value, which may be a secret.
 */
import type { ValidationIssue } from '../core/errors.js';

/** Records that the field at `path` is wrong, and why. Returns `undefined`, like a failed parse. */
export const addIssue = (issues: ValidationIssue[], path: string, message: string): undefined => {
  issues.push({ path, message });
};

/**
 * The fields of an object (a request, or an object option), or `undefined` after recording that
 * `value` is not one (then no issue about its fields is worth listing).
 */
export function fieldsOf(issues: ValidationIssue[], value: unknown, path = ''): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  addIssue(issues, path, 'must be an object');
}

/**
 * The one form of `forms` that `fields` use (a form is used when any of its fields is given), or
 * `undefined` after recording, at `path` (or `pathIfBoth`), that they use none or several. The
 * message lists the forms: "give accessToken or clientId + clientSecret".
 */
export function formOf(
  issues: ValidationIssue[],
  fields: Record<string, unknown>,
  forms: readonly (readonly string[])[],
  path: string,
  pathIfBoth = path,
): readonly string[] | undefined {
  const used = forms.filter((form) => form.some((key) => fields[key] !== undefined));
  if (used.length === 1) return used[0];
  const how = `give ${forms.map((form) => form.join(' + ')).join(' or ')}`;
  addIssue(issues, used[0] ? pathIfBoth : path, used[0] ? `${how}, not both` : how);
}
