/**
 * A value derived from a secret (an imported key, HMAC pads), made once per secret. Few secrets
 * live in one process, so instead of an eviction policy the map is emptied when it is full.
 */
export const PER_SECRET_LIMIT = 16;

/** `map`'s value for `secret`, made with `make` (and kept) when there is none. */
export function perSecret<V>(map: Map<string, V>, secret: string, make: () => V): V {
  let value = map.get(secret);
  if (value === undefined) {
    if (map.size >= PER_SECRET_LIMIT) map.clear();
    value = make();
    map.set(secret, value);
  }
  return value;
}
