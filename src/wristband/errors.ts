/**
 * Reads Wristband's error bodies into the parts of an `ApiError`. Wristband answers with one of
 * two JSON shapes of its own (not RFC 7807), and its token endpoint with the OAuth shape:
 *
 * - `{"type":"base_error","code","message","ticket"}`
 * - `{"type":"constraint_violations_error","code":"message_body_constraint_violations","message","ticket",
 *    "violations":{"<field>":[{"code":"not_unique", "constraintAttributes":{…}}]}}`
 * - `{"error":"invalid_grant","error_description":"…"}`
 *
 * Anything else (an HTML page from a proxy, an empty body) yields no details, and the `ApiError`
 * falls back to `http_<status>`. The body arrives already scrubbed of the request's secrets.
 */
import type { FieldViolation, FieldViolations } from '../core/errors.js';
import type { ProviderErrorDetails } from '../core/http.js';

const MAX_MESSAGE_LENGTH = 500;

/** A non-blank string, capped: a proxy's error page can be huge. */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.slice(0, MAX_MESSAGE_LENGTH) : undefined;

/** Describes any of Wristband's error bodies for `HttpClient`. */
export function describeWristbandError(_status: number, body: unknown): ProviderErrorDetails {
  // `Object()` wraps a primitive (or makes `{}` of null/undefined), so that reading a field is safe.
  const fields: Record<string, unknown> = Object(body);
  // Keeps the violations that have the documented shape; drops the rest rather than failing.
  const violations: FieldViolations = {};
  let summary = '';
  const given = fields.violations;
  for (const [field, list] of Array.isArray(given) ? [] : Object.entries(Object(given))) {
    const kept = Array.isArray(list) ? list.filter((v: FieldViolation) => typeof v?.code === 'string') : [];
    if (kept.length === 0) continue;
    // Defined, not assigned: the body's keys are the server's to choose, and assigning to
    // `__proto__` would make the list the prototype of `violations`.
    Object.defineProperty(violations, field, { value: kept, enumerable: true, writable: true, configurable: true });
    summary += `${summary && '; '}${field} ${kept.map((v) => v.code).join(', ')}`;
  }
  // The OAuth shape (token endpoint) says `error` and `error_description`; Wristband's own, `code` and `message`.
  const message = text(fields.message ?? fields.error_description);
  return {
    code: text(fields.code ?? fields.error),
    message: summary ? (message ? `${message} (${summary})` : summary) : message,
    requestId: text(fields.ticket),
    violations: summary ? violations : undefined,
  };
}
