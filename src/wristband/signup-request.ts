/**
 * The signup request: its types, its local validation against the constraints of Wristband's
 * API reference, and the JSON body built from it.
 *
 * Wristband's request has no tag telling the two signup levels apart; the SDK adds `level` so
 * that TypeScript can refuse a request that mixes them, and strips it before sending.
 *
 * Lengths are counted as JavaScript's `string.length` (UTF-16 code units, so an emoji counts 2),
 * which is how length constraints are usually counted by Java-style validators; the server has
 * the last word and its violations come back as `ApiError.violations`.
 */
import type { ValidationIssue } from '../core/errors.js';
import { addIssue, fieldsOf } from './issues.js';

/**
 * The user's fields, shared by both signup levels. Which of the optional ones are required
 * depends on the tenant's user schema and the IdP's login settings, which only Wristband knows:
 * the SDK checks their types and lengths, and Wristband reports a missing one as a violation.
 *
 * @example
 * ```ts
 * const user: SignupUserFields = { email: 'ada@example.com', givenName: 'Ada', password: form.password };
 * ```
 */
export interface SignupUserFields {
  /** Login email, 1–200 characters; unique per IdP and tenant. */
  email: string;
  /** Whole name, 1–200 characters. */
  fullName?: string;
  /** Given (first) name, 1–200 characters. */
  givenName?: string;
  /** Family (last) name, 1–200 characters. */
  familyName?: string;
  /** E.164: `+`, then up to 15 digits, the first not 0 (`+14155550123`). */
  phoneNumber?: string;
  /** A real calendar date as `YYYY-MM-DD`. */
  birthdate?: string;
  /** ID of the client making the signup request, 1–26 characters. */
  clientId?: string;
  /** Username, 1–200 characters, when the IdP uses username and email as login identifiers. */
  username?: string;
  /** At least 1 character, when password is the IdP's only login factor. Never appears in an error. */
  password?: string;
  /** Opaque value (1–26 characters) returned as the `state` query parameter of the final redirect. */
  state?: string;
  /**
   * Name of the tenant to create, 3–20 characters. Validated and sent as given; it does not
   * replace `tenantName`, which application-level signups always need.
   * @deprecated Wristband replaced it with `tenantName` and may remove it.
   */
  tenantDomainName?: string;
}

/**
 * An application-level signup: Wristband creates a new tenant and the user in it.
 *
 * @example
 * ```ts
 * const request: ApplicationSignupRequest = {
 *   level: 'application',
 *   applicationId: env.WRISTBAND_APPLICATION_ID,
 *   tenantName: 'acme',
 *   tenantDisplayName: 'Acme Inc.',
 *   email: 'ada@acme.test',
 * };
 * ```
 */
export type ApplicationSignupRequest = SignupUserFields & {
  /** Not sent: tells the SDK (and TypeScript) which fields the request needs. */
  level: 'application';
  /** ID of the application, 1–26 characters. */
  applicationId: string;
  /** Name of the tenant to create, 3–20 characters. */
  tenantName: string;
  /** Display name of the tenant to create, 1–200 characters. */
  tenantDisplayName: string;
  /** Only for tenant-level signups. */
  tenantId?: never;
};

/**
 * A tenant-level signup: the user joins an existing tenant.
 *
 * @example
 * ```ts
 * const request: TenantSignupRequest = { level: 'tenant', tenantId: tenant.id, email: 'grace@acme.test' };
 * ```
 */
export type TenantSignupRequest = SignupUserFields & {
  /** Not sent: tells the SDK (and TypeScript) which fields the request needs. */
  level: 'tenant';
  /** ID of the existing tenant, 1–26 characters. */
  tenantId: string;
  /** Only for application-level signups. */
  applicationId?: never;
  /** Only for application-level signups. */
  tenantName?: never;
  /** Only for application-level signups. */
  tenantDisplayName?: never;
};

/**
 * A signup at either level; `level` tells them apart.
 *
 * @example
 * ```ts
 * const request: SignupRequest = { level: 'tenant', tenantId, email };
 * const result = await wristband.provisionSignup(request);
 * ```
 */
export type SignupRequest = ApplicationSignupRequest | TenantSignupRequest;

/**
 * A field's constraint: its length bounds (in UTF-16 code units), and an extra format check that
 * returns what is wrong with a string of the right length.
 *
 * @example
 * ```ts
 * const [min, max] = SIGNUP_FIELD_RULES.tenantName; // [3, 20]
 * ```
 */
export type FieldRule = readonly [min: number, max: number, check?: (value: string) => string | undefined];

/** A format check by regular expression. */
const matches =
  (pattern: RegExp, message: string) =>
  (value: string): string | undefined =>
    pattern.test(value) ? undefined : message;

/** A real calendar date as `YYYY-MM-DD`. */
const calendarDate = (value: string): string | undefined => {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) return 'must be a date as YYYY-MM-DD';
  // `Date` reads YYYY-MM-DD as a UTC day and rolls 2023-02-30 over to March, or refuses it (then
  // `toJSON()` is null): only a real date survives the round trip.
  return new Date(value).toJSON()?.startsWith(value) ? undefined : 'must be a real calendar date';
};

const NAME: FieldRule = [1, 200];
const ID: FieldRule = [1, 26];
const TENANT_NAME: FieldRule = [3, 20];
const UNBOUNDED = Number.POSITIVE_INFINITY;

/**
 * The seed's constraints, by field (both levels). Anything not listed here is not a signup field.
 *
 * @example
 * ```ts
 * const known = Object.hasOwn(SIGNUP_FIELD_RULES, 'tenantName'); // true
 * ```
 */
export const SIGNUP_FIELD_RULES: Readonly<Record<string, FieldRule>> = {
  // An `@` with something on both sides: the server has the last word on the rest.
  email: [1, 200, matches(/^[^@].*@.*[^@]$/s, 'must be an email address')],
  fullName: NAME,
  givenName: NAME,
  familyName: NAME,
  // E.164: `+`, then up to 15 digits, the first not 0.
  phoneNumber: [1, 16, matches(/^\+[1-9]\d{1,14}$/, 'must be E.164, such as +14155550123')],
  birthdate: [1, 10, calendarDate],
  clientId: ID,
  username: NAME,
  password: [1, UNBOUNDED],
  state: ID,
  tenantDomainName: TENANT_NAME,
  applicationId: ID,
  tenantName: TENANT_NAME,
  tenantDisplayName: NAME,
  tenantId: ID,
};

type SignupLevel = SignupRequest['level'];

/** Each level's other level, whose fields it must not have. */
const OTHER_LEVEL: Record<SignupLevel, SignupLevel> = { application: 'tenant', tenant: 'application' };

/** The fields each level needs, and the other level must not have. */
const LEVEL_FIELDS: Record<SignupLevel, readonly string[]> = {
  application: ['applicationId', 'tenantName', 'tenantDisplayName'],
  tenant: ['tenantId'],
};

/** What is wrong with the value of a known field, if anything. */
function checkValue(value: unknown, [min, max, check]: FieldRule): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const { length } = value;
  if (length >= min && length <= max) return check?.(value);
  // Only the password has no upper bound, and its lower bound is 1.
  return max === UNBOUNDED ? 'must be at least 1 character' : `must be ${min}–${max} characters long (got ${length})`;
}

/**
 * Every problem with `request`, in field order; empty when it can be sent. Messages name the
 * field and the rule, never the value (it may be a password).
 */
export function validateSignupRequest(request: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const fields = fieldsOf(issues, request);
  if (!fields) return issues;
  const { level } = fields;
  // Own properties only, as below: a `level` of `constructor` is no level.
  const other = Object.hasOwn(OTHER_LEVEL, level as PropertyKey) ? OTHER_LEVEL[level as SignupLevel] : undefined;
  if (!other) addIssue(issues, 'level', "must be 'application' or 'tenant'");
  if (fields.email === undefined) addIssue(issues, 'email', 'is required');
  for (const key of other ? LEVEL_FIELDS[level as SignupLevel] : []) {
    if (fields[key] === undefined) addIssue(issues, key, `is required for ${level}-level signups`);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'level' || value === undefined) continue;
    // Own properties only, so that `constructor` or `__proto__` are not fields.
    const rule = Object.hasOwn(SIGNUP_FIELD_RULES, key) ? SIGNUP_FIELD_RULES[key] : undefined;
    const problem = !rule
      ? // Refused rather than dropped or sent: a typo (`tenantname`) would otherwise vanish silently.
        'is not a known field'
      : other && LEVEL_FIELDS[other].includes(key)
        ? `is only for ${other}-level signups`
        : checkValue(value, rule);
    if (problem) addIssue(issues, key, problem);
  }
  return issues;
}

/**
 * The JSON body Wristband gets: the request without `level` (SDK-only) and without `undefined`
 * fields (which `JSON.stringify` leaves out).
 */
export const buildSignupBody = (request: SignupRequest): string => JSON.stringify({ ...request, level: undefined });
