/**
 * Wristband's error shapes for its API, as the sandbox answers with them: `base_error` and
 * `constraint_violations_error`. Every body gets a fresh `ticket`, as Wristband's do. No body
 * repeats a token, secret, password or code. (The token endpoint's OAuth shape is in
 * wristband-sandbox.ts, its only user.)
 */
import { opaqueToken } from './random.js';
import { describeCode, jsonResponse } from './sandbox-http.js';

/** A field's violation: a code such as `not_unique`, with the constraint's parameters. */
export interface Violation {
  code: string;
  constraintAttributes?: Record<string, number> | undefined;
}

/** Violations by field name, as in Wristband's `violations` object. */
export type Violations = Record<string, Violation[]>;

/**
 * `{"type":"base_error","code","message","ticket"}`; with `violations`, the
 * `constraint_violations_error` that lists them.
 */
export const wristbandError = (
  status: number,
  code: string,
  violations?: Violations,
  headers?: Record<string, string>,
): Response =>
  jsonResponse(
    status,
    {
      type: violations ? 'constraint_violations_error' : 'base_error',
      code,
      message: describeCode(code),
      ticket: opaqueToken(),
      violations,
    },
    headers,
  );

/** A 400 `constraint_violations_error` listing every bad field. */
export const violationsError = (violations: Violations): Response =>
  wristbandError(400, 'message_body_constraint_violations', violations);

/** A 400 `constraint_violations_error` for one field. */
export const violationError = (field: string, code: string): Response => violationsError({ [field]: [{ code }] });
