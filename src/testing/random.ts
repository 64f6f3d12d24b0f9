/**
 * Identifiers and codes for the sandboxes, shaped like the providers' own so that code which
 * stores or logs them (column widths, regexes) meets realistic values. Web Crypto only.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Wristband's ids are lowercase base32 (`a`–`z`, `2`–`7`). */
const BASE32 = `${BASE62.slice(36)}234567`;
/** KSUID epoch (2014-05-13T16:53:20Z), in unix seconds. */
const KSUID_EPOCH = 1_400_000_000;

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/**
 * A KSUID, as Anzu uses for every id (`2EG6211MgQNCxmpK8u1qkgcuBjw`): 4 bytes of seconds since
 * the KSUID epoch and 16 random bytes, in 27 base62 characters. Ids made later sort later.
 */
export function ksuid(nowMs: number = Date.now()): string {
  let value = BigInt(Math.floor(nowMs / 1000) - KSUID_EPOCH);
  for (const byte of randomBytes(16)) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (; out.length < 27; value /= 62n) out = BASE62[Number(value % 62n)] + out;
  return out;
}

/** An opaque random token of `length` lowercase base32 characters (access tokens, codes, tickets, ids). */
export function opaqueToken(length = 26): string {
  let out = '';
  // 32 divides 256: the low 5 bits of a random byte are uniform.
  for (const byte of randomBytes(length)) out += BASE32[byte & 31];
  return out;
}

/** A Wristband-style id: 26 lowercase base32 characters. */
export const wristbandId = (): string => opaqueToken();

/**
 * A one-time code of `digits` (at most 9) decimal digits. A random 32-bit number modulo 10^6
 * favours some codes by one part in 4294 (2^32 is not a multiple of 10^6): irrelevant for a test code.
 */
export function numericCode(digits = 6): string {
  const [random = 0] = crypto.getRandomValues(new Uint32Array(1));
  return String(random % 10 ** digits).padStart(digits, '0');
}
