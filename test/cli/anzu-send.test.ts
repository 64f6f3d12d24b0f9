import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAnzuWebhook } from '../../src/anzu/webhook-signature.js';
import { ANZU_USER_IDENTITY_DELETED } from '../../src/anzu/webhook-types.js';
import { runBin, startReceiver } from './run-bin.js';

const SECRET = 'cli-test-secret-9f3a';
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const send = (...args: string[]) => runBin(['anzu', 'send', '--url', receiver.url, '--secret', SECRET, ...args]);
const signature = (index = 0) => String(receiver.received[index]?.headers['anzu-signature']);

describe('provisionkit anzu send', () => {
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('POSTs a signed user_identity_created event that verifyAnzuWebhook accepts; prints status and body', async () => {
    const run = await send('--email', 'ada@example.com');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('200 {"ok":true}\n');
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [(typeof receiver.received)[0]];
    expect(headers['content-type']).toBe('application/json');
    const event = await verifyAnzuWebhook({ payload: body.toString(), signature: signature(), secret: SECRET });
    expect(event.kind).toBe('user_management.user_identity_created');
    if (event.kind !== 'user_management.user_identity_created') return;
    expect(event.payload.identity.email).toBe('ada@example.com');
    expect(event.payload.provisionedWith).toBe('email');
    expect(event.scope).toMatchObject({ teamId: expect.any(String), projectId: expect.any(String) });
    // The 2022 envelope.
    expect(JSON.parse(body.toString())).toMatchObject({ version: '2022.8', webhookId: expect.any(String) });
    await expect(
      verifyAnzuWebhook({ payload: body.toString(), signature: signature(), secret: 'other' }),
    ).rejects.toThrow();
  });

  it('--repeat 3 delivers the same event id three times', async () => {
    const run = await send('--repeat', '3');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['200 {"ok":true}', '200 {"ok":true}', '200 {"ok":true}']);
    const ids = receiver.received.map(({ body }) => JSON.parse(body.toString()).id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('--timestamp is the signature ts', async () => {
    const ts = 1_662_209_363;
    expect((await send('--timestamp', String(ts))).code).toBe(0);
    expect(new URLSearchParams(signature()).get('ts')).toBe(String(ts));
    const payload = receiver.received[0]?.body.toString() ?? '';
    await expect(
      verifyAnzuWebhook({ payload, signature: signature(), secret: SECRET, now: ts }),
    ).resolves.toBeDefined();
    // Outside the replay window today: the receiver's check would refuse it.
    await expect(verifyAnzuWebhook({ payload, signature: signature(), secret: SECRET })).rejects.toThrow(
      /tolerance|old/i,
    );
  });

  it('--body sends the file bytes exactly, signed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-cli-'));
    try {
      const file = join(dir, 'event.json');
      const text = '{ "id": "evt_1",\n  "kind": "ping", "payload": {} }\n\n';
      writeFileSync(file, text);
      const run = await send('--body', file);
      expect(run.code, run.stderr).toBe(0);
      expect(receiver.received[0]?.body.toString()).toBe(text);
      const event = await verifyAnzuWebhook({ payload: text, signature: signature(), secret: SECRET });
      expect(event).toMatchObject({ id: 'evt_1', kind: 'ping' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--kind sends another wire kind with an identity payload', async () => {
    expect((await send('--kind', ANZU_USER_IDENTITY_DELETED, '--email', 'gone@example.com')).code).toBe(0);
    const body = receiver.received[0]?.body.toString() ?? '';
    const event = await verifyAnzuWebhook({ payload: body, signature: signature(), secret: SECRET });
    expect(event.kind).toBe(ANZU_USER_IDENTITY_DELETED);
    expect(JSON.parse(body).payload.identity).toMatchObject({ email: 'gone@example.com', id: expect.any(String) });
  });

  it('exits 1 on a 401 answer, after sending every --repeat delivery, and never prints the secret', async () => {
    await receiver.close();
    receiver = await startReceiver(() => ({ status: 401, body: '{"error":"invalid_signature"}' }));
    const run = await send('--repeat', '2');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('401 {"error":"invalid_signature"}\n401 {"error":"invalid_signature"}\n');
    expect(receiver.received).toHaveLength(2);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('a network error is a message on stderr and exit 1', async () => {
    const url = receiver.url;
    await receiver.close();
    const run = await runBin(['anzu', 'send', '--url', url, '--secret', SECRET]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^provisionkit: POST .* failed/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(SECRET);
    receiver = await startReceiver();
  });
});
