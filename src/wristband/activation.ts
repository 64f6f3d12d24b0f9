/**
 * The Activate User request: the code from an activation link, or the request code of an OTP
 * signup with the code the user typed. Exactly one form; TypeScript refuses a mix, and so does
 * the run-time check for callers without types.
 */
import type { ValidationIssue } from '../core/errors.js';
import { requireString } from '../core/options.js';
import { addIssue, fieldsOf, formOf } from './issues.js';

/**
 * Activates a user after signup, in one of two forms:
 *
 * - link flow: `{ emailAuthCode }`, the code carried by the activation link;
 * - OTP flow: `{ requestCode, verificationCode }`, the `requestCode` of the
 *   `activation_otp_sent` signup result and the code the user typed.
 *
 * @example
 * ```ts
 * await wristband.activateUser({ emailAuthCode: url.searchParams.get('code')! });
 * await wristband.activateUser({ requestCode: signup.requestCode!, verificationCode: form.code });
 * ```
 */
export type ActivateUserRequest =
  | { emailAuthCode: string; requestCode?: never; verificationCode?: never }
  | { requestCode: string; verificationCode: string; emailAuthCode?: never };

/** The two forms, each with the fields it needs. */
const FORMS = [['emailAuthCode'], ['requestCode', 'verificationCode']];
const FIELDS = FORMS.flat();

/** Every problem with `request`; empty when it can be sent. Never repeats a code. */
export function validateActivationRequest(request: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const fields = fieldsOf(issues, request);
  if (!fields) return issues;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && !FIELDS.includes(key)) addIssue(issues, key, 'is not a known field');
  }
  // Link flow (emailAuthCode) or OTP flow (requestCode + verificationCode): exactly one.
  for (const key of formOf(issues, fields, FORMS, '', 'emailAuthCode') ?? []) requireString(issues, key, fields[key]);
  return issues;
}

/**
 * The JSON body Wristband gets: only the fields of the form given (the other form's fields are
 * absent or `undefined`, which `JSON.stringify` leaves out).
 */
export const buildActivationBody: (request: ActivateUserRequest) => string = JSON.stringify;
