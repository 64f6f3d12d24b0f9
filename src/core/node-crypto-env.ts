/**
 * The runtime's synchronous HMAC, where there is one without a static Node import:
 * `process.getBuiltinModule('node:crypto')` (Node 22.3+, Bun, Deno). A sync `createHmac` is
 * several times faster per webhook than `crypto.subtle`, whose every call is a promise and a
 * thread hop. Workers and Vercel Edge have no `getBuiltinModule`: they keep Web Crypto.
 *
 * Looked up on first use, never at import (edge runtimes have no `process`), and cached. The
 * file name ends in `env.ts` because it touches `process` (test/core/package-purity.test.ts).
 */

/** The functions of `node:crypto` the webhook code uses. */
export interface NodeHmac {
  createHmac(algorithm: 'sha256', key: string | NodeSecretKey): Hmac;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  /** Optional: where present, keys are made once per secret (an HMAC from a string key redoes it). */
  createSecretKey?(key: string, encoding: 'utf8'): NodeSecretKey;
  /** Optional (Node 21.7+): a one-shot digest, from which node-hmac.ts builds the HMAC. */
  hash?(algorithm: 'sha256', data: Uint8Array, outputEncoding: 'latin1'): string;
}

/** Node's `KeyObject` for a secret, opaque here. */
export interface NodeSecretKey {
  readonly type: string;
}

/** A running HMAC (Node's `Hmac`). */
interface Hmac {
  update(data: string | Uint8Array): Hmac;
  digest(): Uint8Array;
}

type GetBuiltin = (id: string) => NodeHmac | undefined;
let cached: NodeHmac | null | undefined;

/** `node:crypto` when the runtime offers it synchronously, else `undefined` (use Web Crypto). */
export function nodeHmac(): NodeHmac | undefined {
  if (cached === undefined) {
    try {
      const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
      const mod = proc?.getBuiltinModule?.('node:crypto');
      cached = typeof mod?.createHmac === 'function' && typeof mod.timingSafeEqual === 'function' ? mod : null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/**
 * For tests and benchmarks only (not exported from the package): `false` forces the Web Crypto
 * path, `true` looks the runtime's module up again.
 */
export function useNodeHmac(enabled: boolean): void {
  cached = enabled ? undefined : null;
}
