/**
 * Reads a request body up to a size limit and a deadline, without buffering more than the
 * limit: a sender could otherwise make the endpoint hold an arbitrarily large body in memory
 * before the signature check refuses it, or hold a connection open by trickling bytes.
 */

/** Why a body was not read: the outcome of {@link readLimitedBody} other than its bytes. */
export type BodyRefusal = 'too_large' | 'timeout' | 'aborted';

/**
 * The body's bytes, or why they were not read: over `maxBytes`, not fully received within
 * `timeoutMs`, or `request.signal` aborted. In each refused case the stream is cancelled.
 * A stream that errors rejects.
 */
export async function readLimitedBody(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | BodyRefusal> {
  const { body, signal } = request;
  // No header reads as 0, a malformed one as NaN: both are then counted while streaming.
  if (Number(request.headers.get('content-length')) > maxBytes) {
    // Not read at all; cancelling tells the runtime it may drop the connection's data.
    body?.cancel().catch(() => {});
    return 'too_large';
  }
  if (signal?.aborted) {
    body?.cancel().catch(() => {});
    return 'aborted';
  }
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  // One promise settles the race for every read: the deadline and the abort both resolve it.
  let stop: (why: BodyRefusal) => void = () => {};
  const stopped = new Promise<BodyRefusal>((resolve) => {
    stop = resolve;
  });
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('aborted');
  signal?.addEventListener('abort', onAbort);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  let refusal: BodyRefusal | undefined;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stopped]);
      if (typeof next === 'string') {
        refusal = next;
        break;
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) {
        refusal = 'too_large';
        break;
      }
      chunks.push(next.value as Uint8Array<ArrayBuffer>);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Stops the sender's stream at once; a read still pending settles as done, and is dropped.
    if (refusal) reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  return refusal ?? new Uint8Array(await new Blob(chunks).arrayBuffer());
}
