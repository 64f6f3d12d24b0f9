/**
 * Reads a request body up to a size limit without buffering more than the limit: a sender
 * could otherwise make the endpoint hold an arbitrarily large body in memory before the
 * signature check refuses it.
 */

/** The body's bytes, or `undefined` when it is larger than `maxBytes`. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  // No header reads as 0, a malformed one as NaN: both are then counted while streaming.
  if (Number(request.headers.get('content-length')) > maxBytes) {
    // Not read at all; cancelling tells the runtime it may drop the connection's data.
    request.body?.cancel().catch(() => {});
    return undefined;
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  // Leaving a `for await` loop early cancels the stream (the iterator's `return()`), so a body
  // over the limit stops being read at once.
  for await (const chunk of (request.body ?? []) as AsyncIterable<Uint8Array<ArrayBuffer>>) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}
