/**
 * Reads a body stream whole, within a size limit, a deadline and an abort signal, without
 * buffering more than the limit. Both directions need it: a webhook sender could make the
 * endpoint hold an arbitrarily large body (or trickle it to hold the connection), and a broken
 * or hostile provider could do the same to a client reading its answer.
 */

/** Why a stream was not read: the outcome of {@link readLimited} other than its bytes. */
export type ReadRefusal = 'too_large' | 'timeout' | 'aborted';

/**
 * Cancels a body the SDK will not read. Not awaited: cancelling one branch of a tee'd (cloned)
 * body only settles once the other branch is cancelled too; a failing cancellation changes nothing.
 */
export const cancelQuietly = (body: ReadableStream | null | undefined): void => {
  body?.cancel().catch(() => {});
};

/**
 * The bytes of `stream`, or why they were not read: over `maxBytes`, not complete within
 * `timeoutMs`, or `signal` aborted (checked first as well). In each refused case the stream is
 * cancelled. A stream that errors rejects.
 */
export async function readLimited(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  timeoutMs: number,
  signal?: AbortSignal | null,
): Promise<Uint8Array | ReadRefusal> {
  if (signal?.aborted) {
    cancelQuietly(stream);
    return 'aborted';
  }
  const reader = stream.getReader();
  // One promise settles the race for every read: the deadline and the abort both resolve it.
  // Racing the abort (rather than only cancelling the reader) matters: a cancelled reader
  // reports `done`, which would otherwise pass half a body off as the whole.
  let stop: (why: ReadRefusal) => void = () => {};
  const stopped = new Promise<ReadRefusal>((resolve) => {
    stop = resolve;
  });
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('aborted');
  signal?.addEventListener('abort', onAbort);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  let refusal: ReadRefusal | undefined;
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
