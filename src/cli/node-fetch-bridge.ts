/**
 * The dev server's one translation between `node:http` and the Fetch API: the emulators are the
 * sandboxes' `fetch(Request) → Response` functions, served as they are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The `Request` of a `node:http` request, with its raw body (origin from the server's address).
 *
 * @example
 * ```ts
 * const request = await toRequest(req, 'http://127.0.0.1:8787');
 * ```
 */
export async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of [value ?? []].flat()) headers.append(name, one);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body });
}

/**
 * Writes a `Response` (status, headers, body) to a `node:http` response.
 *
 * @example
 * ```ts
 * await writeResponse(res, Response.json({ ok: true }));
 * ```
 */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}
