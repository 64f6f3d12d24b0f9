/**
 * Writes a Fetch API `Response` to a Node `ServerResponse` as it is: status, every header value
 * (each `Set-Cookie` on its own line), and the body streamed chunk by chunk as it is produced.
 */
import type { ServerResponse } from 'node:http';

/** Resolves once `res` can take more data, or once the connection is gone. */
const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });

/**
 * Sends `response` on `res`. A client that goes away cancels the response's body (the stream's
 * `cancel` runs), so a producer stops instead of writing into the void. Rejects when the body
 * stream fails.
 */
export async function writeResponse(response: Response, res: ServerResponse, method: string): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  // Iterating Headers yields each Set-Cookie apart and other repeated names joined (as Fetch
  // stores them); Set-Cookie is written once, as the array of all its values.
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const { body } = response;
  if (!body || method === 'HEAD' || res.destroyed) {
    await body?.cancel().catch(() => {});
    if (!res.destroyed) res.end();
    return;
  }
  const reader = body.getReader();
  const stop = () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  };
  res.once('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } finally {
    res.off('close', stop);
  }
}
