/** The per-call check both stores share: a TTL must be a positive, finite number of seconds. */
import { ValidationError } from '../core/errors.js';

/** `ttlSeconds` in whole milliseconds (at least 1); throws a `ValidationError` naming it otherwise. */
export function ttlMilliseconds(ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== 'number' || !(ttlSeconds > 0) || ttlSeconds === Number.POSITIVE_INFINITY) {
    throw new ValidationError([{ path: 'ttlSeconds', message: 'must be a positive, finite number of seconds' }]);
  }
  return Math.ceil(ttlSeconds * 1000);
}
