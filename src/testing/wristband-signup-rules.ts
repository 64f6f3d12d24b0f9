/**
 * The sandbox's server-side check of a provision-user body, for callers that send their own
 * requests. The rules are the client's (SIGNUP_FIELD_RULES, the constraints of Wristband's API
 * reference); this file only adds what the server decides and reports them as Wristband's
 * violation codes.
 */
import { SIGNUP_FIELD_RULES } from '../wristband/signup-request.js';
import type { Violations } from './wristband-errors.js';

const APPLICATION_FIELDS = ['applicationId', 'tenantName', 'tenantDisplayName'];

/**
 * Every violation of `body`, or `undefined` when it is a valid signup. A body with `tenantId` is a
 * tenant-level signup (Wristband's request has no `level`), any other an application-level one.
 * Fields that are not signup fields are ignored.
 */
export function signupViolations(body: Record<string, unknown>): Violations | undefined {
  const violations: Violations = {};
  // An undefined constraintAttributes disappears in the JSON body.
  const add = (field: string, code: string, constraintAttributes?: Record<string, number>) => {
    violations[field] = [...(violations[field] ?? []), { code, constraintAttributes }];
  };
  // JSON null means "not given", as for absent fields.
  const given = (field: string) => body[field] !== undefined && body[field] !== null;

  for (const [field, [min, max, check]] of Object.entries(SIGNUP_FIELD_RULES)) {
    const value = body[field];
    if (!given(field)) continue;
    if (typeof value !== 'string') add(field, 'invalid_type');
    else if (value.length < min) add(field, 'too_short', { min });
    else if (value.length > max) add(field, 'too_long', { max });
    else if (check?.(value)) add(field, 'invalid');
  }
  const tenantLevel = given('tenantId');
  if (!given('email')) add('email', 'not_null');
  for (const field of APPLICATION_FIELDS) {
    if (given(field) === tenantLevel) add(field, tenantLevel ? 'must_be_null' : 'not_null');
  }
  return Object.keys(violations).length > 0 ? violations : undefined;
}
