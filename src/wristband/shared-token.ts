/**
 * One Wristband token for every process sharing a `KeyValueStore` (`auth.tokenStore`).
 *
 * A process that needs a token reads it from the store; when there is none, one process takes a
 * short lock in the store (`set … onlyIfAbsent`) and fetches it, the others poll the store for a
 * bounded time and then fetch for themselves. The stored value expires with the token's usable
 * lifetime (`expires_in` minus the buffer). After a 401, only the refused value is removed
 * (`delete … onlyIfValue`), so a newer token another process stored survives.
 *
 * The key is a hash of the token URL and the client ID: it never contains the secret. The value is
 * encrypted with AES-GCM under a key derived (HKDF-SHA-256) from the client secret, so a reader of
 * the store alone cannot use the token; a value that does not decrypt (another secret, tampering)
 * is ignored and replaced.
 *
 * The store only saves token requests: any store failure (a method that throws, rejects, or does
 * not answer within a second) makes the process fetch its own token, as without a store. A signup
 * never fails because of the store.
 */
import { toHex } from '../core/hex.js';
import type { KeyValueStore } from '../stores/types.js';

/** A token and the time (ms since the epoch) until which it may be sent. */
export interface Token {
  token: string;
  usableUntil: number;
  /** The store's value for this token, when it is in the store: what a 401 may delete. */
  stored?: string | undefined;
}

/** How the waiting for another process's token request is bounded. */
export interface SharedTokenTiming {
  /** Longest total wait for the lock holder's token before fetching one's own. */
  waitMs: number;
  /** Lifetime of the lock: a process that dies holding it blocks the others this long at most. */
  lockSeconds: number;
  /**
   * Longest wait for one store operation. A store that does not answer counts as failed: a Redis
   * client queues commands while disconnected, and a signup must not wait for it to come back.
   */
  operationMs: number;
}

const TIMING: SharedTokenTiming = { waitMs: 5_000, lockSeconds: 10, operationMs: 1_000 };
/** Stands for "the store failed": then nothing more is asked of it in this flight. */
const FAILED = Symbol();
const KEY_PREFIX = 'provisionkit:wristband:token:';
/** Fixed HKDF salt and info: they name the use, so the key serves nothing else. */
const HKDF_SALT = 'provisionkit wristband token store';
const HKDF_INFO = 'AES-GCM-256 v1';

const utf8 = (text: string) => new TextEncoder().encode(text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Runs a store operation whose outcome does not matter: a failure only leaves a key to expire. */
const quietly = (operation: () => Promise<unknown>) => {
  Promise.resolve()
    .then(operation)
    .catch(() => {});
};

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * The store key of the token of `clientId` at `tokenUrl`:
 * `provisionkit:wristband:token:` + hex(SHA-256(tokenUrl + '\n' + clientId)). No secret in it.
 */
export async function tokenStoreKey(tokenUrl: string, clientId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(`${tokenUrl}\n${clientId}`)));
  return KEY_PREFIX + toHex(digest);
}

/** The AES-GCM key for stored values, derived from the client secret. */
export async function tokenStoreCipher(clientSecret: string): Promise<CryptoKey> {
  const secret = await crypto.subtle.importKey('raw', utf8(clientSecret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(HKDF_INFO) },
    secret,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * base64url(iv || AES-GCM(JSON {t, e})), a fresh random 12-byte IV per value; the store key is
 * the additional data, so a value copied under another key does not decrypt.
 */
export async function sealToken(cipher: CryptoKey, key: string, token: Token): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = utf8(JSON.stringify({ t: token.token, e: token.usableUntil }));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(key) }, cipher, plain),
  );
  const value = new Uint8Array(12 + sealed.length);
  value.set(iv);
  value.set(sealed, 12);
  return toBase64Url(value);
}

/** The token in a stored value, or `undefined` when it does not decrypt or is not one. */
export async function openToken(cipher: CryptoKey, key: string, value: string): Promise<Token | undefined> {
  try {
    const bytes = fromBase64Url(value);
    const iv = bytes.subarray(0, 12);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(key) },
      cipher,
      bytes.subarray(12),
    );
    const { t, e } = JSON.parse(new TextDecoder().decode(plain));
    if (typeof t === 'string' && t !== '' && typeof e === 'number') return { token: t, usableUntil: e, stored: value };
  } catch {
    // Another secret, tampering, or not ours: as if the key were empty.
  }
  return undefined;
}

/** The shared-token flight of one process: `obtain` a token through the store, `forget` a refused one. */
export interface SharedTokens {
  /** A usable token other than `refused`: from the store, or from `fetchToken` (then stored). */
  obtain(fetchToken: () => Promise<Token>, refused?: string): Promise<Token>;
  /** Removes a refused token's stored value, unless the store already holds another one. */
  forget(stored: string): void;
}

/** The shared-token protocol over `store`, for one client ID at one token URL. */
export function sharedTokens(
  store: KeyValueStore,
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  timing: SharedTokenTiming = TIMING,
): SharedTokens {
  // Derived once, lazily: a client that never signs anyone up does no crypto.
  let setup: Promise<[key: string, cipher: CryptoKey]> | undefined;
  const ready = () => {
    setup ??= Promise.all([tokenStoreKey(tokenUrl, clientId), tokenStoreCipher(clientSecret)]);
    return setup;
  };

  return {
    async obtain(fetchToken, refused) {
      const [key, cipher] = await ready();
      const lockKey = `${key}:lock`;
      let failed = false;
      /** One store operation, bounded; after a failure, none more (`FAILED` for it and all later). */
      const attempt = async <T>(operation: () => Promise<T>): Promise<T | typeof FAILED> => {
        if (failed) return FAILED;
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          return await Promise.race([
            operation(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(reject, timing.operationMs);
            }),
          ]);
        } catch {
          failed = true;
          return FAILED;
        } finally {
          clearTimeout(timer);
        }
      };
      const read = async () => {
        const value = await attempt(() => store.get(key));
        const found = typeof value === 'string' ? await openToken(cipher, key, value) : undefined;
        return found && found.token !== refused && Date.now() < found.usableUntil ? found : undefined;
      };

      const owner = toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
      const lock = () =>
        attempt(() => store.set(lockKey, owner, { ttlSeconds: timing.lockSeconds, onlyIfAbsent: true }));
      let locked = false;
      const deadline = Date.now() + timing.waitMs;
      // Read, else take the lock, else wait for the holder's token (and take a lock that expired).
      for (let step = 25; ; step = Math.min(step * 2, 250)) {
        const found = await read();
        if (found) return found;
        locked = (await lock()) === true;
        if (locked || failed || Date.now() >= deadline) break;
        await sleep(Math.min(step, Math.max(0, deadline - Date.now())));
      }
      try {
        // The holder may have stored its token between this process's read and its lock.
        const found = locked ? await read() : undefined;
        if (found) return found;
        const fresh = await fetchToken();
        const ttlSeconds = Math.floor((fresh.usableUntil - Date.now()) / 1000);
        // No usable lifetime (none, or within the buffer): nothing worth sharing.
        if (ttlSeconds >= 1) {
          const stored = await sealToken(cipher, key, fresh);
          if ((await attempt(() => store.set(key, stored, { ttlSeconds }))) === true) fresh.stored = stored;
        }
        return fresh;
      } finally {
        // Released even after a store failure: the store may answer again.
        if (locked) quietly(() => store.delete(lockKey, { onlyIfValue: owner }));
      }
    },
    forget(stored) {
      // A failed delete leaves a value that the next reader ignores as refused, or that expires.
      quietly(async () => store.delete((await ready())[0], { onlyIfValue: stored }));
    },
  };
}
