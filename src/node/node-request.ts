/**
 * Turns a Node `IncomingMessage` into a Fetch API `Request` with the body's bytes as they were
 * sent: a webhook signature covers those exact bytes, so nothing here decodes or re-encodes.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** What a framework may have hung on `req` before the route (Express's `originalUrl`, a parser's `body`). */
type FrameworkRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** A body streamed from `req`, and how to let go of `req` once the response is out. */
export interface NodeRequest {
  request: Request;
  /** Stops feeding the body and drains what is left of it, so the connection can be reused. */
  release(): void;
}

/** A Host header that could change the URL's path or authority is replaced by `localhost`. */
const PLAIN_HOST = /^[^\s/?#@\\]+$/;

/**
 * The `Request` for `req`, or `undefined` when a body parser already consumed the stream and
 * left no raw bytes (`express.json()` before the route): those bytes are gone for good.
 */
export function requestFromNode(req: IncomingMessage, signal: AbortSignal): NodeRequest | undefined {
  const { method = 'GET', rawHeaders } = req;
  const { body: parsed, originalUrl } = req as FrameworkRequest;
  const headers = new Headers();
  // rawHeaders keeps every line as sent; appending joins repeated ones as Fetch does
  // (req.headers would drop duplicates of some names). HTTP/2 pseudo-headers are not headers.
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!name.startsWith(':')) headers.append(name, rawHeaders[i + 1] as string);
  }
  const host = headers.get('host') ?? '';
  // Express rewrites req.url inside mounted routers; originalUrl is the path as received.
  const path = originalUrl ?? req.url ?? '/';
  const origin = `${(req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http'}://${PLAIN_HOST.test(host) ? host : 'localhost'}`;
  // Concatenated, not resolved: `//evil.example/x` stays a path on this host.
  const url = path.startsWith('/') ? origin + path : new URL(path, origin).href;
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  let release = () => {};
  if (method !== 'GET' && method !== 'HEAD') {
    if (parsed instanceof Uint8Array) init.body = new Uint8Array(parsed);
    else if (typeof parsed === 'string') init.body = new TextEncoder().encode(parsed);
    else if (req.readableDidRead || req.readableEnded) return undefined;
    else {
      const stream = streamFrom(req);
      init.body = stream.body;
      init.duplex = 'half';
      release = stream.release;
    }
  }
  return { request: new Request(url, init), release };
}

/** `req`'s bytes as a web stream that reads only as fast as it is consumed. */
function streamFrom(req: IncomingMessage): { body: ReadableStream<Uint8Array>; release(): void } {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Uint8Array) => {
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => settle();
  const onError = (error: Error) => settle(error);
  // 'close' before 'end': the client went away in the middle of the body.
  const onClose = () => settle(new Error('the client closed the connection before the body was complete'));
  const detach = () => req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
  const settle = (error?: Error) => {
    detach();
    // Erroring a closed stream does nothing; closing one twice throws, hence the guard.
    if (error) controller.error(error);
    else {
      try {
        controller.close();
      } catch {}
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler wants no more (a body over its limit): discard the rest.
      detach();
      req.resume();
    },
  });
  return {
    body,
    release() {
      if (req.readableEnded) return;
      settle(new Error('the response was sent before the body was read'));
      // Without listeners, resume() discards the rest: Node does the same with an unread body.
      req.resume();
    },
  };
}
