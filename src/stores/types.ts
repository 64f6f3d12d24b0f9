/**
 * The one interface the SDK's shared state goes through: three atomic operations that a single
 * Redis command (or one script) can serve, so any number of processes can share it.
 */

/**
 * Options of {@link KeyValueStore.set}.
 *
 * @example
 * ```ts
 * const options: KeyValueSetOptions = { ttlSeconds: 60, onlyIfAbsent: true };
 * ```
 */
export interface KeyValueSetOptions {
  /** Seconds until the key expires on the server. Every key the SDK writes expires. */
  ttlSeconds: number;
  /** Write only when the key does not exist (Redis `SET … NX`). */
  onlyIfAbsent?: boolean;
}

/**
 * Options of {@link KeyValueStore.delete}.
 *
 * @example
 * ```ts
 * const options: KeyValueDeleteOptions = { onlyIfValue: claimToken };
 * ```
 */
export interface KeyValueDeleteOptions {
  /** Delete only when the key holds exactly this value, atomically (compare-and-delete). */
  onlyIfValue?: string;
}

/**
 * A string key-value store with expiry, shared by every process that should agree: the
 * webhook handler's idempotency claims and the Wristband token cache use it. `memoryStore()`
 * serves one process; `redisStore(client)` serves a fleet. A method that throws (synchronously
 * or by rejecting) counts as a store failure.
 *
 * @example
 * ```ts
 * const store: KeyValueStore = redisStore(redis, { prefix: 'myapp:' });
 * await store.set('k', 'v', { ttlSeconds: 60, onlyIfAbsent: true });
 * ```
 */
export interface KeyValueStore {
  /** The key's value, or `undefined` when it is missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Returns false (and writes nothing) when `onlyIfAbsent` is set and the key exists. */
  set(key: string, value: string, options: KeyValueSetOptions): Promise<boolean>;
  /** Returns whether a key was deleted; with `onlyIfValue`, only when the value is that one (atomic). */
  delete(key: string, options?: KeyValueDeleteOptions): Promise<boolean>;
}
