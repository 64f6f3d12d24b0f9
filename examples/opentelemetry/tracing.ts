/**
 * OpenTelemetry tracing for provisionkit's clients, fed by the `onRequest` / `onResponse` hooks:
 * one CLIENT span per attempt (a retry is a span of its own, as OpenTelemetry's HTTP semantic
 * conventions ask), with the conventions' attribute names. No header or body reaches a hook, so
 * no span can hold a token, a client secret or a password.
 *
 *   import { trace } from '@opentelemetry/api';
 *   const anzu = new AnzuClient({ ...options, ...otelHooks(trace.getTracer('my-app')) });
 */
import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { ObservabilityHooks } from 'provisionkit';

/** Hooks that trace every attempt of a provisionkit client with `tracer`. */
export function otelHooks(tracer: Tracer): Required<ObservabilityHooks> {
  // onResponse gets the very object onRequest got for the same attempt, so it is the key: two
  // concurrent calls (or two attempts) can never pick up each other's span.
  const spans = new WeakMap<object, Span>();
  return {
    onRequest(info) {
      const url = new URL(info.url);
      const attributes: Attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: info.method,
        [ATTR_URL_FULL]: info.url,
        [ATTR_SERVER_ADDRESS]: url.hostname,
        [ATTR_SERVER_PORT]: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        'provisionkit.provider': info.provider,
      };
      // The conventions count resends: absent on the first attempt, 1 on the first retry.
      if (info.attempt > 1) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = info.attempt - 1;
      spans.set(info, tracer.startSpan(info.method, { kind: SpanKind.CLIENT, attributes }));
    },
    onResponse(info) {
      const span = spans.get(info);
      if (!span) return;
      spans.delete(info);
      if (info.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, info.status);
      // provisionkit fails on anything but a 2xx (it never follows a redirect), so a span does too.
      // No status and no error: the caller's own signal aborted the attempt.
      const failure =
        info.error?.code ??
        (info.status === undefined ? 'aborted' : info.status < 200 || info.status > 299 ? String(info.status) : '');
      if (failure) {
        span.setAttribute(ATTR_ERROR_TYPE, failure);
        span.setStatus({ code: SpanStatusCode.ERROR, message: info.error?.message });
      }
      span.end();
    },
  };
}
