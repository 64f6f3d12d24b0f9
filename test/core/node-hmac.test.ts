// nodeHmacSha256 against node:crypto's own createHmac, on each of its paths: the one-shot
// `crypto.hash` construction, a body too large for its shared buffer, and runtimes without
// `hash` (or without `createSecretKey`).

import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NodeHmac } from '../../src/core/node-crypto-env.js';
import { nodeHmacSha256 } from '../../src/core/node-hmac.js';

const reference = (secret: string, timestamp: string, payload: string | Uint8Array) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const SECRETS = ['s3cret', 'é ünïcødé 🔑', 'k'.repeat(64), 'long-'.repeat(30)];
const BODIES = [
  '',
  '{"id":"evt_1","kind":"ping","payload":{}}',
  '{"name":"Zoë 🚀"}',
  'lone \ud800 surrogate',
  'x'.repeat(30_000), // over the shared buffer once encoded (3 bytes per unit bound)
  '€'.repeat(5_000),
];
const node = crypto as unknown as NodeHmac;
const withoutHash: NodeHmac = {
  createHmac: crypto.createHmac as NodeHmac['createHmac'],
  timingSafeEqual: crypto.timingSafeEqual,
  createSecretKey: crypto.createSecretKey as NodeHmac['createSecretKey'],
};
const stringKeysOnly: NodeHmac = { createHmac: withoutHash.createHmac, timingSafeEqual: crypto.timingSafeEqual };

describe.each([
  ['crypto.hash', node],
  ['createHmac with a key object', withoutHash],
  ['createHmac with a string key', stringKeysOnly],
])('nodeHmacSha256 through %s', (_name, runtime) => {
  it('equals createHmac for every secret and body, as a string and as bytes', () => {
    for (const secret of SECRETS) {
      for (const body of BODIES) {
        const expected = reference(secret, '1700000000', body);
        expect(hex(nodeHmacSha256(runtime, secret, '1700000000', body)), `${secret} / ${body.slice(0, 12)}`).toBe(
          expected,
        );
        const bytes = new TextEncoder().encode(body);
        expect(hex(nodeHmacSha256(runtime, secret, '1700000000', bytes))).toBe(reference(secret, '1700000000', bytes));
      }
    }
  });

  it('leaves nothing of one call in the next (a short body after a long one)', () => {
    nodeHmacSha256(runtime, 's3cret', '1', 'y'.repeat(5_000));
    expect(hex(nodeHmacSha256(runtime, 's3cret', '2', 'short'))).toBe(reference('s3cret', '2', 'short'));
  });

  it('hashes raw bytes as they are, invalid UTF-8 included', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x7b, 0x7d);
    expect(hex(nodeHmacSha256(runtime, 's3cret', '9', bytes))).toBe(reference('s3cret', '9', bytes));
  });
});
