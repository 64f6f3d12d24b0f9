/**
 * HMAC-SHA256 with the runtime's synchronous `node:crypto` (see node-crypto-env.ts), keyed per
 * secret once.
 *
 * Where `crypto.hash` exists (Node 21.7+), the HMAC is computed as RFC 2104 defines it, from two
 * one-shot SHA-256 calls over key pads prepared once per secret, their digests read as `latin1`
 * strings: no `Hmac` object and no `Buffer` is made per call, which saves about a fifth of a
 * webhook verification on Node 24. Elsewhere (a runtime without `crypto.hash`), `createHmac` with
 * a key object per secret. Both give the same bytes as `createHmac` (test/core/node-hmac.test.ts)
 * and as Web Crypto (test/property/webhook-signature.test.ts).
 */
import type { NodeHmac, NodeSecretKey } from './node-crypto-env.js';
import { perSecret } from './per-secret.js';

/** SHA-256's block size: keys are padded to it, and longer keys hashed first (RFC 2104). */
const BLOCK = 64;
/** Messages up to this size (in bytes, bounded) share one buffer; a larger one takes `createHmac`. */
const SCRATCH_LIMIT = 64 * 1024;

/** `key ⊕ ipad` and `key ⊕ opad`. */
interface Pads {
  readonly inner: Uint8Array;
  readonly outer: Uint8Array;
}

const isPads = (key: Pads | NodeSecretKey | string): key is Pads => typeof key === 'object' && 'inner' in key;

const keys = new Map<string, Pads | NodeSecretKey | string>();
const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);
/** `scratch` after the key block, where the message is written. */
let scratchText = scratch.subarray(BLOCK);
/** The outer message: `key ⊕ opad || inner digest`. */
const outer = new Uint8Array(BLOCK + 32);

/** HMAC-SHA256 of `timestamp + "." + payload` under `secret` (UTF-8), the bytes used as they are. */
export function nodeHmacSha256(
  node: NodeHmac,
  secret: string,
  timestamp: string,
  payload: string | Uint8Array,
): Uint8Array {
  const key = perSecret(keys, secret, () =>
    node.hash ? pads(node.hash, secret) : (node.createSecretKey?.(secret, 'utf8') ?? secret),
  );
  // The inner message, `key ⊕ ipad || timestamp "." payload`, is written into one buffer (UTF-8
  // takes at most 3 bytes per UTF-16 unit, so the bound always fits). Synchronous from here to the
  // digest, so one shared buffer serves every call; a body too large for it takes `createHmac`.
  const isText = typeof payload === 'string';
  const bound = BLOCK + 3 * (timestamp.length + 1) + (isText ? 3 : 1) * payload.length;
  if (!node.hash || !isPads(key) || bound > SCRATCH_LIMIT) {
    return node
      .createHmac('sha256', isPads(key) ? secret : key)
      .update(`${timestamp}.`)
      .update(payload)
      .digest();
  }
  if (bound > scratch.length) {
    scratch = new Uint8Array(SCRATCH_LIMIT);
    scratchText = scratch.subarray(BLOCK);
  }
  scratch.set(key.inner);
  // Joined only here: a body too large for the buffer is never copied into one more string.
  const text = isText ? `${timestamp}.${payload}` : `${timestamp}.`;
  let end = BLOCK + encoder.encodeInto(text, scratchText).written;
  if (!isText) {
    scratch.set(payload, end);
    end += payload.length;
  }
  outer.set(key.outer);
  writeDigest(node.hash('sha256', scratch.subarray(0, end), 'latin1'), outer, BLOCK);
  return bytes(node.hash('sha256', outer, 'latin1'));
}

/**
 * Writes a digest's bytes, from its `latin1` string (one char per byte), into `target` at
 * `offset`. Asked for as `latin1` because `crypto.hash` returns a string about 1 µs faster than a
 * `Buffer`, twice per webhook; the inner digest goes straight into the outer message.
 */
function writeDigest(digest: string, target: Uint8Array, offset: number): Uint8Array {
  for (let i = 0; i < digest.length; i++) target[offset + i] = digest.charCodeAt(i);
  return target;
}

const bytes = (digest: string) => writeDigest(digest, new Uint8Array(digest.length), 0);

function pads(hash: NonNullable<NodeHmac['hash']>, secret: string): Pads {
  let key: Uint8Array = encoder.encode(secret);
  if (key.length > BLOCK) key = bytes(hash('sha256', key, 'latin1'));
  const ipad = new Uint8Array(BLOCK);
  const opad = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = (key[i] ?? 0) ^ 0x36;
    opad[i] = (key[i] ?? 0) ^ 0x5c;
  }
  return { inner: ipad, outer: opad };
}
