// Benchmark 1: verifyAnzuWebhook on the seed webhook, on its fast path (node:crypto through
// process.getBuiltinModule) against svix's and standardwebhooks' verify of a same-size body
// (each with its own headers and secret encoding): goal ≥ 1.5× the throughput of both. And its
// Web Crypto path (forced, as on Workers and Vercel Edge) against the floor any Web Crypto
// verifier must pay (one crypto.subtle HMAC verify with a key imported once, plus JSON.parse of
// the body): goal ≥ 0.6× the floor, as before the fast path existed.
// `node bench/verify.mjs` runs it alone (after `npx tsup --silent`); bench/run.mjs runs it too.
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { signAnzuWebhook, verifyAnzuWebhook } from '../dist/anzu/index.js';
// Internal (not a package export): switches the HMAC path of the same module instance.
import { useNodeHmac } from '../dist/core/node-crypto-env.js';
import { compare, formatNs, medianRatio, verdict } from './harness.mjs';
import { SEED_WEBHOOK_BODY } from './seed-webhook.mjs';

/** The Web Crypto path against the crypto.subtle floor (the 0.1 target, kept). */
export const TARGET = 0.6;
/** The fast path against each of svix and standardwebhooks. */
export const PEER_TARGET = 1.5;

export async function benchVerify() {
  const secret = 'whsec-bench-secret-0123456789';
  const body = SEED_WEBHOOK_BODY;
  const timestamp = Math.floor(Date.now() / 1000);
  const header = await signAnzuWebhook({ payload: body, secret, timestamp });
  const hex = new URLSearchParams(header).get('sig');

  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const signatureBytes = Uint8Array.from(hex.match(/../g), (byte) => Number.parseInt(byte, 16));
  const message = encoder.encode(`${timestamp}.${body}`);
  const floor = async () => {
    if (!(await crypto.subtle.verify('HMAC', key, signatureBytes, message))) throw new Error('floor: bad signature');
    return JSON.parse(body);
  };

  // Diagnostic: the floor again, importing the key on every call as a stateless verify must
  // (unless it caches keys): shows how much of any gap is the key import.
  const rawSecret = encoder.encode(secret);
  const floorWithImport = async () => {
    const freshKey = await crypto.subtle.importKey('raw', rawSecret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    if (!(await crypto.subtle.verify('HMAC', freshKey, signatureBytes, message)))
      throw new Error('floor: bad signature');
    return JSON.parse(body);
  };

  const ours = () => verifyAnzuWebhook({ payload: body, signature: header, secret, now: timestamp });
  // The same call with the HMAC path switched to Web Crypto for its duration (a flag flip).
  const oursWebCrypto = async () => {
    useNodeHmac(false);
    try {
      return await ours();
    } finally {
      useNodeHmac(true);
    }
  };

  // Standard Webhooks (and svix, which implements it) take a base64 secret and three headers.
  const swSecret = btoa('bench-secret-0123456789-abcdefgh');
  const msgId = 'msg_2EG622yoQDGvwfYtJifWiupX0CC';
  const date = new Date(timestamp * 1000);
  const standard = new StandardWebhook(swSecret);
  const standardHeaders = {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standard.sign(msgId, date, body),
  };
  const svix = new SvixWebhook(`whsec_${swSecret}`);
  const svixHeaders = {
    'svix-id': msgId,
    'svix-timestamp': String(timestamp),
    'svix-signature': svix.sign(msgId, date, body),
  };

  // Fail loudly rather than time a verifier that rejects.
  await ours();
  standard.verify(body, standardHeaders);
  svix.verify(body, svixHeaders);

  // Two groups, the fast path's first: a process runs one HMAC path only, and switching paths
  // inside one timed group leaves the shared code (matchesAny, verify) tuned for both, which
  // slows the fast path in a way no deployment sees. Each group is still side by side.
  const peers = await compare([
    { name: 'verifyAnzuWebhook, fast path (node:crypto)', fn: ours },
    { name: 'standardwebhooks Webhook.verify', fn: () => standard.verify(body, standardHeaders) },
    { name: 'svix Webhook.verify', fn: () => svix.verify(body, svixHeaders) },
  ]);
  await oursWebCrypto();
  await floor();
  const web = await compare([
    { name: 'floor: crypto.subtle.verify + JSON.parse', fn: floor },
    { name: 'verifyAnzuWebhook, Web Crypto path (forced)', fn: oursWebCrypto },
    { name: 'floor + importKey per call (diagnostic)', fn: floorWithImport },
  ]);
  const results = [...web, ...peers];
  const [fast, standardResult, svixResult] = peers;
  // Median of per-round ratios (see medianRatio): the figure the goal is about.
  const vsStandard = medianRatio(fast, standardResult);
  const vsSvix = medianRatio(fast, svixResult);
  const peersPass = vsStandard >= PEER_TARGET && vsSvix >= PEER_TARGET;
  const notes = [
    `goal: verify >= ${PEER_TARGET}x both (fast path throughput over each peer's)`,
    `${verdict(peersPass).replace('MISS', 'FAIL')}: verifyAnzuWebhook ${Math.round(fast.opsPerSecond).toLocaleString('en')} ops/s = ${vsSvix.toFixed(2)}x svix (${Math.round(svixResult.opsPerSecond).toLocaleString('en')} ops/s), ${vsStandard.toFixed(2)}x standardwebhooks (${Math.round(standardResult.opsPerSecond).toLocaleString('en')} ops/s); ratios are medians of per-round ratios`,
  ];
  return {
    title: `1. Webhook verification (seed body, ${body.length} bytes)`,
    baseline: 0,
    subject: 1,
    target: TARGET,
    results,
    notes,
    pass: peersPass,
  };
}

// Run alone: `node bench/verify.mjs`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { title, results, baseline, subject, target, notes } = await benchVerify();
  console.log(title);
  for (const r of results) {
    const vsFloor = results[baseline].nsPerOp / r.nsPerOp;
    console.log(
      `  ${r.name.padEnd(46)} ${formatNs(r.nsPerOp).padStart(10)}  ${Math.round(r.opsPerSecond).toLocaleString('en').padStart(9)} ops/s  ${vsFloor.toFixed(2)}x floor`,
    );
  }
  const webRatio = medianRatio(results[subject], results[baseline]);
  for (const line of notes) console.log(line);
  console.log(
    `goal: Web Crypto path no slower than today (>= ${target}x the crypto.subtle floor)\n${verdict(webRatio >= target).replace('MISS', 'FAIL')}: ${webRatio.toFixed(2)}x the floor`,
  );
}
