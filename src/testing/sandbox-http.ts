/**
 * The part both sandboxes share: they are `fetch` functions. ky calls `fetch(request)` with a
 * `Request`, other callers `fetch(url, init)`; both become one `Request` here, read once.
 */

/** A request as the sandboxes see it: the URL parsed, the body read as text and, when it is JSON, parsed. */
export interface SandboxRequest {
  method: string;
  url: URL;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, as an object; `{}` when it is not JSON. */
  json: Record<string, unknown>;
}

/** Normalises `fetch`'s arguments; rejects like `fetch` when the caller's signal has aborted. */
export async function readRequest(input: RequestInfo | URL, init?: RequestInit): Promise<SandboxRequest> {
  const request = new Request(input, init);
  request.signal.throwIfAborted();
  const text = await request.text();
  request.signal.throwIfAborted();
  let json: Record<string, unknown> = {};
  try {
    // Object() boxes a JSON string, number or boolean (and turns null into {}): no such body, nor an
    // array, has a field the sandboxes read or equals the one Anzu accepts, so all are refused.
    json = Object(JSON.parse(text));
  } catch {}
  // `fetch` upper-cases GET, POST… but not PATCH: a caller's 'patch' must still match.
  return {
    method: request.method.toUpperCase(),
    url: new URL(request.url),
    headers: request.headers,
    text,
    json,
  };
}

/** A JSON response (`content-type: application/json`). */
export const jsonResponse = (status: number, body: unknown, headers?: Record<string, string>): Response =>
  Response.json(body, { status, headers });

/**
 * The human-readable message of an error code (`NOT_FOUND` → `not found`). The providers' own
 * messages are not part of their contract, so the sandboxes spell out the code rather than carry
 * a second set of strings.
 */
export const describeCode = (code: string): string => code.toLowerCase().replace(/_/g, ' ');

/** The token of an `Authorization: Bearer <token>` header, or `undefined`. */
export const bearerToken = (headers: Headers): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];

/** Copies of a map's values, oldest first: what the sandboxes' listing methods return. */
export const copies = <T extends object>(map: Map<unknown, T>): T[] => [...map.values()].map((value) => ({ ...value }));
