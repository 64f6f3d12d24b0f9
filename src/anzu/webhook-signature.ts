/**
 * Anzu's webhook signature: `anzu-signature: ts=<unix seconds>&v=1&sig=<hex>`, where
 * `sig = hex(HMAC-SHA256(key = UTF-8 secret, message = ts + "." + rawBody))`. The HMAC is the
 * runtime's synchronous one where it offers it without a Node import (Node 22.3+, Bun, Deno;
 * see node-crypto-env.ts), else Web Crypto (Workers, Vercel Edge): same results on every runtime.
 */
import { WebhookSignatureError } from '../core/errors.js';
import { toHex } from '../core/hex.js';
import { nodeHmac } from '../core/node-crypto-env.js';
import { nodeHmacSha256 } from '../core/node-hmac.js';
import { perSecret } from '../core/per-secret.js';
import { ANZU_DEFAULT_TOLERANCE_SECONDS, ANZU_SIGNATURE_HEADER } from './constants.js';
import { checkWebhookOptions, type OptionRule, toleranceRule } from './webhook-options.js';
import { parseAnzuWebhook } from './webhook-parse.js';
import type { AnzuWebhookEvent, AnzuWebhookSecret } from './webhook-types.js';

/**
 * Options of {@link verifyAnzuWebhook}.
 *
 * @example
 * ```ts
 * const options: VerifyAnzuWebhookOptions = {
 *   payload: new Uint8Array(await request.arrayBuffer()),
 *   signature: request.headers.get('anzu-signature'),
 *   secret: env.ANZU_WEBHOOK_SECRET,
 * };
 * ```
 */
export interface VerifyAnzuWebhookOptions {
  /**
   * The raw request body, exactly as received: a string or bytes (`Uint8Array`, which includes
   * Node's `Buffer`). Not a parsed object: the signature covers the exact bytes Anzu sent, and
   * re-serialised JSON differs from them. With the Fetch API pass
   * `new Uint8Array(await request.arrayBuffer())` (`request.text()` drops a leading BOM and replaces
   * invalid UTF-8, which breaks the signature of such a body); in
   * Express, mount the route with `express.raw({ type: 'application/json' })` and pass `req.body`.
   */
  payload: string | Uint8Array;
  /** Value of the `anzu-signature` header (`null` or `undefined` when the header is missing). */
  signature: string | null | undefined;
  /**
   * The webhook's signing secret from Anzu's webhook settings, used as UTF-8 text; or several,
   * while rotating (`[newSecret, oldSecret]`): a signature matching any of them is valid.
   */
  secret: AnzuWebhookSecret;
  /**
   * Largest accepted difference, in seconds, between the signed timestamp and now, in either
   * direction (replays are refused; so are timestamps from a clock running ahead).
   * @defaultValue `300`
   */
  toleranceSeconds?: number;
  /**
   * The current time in unix seconds, for tests.
   * @defaultValue `Math.floor(Date.now() / 1000)`
   */
  now?: number;
}

/**
 * Options of {@link signAnzuWebhook}.
 *
 * @example
 * ```ts
 * const options: SignAnzuWebhookOptions = { payload: JSON.stringify(event), secret: 'test-secret' };
 * ```
 */
export interface SignAnzuWebhookOptions {
  /** The exact body that will be sent. */
  payload: string | Uint8Array;
  /** The webhook secret (one string: a delivery is signed with one secret). */
  secret: string;
  /**
   * Unix seconds to sign with.
   * @defaultValue now
   */
  timestamp?: number;
}

/** Imported keys by secret: importing costs as much as the HMAC itself. */
const keyCache = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();
/** Header values echoed in a message are cut to this length. */
const ECHO_LIMIT = 16;
const TIMESTAMP = /^\d{1,15}$/;

/**
 * The rule for `payload`: the raw body. A parsed object cannot be verified, because the signature
 * covers the exact bytes Anzu sent and re-serialised JSON differs from them. In Express, mount
 * the route with `express.raw({ type: 'application/json' })` and pass `req.body` (a Buffer).
 */
const payloadRule = (payload: unknown): OptionRule => [
  'payload',
  typeof payload === 'string' || payload instanceof Uint8Array,
  payload == null
    ? 'is required'
    : 'must be the raw request body (new Uint8Array(await request.arrayBuffer()); express.raw() in Express)',
];

/**
 * Text from an unauthenticated request, made safe to put in a message: cut short, and
 * every control character escaped (JSON escapes C0 controls; C1, DEL and the line separators are
 * escaped here), so a header cannot forge log lines or terminal colours.
 */
const quoteUntrusted = (text: string): string =>
  JSON.stringify(text.slice(0, ECHO_LIMIT))
    .slice(1, -1)
    .replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const unixNow = () => Math.floor(Date.now() / 1000);

/** The error for a request without an `anzu-signature` header (also used by the handler). */
export const missingSignature = (): WebhookSignatureError =>
  new WebhookSignatureError('missing_signature', `The ${ANZU_SIGNATURE_HEADER} header is missing`);

/**
 * Checks an Anzu webhook's signature and timestamp, then parses the body. Use it on every request
 * from the network: only a verified body is known to come from Anzu.
 *
 * Throws:
 * - `ValidationError` for a programming mistake: no secret, or a `payload` that is not the raw body
 *   (a parsed object, for instance; see {@link VerifyAnzuWebhookOptions.payload} for how to get the raw body);
 * - `WebhookSignatureError` with code `missing_signature` (no header), `invalid_signature`
 *   (malformed header, unsupported `v`, or a signature that does not match: wrong secret or
 *   changed body), or `timestamp_out_of_tolerance` (too old or too far in the future; the
 *   messages differ);
 * - `WebhookPayloadError` when the verified body is not a valid event.
 *
 * The header may use the early `alg=` form instead of `v=1`; any other `v` is refused. The
 * signature is compared in constant time. `secret` may be a list while rotating secrets
 * (`[newSecret, oldSecret]`), and the header may carry several `sig` values: any match is valid.
 * On Node, Bun and Deno the HMAC is the runtime's synchronous one (`node:crypto`, looked up
 * through `process.getBuiltinModule` on first use); elsewhere Web Crypto, with imported keys
 * cached per secret (up to 16 secrets).
 *
 * @example
 * ```ts
 * const event = await verifyAnzuWebhook({
 *   payload: new Uint8Array(await request.arrayBuffer()),
 *   signature: request.headers.get('anzu-signature'),
 *   secret: env.ANZU_WEBHOOK_SECRET,
 * });
 * ```
 */
export async function verifyAnzuWebhook(options: VerifyAnzuWebhookOptions): Promise<AnzuWebhookEvent> {
  const { payload, signature, secret } = options ?? ({} as VerifyAnzuWebhookOptions);
  // Read once: the list that is checked is the list that is used.
  const keys = typeof secret === 'string' || !Array.isArray(secret) ? secret : [...secret];
  const tolerance = options?.toleranceSeconds ?? ANZU_DEFAULT_TOLERANCE_SECONDS;
  const now = options?.now ?? unixNow();
  checkWebhookOptions('verifyAnzuWebhook', keys, [
    payloadRule(payload),
    toleranceRule(tolerance),
    ['now', Number.isFinite(now), 'must be unix seconds'],
  ]);

  const header = typeof signature === 'string' ? signature.trim() : '';
  if (header === '') throw missingSignature();
  // The header's query-string form. A missing parameter is `null`, which `test` reads as the
  // text "null": refused like any other bad value. Several `sig` values may come (one per secret
  // while Anzu rotates); malformed ones are ignored if a well-formed one is there.
  const { ts, v: version, alg, sig } = headerParams(header);
  const timestamp = ts as string;
  const sigs = sig.flatMap(hexBytes);
  const problem = !TIMESTAMP.test(timestamp)
    ? '`ts` must be unix seconds'
    : sigs.length === 0
      ? '`sig` must be 64 hex digits'
      : version !== null
        ? version !== '1' && `v=${quoteUntrusted(version)} is not supported (only v=1)`
        : // Anzu's early header named the scheme with `alg` instead of `v`.
          !alg && '`v=1` is missing';
  if (problem) {
    throw new WebhookSignatureError(
      'invalid_signature',
      `The ${ANZU_SIGNATURE_HEADER} header is malformed: ${problem}`,
    );
  }
  const matched = matchesAny(sigs, timestamp, payload, secrets(keys));
  if (!(typeof matched === 'boolean' ? matched : await matched)) {
    throw new WebhookSignatureError(
      'invalid_signature',
      'The webhook signature does not match (wrong secret or changed body)',
    );
  }

  const age = now - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    // Too old: a replayed or long-delayed delivery. In the future: this server's clock is behind.
    throw new WebhookSignatureError(
      'timestamp_out_of_tolerance',
      `The webhook timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'in the future'}, more than the ${tolerance} s tolerance`,
    );
  }
  return parseAnzuWebhook(payload);
}

/**
 * Signs a body as Anzu does and returns the `anzu-signature` header value
 * `ts=<unix>&v=1&sig=<hex>`: for your tests, and for the sandboxes.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: 'evt_1', kind: 'ping', payload: {} });
 * const signature = await signAnzuWebhook({ payload: body, secret: 'test-secret' });
 * await handler(new Request(url, { method: 'POST', body, headers: { 'anzu-signature': signature } }));
 * ```
 */
export async function signAnzuWebhook(options: SignAnzuWebhookOptions): Promise<string> {
  const { payload, secret } = options ?? ({} as SignAnzuWebhookOptions);
  const timestamp = options?.timestamp ?? unixNow();
  checkWebhookOptions(
    'signAnzuWebhook',
    secret,
    [
      payloadRule(payload),
      ['timestamp', Number.isSafeInteger(timestamp) && timestamp >= 0, 'must be whole unix seconds'],
    ],
    false,
  );

  const ts = String(timestamp);
  return `ts=${ts}&v=1&sig=${toHex(await hmac(secret, ts, payload))}`;
}

/** The parameters of the header that the check reads: the first `ts`, `v` and `alg`, every `sig`. */
interface HeaderParams {
  ts: string | null;
  v: string | null;
  alg: string | null;
  sig: string[];
}

/**
 * Reads the header as `URLSearchParams` does. Anzu's header needs no decoding, so one without
 * `%`, `+` or a leading `?` is split directly, which is a few percent of a verification faster
 * than building a `URLSearchParams`; any other goes through it.
 */
export function headerParams(text: string): HeaderParams {
  if (/[%+]|^\?/.test(text)) {
    const params = new URLSearchParams(text);
    return { ts: params.get('ts'), v: params.get('v'), alg: params.get('alg'), sig: params.getAll('sig') };
  }
  const found: HeaderParams = { ts: null, v: null, alg: null, sig: [] };
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === 'sig') found.sig.push(value);
    else if ((name === 'ts' || name === 'v' || name === 'alg') && found[name] === null) found[name] = value;
  }
  return found;
}

const secrets = (secret: AnzuWebhookSecret): readonly string[] => (typeof secret === 'string' ? [secret] : secret);

/** '0'–'9', or 'a'–'f' / 'A'–'F' (the 0x20 bit folds the case). */
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);

/**
 * A `sig` value as its 32 bytes, in a one-element list (for `flatMap`), or none when it is not 64
 * hex digits. From char codes, checked in the same pass: `parseInt` on slices costs ~1.5 µs per
 * signature in V8, a tenth of a whole verification. `(c & 15) + (c >> 6) * 9` maps '0'–'9' to
 * 0–9 and 'a'–'f' / 'A'–'F' to 10–15.
 */
function hexBytes(sig: string): Uint8Array[] {
  if (sig.length !== 64) return [];
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = sig.charCodeAt(2 * i);
    const lo = sig.charCodeAt(2 * i + 1);
    if (!isHexDigit(hi) || !isHexDigit(lo)) return [];
    mac[i] = (((hi & 15) + (hi >> 6) * 9) << 4) | ((lo & 15) + (lo >> 6) * 9);
  }
  return [mac];
}

/**
 * Whether any of `macs` is the HMAC of the message under any secret. One HMAC per secret; each
 * comparison is constant time (`timingSafeEqual` on 32 bytes each, or `crypto.subtle.verify`). Synchronous where the runtime has a synchronous HMAC: no promise to wait
 * for, which is a good part of the fast path's lead.
 */
function matchesAny(
  macs: readonly Uint8Array[],
  timestamp: string,
  payload: string | Uint8Array,
  keys: readonly string[],
): boolean | Promise<boolean> {
  const node = nodeHmac();
  if (!node) return matchesAnyWeb(macs, timestamp, payload, keys);
  for (const key of keys) {
    const expected = nodeHmacSha256(node, key, timestamp, payload);
    for (const mac of macs) if (node.timingSafeEqual(expected, mac)) return true;
  }
  return false;
}

/** Web Crypto: `crypto.subtle.verify` compares in constant time (one HMAC per pair; usually one pair). */
async function matchesAnyWeb(
  macs: readonly Uint8Array[],
  timestamp: string,
  payload: string | Uint8Array,
  keys: readonly string[],
): Promise<boolean> {
  const message = await signedMessage(timestamp, payload);
  for (const key of keys) {
    const cryptoKey = await hmacKey(key);
    for (const mac of macs)
      if (await crypto.subtle.verify('HMAC', cryptoKey, mac as Uint8Array<ArrayBuffer>, message)) return true;
  }
  return false;
}

/** HMAC-SHA256 of `ts + "." + payload`: synchronous where the runtime allows, else Web Crypto. */
function hmac(secret: string, timestamp: string, payload: string | Uint8Array): Uint8Array | Promise<Uint8Array> {
  const node = nodeHmac();
  if (node) return nodeHmacSha256(node, secret, timestamp, payload);
  return webHmac(secret, timestamp, payload);
}

async function webHmac(secret: string, timestamp: string, payload: string | Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), await signedMessage(timestamp, payload)),
  );
}

/**
 * `ts + "." + rawBody` as bytes. Bytes are joined as they are, never decoded (decoding could
 * alter them).
 */
function signedMessage(
  timestamp: string,
  payload: string | Uint8Array,
): Uint8Array<ArrayBuffer> | Promise<ArrayBuffer> {
  return typeof payload === 'string'
    ? encoder.encode(`${timestamp}.${payload}`)
    : new Blob([`${timestamp}.`, payload as Uint8Array<ArrayBuffer>]).arrayBuffer();
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return perSecret(keyCache, secret, () => {
    const key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    // A failed import is not kept, so the next call tries again.
    key.catch(() => keyCache.delete(secret));
    return key;
  });
}
