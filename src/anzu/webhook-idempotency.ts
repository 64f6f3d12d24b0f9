/**
 * Exactly-once effects for webhook deliveries: each event id is claimed in a shared
 * {@link KeyValueStore} before any callback runs, and marked done once everything succeeded.
 *
 * One key per event, `provisionkit:anzu:event:<id>`, holds one of two values:
 * - `claim:<expiresAtMs>:<token>` while a delivery works on it (expires after `lockSeconds`,
 *   so a process that died holding it blocks the event for at most that long);
 * - `done` once a delivery's callbacks and confirmation succeeded (expires after `ttlSeconds`).
 *
 * The happy path costs two store round trips: `set … onlyIfAbsent` (the claim) and a plain `set`
 * of `done`. The plain set is safe even when this delivery's claim already expired and another
 * one took it: this delivery's work did succeed, so the event is done whoever holds the claim,
 * and the other delivery can then neither release `done` (its release compares against its own
 * claim) nor be re-run after it. A release compares against the delivery's own random token, so
 * a slow delivery never frees someone else's claim.
 */
import { toHex } from '../core/hex.js';
import type { KeyValueStore } from '../stores/types.js';
import type { OptionRule } from './webhook-options.js';

/**
 * The `idempotency` option of the webhook handler: where claims and done-marks live, and for
 * how long.
 *
 * @example
 * ```ts
 * import { redisStore } from 'provisionkit/stores';
 *
 * const idempotency: AnzuWebhookIdempotencyOptions = { store: redisStore(redis), lockSeconds: 30 };
 * ```
 */
export interface AnzuWebhookIdempotencyOptions {
  /** Shared by every process that receives the webhook (`redisStore(…)` for a fleet). */
  store: KeyValueStore;
  /**
   * How long a done event is remembered, in seconds: redeliveries within it are answered
   * `200 {"ok":true,"duplicate":true}` without running anything.
   * @defaultValue `604_800` (7 days)
   */
  ttlSeconds?: number;
  /**
   * How long a claim lives, in seconds: the longest time an event stays blocked by a process
   * that died while handling it. Keep it above your callback's longest run plus `confirmTimeoutMs`,
   * or a slow delivery's claim expires and a redelivery may run the callback alongside it.
   * @defaultValue `60`
   */
  lockSeconds?: number;
}

/** Every key the handler writes starts with this (after any prefix of the store itself). */
export const ANZU_EVENT_KEY_PREFIX = 'provisionkit:anzu:event:';
const DONE = 'done';
const CLAIM = 'claim:';
const DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
const DEFAULT_LOCK_SECONDS = 60;
/** Redis keeps TTLs in milliseconds within a signed 64-bit range; this is far below it and safe for `Date`. */
const MAX_SECONDS = 10 * 365 * 24 * 3600;

/** What claiming an event gave. */
export type EventClaim =
  | { state: 'claimed'; release(): Promise<unknown>; markDone(): Promise<unknown> }
  | { state: 'done' }
  | { state: 'busy'; retryAfterSeconds: number };

/** The option rules, named `idempotency.…`; checked with the handler's other options. */
export function idempotencyRules(options: AnzuWebhookIdempotencyOptions | undefined): OptionRule[] {
  if (options === undefined) return [];
  const { store, ttlSeconds = DEFAULT_TTL_SECONDS, lockSeconds = DEFAULT_LOCK_SECONDS } = options ?? {};
  const seconds = (name: string, value: unknown): OptionRule => [
    `idempotency.${name}`,
    Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SECONDS,
    `must be an integer from 1 to ${MAX_SECONDS}`,
  ];
  return [
    [
      'idempotency.store',
      ['get', 'set', 'delete'].every(
        (name) => typeof (store as unknown as Record<string, unknown>)?.[name] === 'function',
      ),
      'must be a KeyValueStore (get, set, delete)',
    ],
    seconds('ttlSeconds', ttlSeconds),
    seconds('lockSeconds', lockSeconds),
  ];
}

/** A random token per delivery, so that a release can tell its own claim from another's. */
function randomToken(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Returns `claim(eventId)`. Any throw of the store (sync or async) rejects it, and so do the
 * returned `release` and `markDone`: the handler turns those into its `store` failures.
 */
export function eventClaims(options: AnzuWebhookIdempotencyOptions): (eventId: string) => Promise<EventClaim> {
  const { store, ttlSeconds = DEFAULT_TTL_SECONDS, lockSeconds = DEFAULT_LOCK_SECONDS } = options;
  return async (eventId) => {
    const key = ANZU_EVENT_KEY_PREFIX + eventId;
    // Twice at most: a claim released or expired between `set` and `get` is free to take again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const expiresAt = Date.now() + lockSeconds * 1000;
      const claim = `${CLAIM}${expiresAt}:${randomToken()}`;
      if (await store.set(key, claim, { ttlSeconds: lockSeconds, onlyIfAbsent: true })) {
        return {
          state: 'claimed',
          release: async () => store.delete(key, { onlyIfValue: claim }),
          markDone: async () => store.set(key, DONE, { ttlSeconds }),
        };
      }
      const current = await store.get(key);
      if (current === DONE) return { state: 'done' };
      if (current !== undefined) {
        // The holder wrote its expiry into the value, as the interface cannot read a TTL.
        const left = Math.ceil((Number(current.split(':', 2)[1]) - Date.now()) / 1000);
        return { state: 'busy', retryAfterSeconds: left >= 1 && left <= lockSeconds ? left : lockSeconds };
      }
    }
    return { state: 'busy', retryAfterSeconds: 1 };
  };
}
