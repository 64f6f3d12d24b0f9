/**
 * The bridge from Node's `(req, res)` servers to a Fetch API handler. It holds no provider
 * logic: it only translates, so any `Request → Response` function can serve `node:http`,
 * Express, Koa or Fastify with the body's bytes exactly as they were sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestFromNode } from './node-request.js';
import { writeResponse } from './node-response.js';

/**
 * What a parser that swallowed the body leaves for the developer: the fix, in one line. Logged
 * on each such request (a misconfiguration every delivery runs into until it is fixed).
 */
const BODY_ALREADY_READ_MESSAGE =
  'provisionkit/node: the request body was already read and parsed by a body parser ' +
  "(express.json(), Fastify's content type parsers, a Koa body parser), so the raw bytes a signature " +
  'covers are gone. Mount this route before express.json() (or whichever parser ran; in Fastify, in a ' +
  "plugin whose content type parser reads nothing), or in Express give it express.raw({ type: 'application/json' }).";

/**
 * A Node listener or Express middleware: `(req, res, next?)`, resolving once the response is
 * written. It never rejects.
 *
 * @example
 * ```ts
 * const listener: NodeHandler = toNodeHandler(async () => new Response('hi'));
 * http.createServer(listener).listen(3000);
 * ```
 */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

const json = (res: ServerResponse, status: number, body: object) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

/**
 * Serves a Fetch API handler (`(request: Request) => Promise<Response>`, such as
 * `createAnzuWebhookHandler(…)`) from `node:http`, Express 4/5, Koa or Fastify.
 *
 * The `Request` it builds:
 * - method, path and query as received (Express's `req.originalUrl` when set, so mounted
 *   routers keep the full path); host from the `Host` header (`localhost` when it is missing or
 *   could change the path); scheme `https` when the socket is TLS, else `http`. Proxy headers
 *   (`X-Forwarded-Proto`, `Forwarded`) are not consulted: they are headers like any other;
 * - every header line (`req.rawHeaders`), repeated ones joined with `, ` as Fetch does; HTTP/2
 *   pseudo-headers (`:path`, …) are left out;
 * - for methods other than GET and HEAD, the body's raw bytes streamed from `req` as they
 *   arrive (no parser needed, nothing decoded). When a parser already left raw bytes
 *   (`req.body` a Buffer/Uint8Array from `express.raw()`, or a string from `express.text()`,
 *   encoded back as UTF-8) those are used instead;
 * - a `signal` that aborts when the client closes the connection before the response is
 *   complete, so the handler stops reading the body and can stop its work.
 *
 * When a parser consumed the stream and left no raw bytes (`express.json()` mounted before the
 * route), the handler is not called: the answer is `500 {"error":"body_already_read"}`
 * (`application/json`), and a message is written with `console.error` telling to mount the route
 * before `express.json()` or to use `express.raw()`. It is not passed to `next`: Express's error
 * page would replace the JSON answer.
 *
 * The `Response` is written as it is: status, status text, every header (each `Set-Cookie` value
 * on its own line), and the body streamed chunk by chunk as it is produced. A client that goes
 * away cancels the body stream.
 *
 * When the handler throws (or building the `Request` fails, or the body stream fails), the error
 * goes to `next(error)` when `next` is given (Express's error handling); without `next`, the
 * answer is `500 {"error":"internal_error"}`, which never contains the error, or, when the
 * headers were already sent, the connection is closed.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { AnzuClient, createAnzuWebhookHandler } from 'provisionkit/anzu';
 * import { toNodeHandler } from 'provisionkit/node';
 *
 * const handler = createAnzuWebhookHandler({
 *   secret: process.env.ANZU_WEBHOOK_SECRET!,
 *   client: AnzuClient.fromEnv(),
 *   onUserIdentityCreated: async (event) => { await db.users.upsert(event.payload.identity); },
 * });
 * const app = express();
 * app.post('/webhooks/anzu', toNodeHandler(handler)); // before any app.use(express.json())
 * app.use(express.json());
 * ```
 *
 * @example
 * ```ts
 * // node:http
 * http.createServer(toNodeHandler(handler)).listen(3000);
 * ```
 */
export function toNodeHandler(handler: (request: Request) => Promise<Response>): NodeHandler {
  return async (req, res, next) => {
    const aborted = new AbortController();
    const abort = () => {
      if (!res.writableFinished) aborted.abort();
    };
    res.once('close', abort);
    // Node closes a fully read request too; only a close before the end means the client left.
    req.once('close', () => {
      if (!req.complete) abort();
    });
    let release = () => {};
    try {
      const built = requestFromNode(req, aborted.signal);
      if (!built) {
        console.error(BODY_ALREADY_READ_MESSAGE);
        return json(res, 500, { error: 'body_already_read' });
      }
      release = built.release;
      await writeResponse(await handler(built.request), res, built.request.method);
    } catch (error) {
      if (next) next(error);
      else if (!res.headersSent) json(res, 500, { error: 'internal_error' });
      else res.destroy();
    } finally {
      release();
    }
  };
}
