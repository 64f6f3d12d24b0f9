/**
 * examples/opentelemetry/tracing.ts: one CLIENT span per attempt with OpenTelemetry's HTTP
 * attribute names, failures marked, concurrent calls kept apart, and no secret in any span.
 * Runs the built package against the sandboxes of provisionkit/testing.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AnzuClient } from 'provisionkit/anzu';
import { createAnzuSandbox, createWristbandSandbox } from 'provisionkit/testing';
import { WristbandClient } from 'provisionkit/wristband';
import { afterEach, describe, expect, it } from 'vitest';
import { otelHooks } from '../../examples/opentelemetry/tracing.js';

const ANZU_TOKEN = 'anzu_otel_token_7f6e5d4c3b';
const CLIENT_SECRET = 'wb_otel_secret_1a2b3c4d5e';
const PASSWORD = 'otel-Password-42!';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const hooks = otelHooks(provider.getTracer('provisionkit-test'));
afterEach(() => exporter.reset());

/** The sandbox's fetch, answering 503 to the first `failures` requests. */
function flaky(fetch: typeof globalThis.fetch, failures: number): typeof globalThis.fetch {
  let seen = 0;
  return async (input, init) =>
    seen++ < failures
      ? Response.json({ error: { code: 'UNAVAILABLE' } }, { status: 503, headers: { 'retry-after': '0' } })
      : fetch(input, init);
}

describe('otelHooks', () => {
  it('AnzuClient: one CLIENT span per attempt, with the conventions’ attributes, resend count on retries', async () => {
    const anzu = createAnzuSandbox({ accessToken: ANZU_TOKEN });
    await anzu.signedWebhook({ email: 'ada@example.com' });
    const { id } = anzu.identities()[0] as { id: string };
    const client = new AnzuClient({ ...anzu.scope, accessToken: ANZU_TOKEN, fetch: flaky(anzu.fetch, 2), ...hooks });
    await client.completeProvisioning(id);
    expect(anzu.provisioningStatus(id)).toBe('complete');

    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.name).toBe('PATCH');
      expect(span.attributes['http.request.method']).toBe('PATCH');
      expect(span.attributes['url.full']).toContain(`/user_identities/${id}`);
      expect(span.attributes['server.address']).toBe('api.anzuhq.com');
      expect(span.attributes['server.port']).toBe(443);
      expect(span.attributes['provisionkit.provider']).toBe('anzu');
    }
    expect(spans.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2]);
    expect(spans.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 503, expect.any(Number)]);
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(spans.map((s) => s.attributes['error.type'])).toEqual(['503', '503', undefined]);
  });

  it('concurrent calls never mix up their spans', async () => {
    const anzu = createAnzuSandbox({ accessToken: ANZU_TOKEN });
    await anzu.signedWebhook({ email: 'ada@example.com' });
    const { id } = anzu.identities()[0] as { id: string };
    const client = new AnzuClient({ ...anzu.scope, accessToken: ANZU_TOKEN, retries: 0, fetch: anzu.fetch, ...hooks });
    // The sandbox answers 404 NOT_FOUND for an unknown identity.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => client.completeProvisioning(i % 2 ? id : `unknown_${i}`)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(10);
    for (const span of spans) {
      const known = String(span.attributes['url.full']).endsWith(`/${id}`);
      expect(span.attributes['http.response.status_code']).toBe(known ? 204 : 404);
      expect(span.status.code).toBe(known ? SpanStatusCode.UNSET : SpanStatusCode.ERROR);
    }
  });

  it('WristbandClient: token and signup requests are spans; no span holds a secret', async () => {
    const wristband = createWristbandSandbox({ clientId: 'client_1', clientSecret: CLIENT_SECRET });
    const issued: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await wristband.fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token')) issued.push((await response.clone().json()).access_token);
      return response;
    };
    const client = new WristbandClient({
      applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
      auth: { clientId: 'client_1', clientSecret: CLIENT_SECRET },
      fetch,
      ...hooks,
    });
    await client.provisionSignup({
      level: 'application',
      applicationId: 'app_1',
      tenantName: 'acme',
      tenantDisplayName: 'Acme',
      email: 'ada@example.com',
      password: PASSWORD,
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, new URL(String(s.attributes['url.full'])).pathname])).toEqual([
      ['POST', '/api/v1/oauth2/token'],
      ['POST', expect.stringMatching(/^\/api\/v1\//)],
    ]);
    for (const span of spans) {
      expect(span.attributes['provisionkit.provider']).toBe('wristband');
      expect(span.attributes['server.address']).toBe('yourapp-yourco.us.wristband.dev');
    }
    expect(issued).toHaveLength(1);
    const everything = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.status, s.events]));
    for (const secret of [...issued, CLIENT_SECRET, btoa(`client_1:${CLIENT_SECRET}`), PASSWORD]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('an attempt that gets no answer is an error span with error.type from the SDK error code', async () => {
    const client = new AnzuClient({
      workspaceId: 'w',
      environmentId: 'e',
      accessToken: ANZU_TOKEN,
      retries: 1,
      fetch: async () => {
        throw new TypeError('connect ECONNREFUSED');
      },
      ...hooks,
    });
    await expect(client.completeProvisioning('id_1')).rejects.toMatchObject({ code: 'network_error' });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('network_error');
      expect(span.attributes['http.response.status_code']).toBeUndefined();
    }
  });
});
