/**
 * Reads a webhook request's body up to a size limit and a deadline (see core/read-limited.ts):
 * a larger declared `Content-Length` is refused before reading anything.
 */
import { cancelQuietly, type ReadRefusal, readLimited } from '../core/read-limited.js';

/** Why a body was not read: the outcome of {@link readLimitedBody} other than its bytes. */
export type BodyRefusal = ReadRefusal;

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
  const { body } = request;
  // No header reads as 0, a malformed one as NaN: both are then counted while streaming.
  if (Number(request.headers.get('content-length')) > maxBytes) {
    // Not read at all; cancelling tells the runtime it may drop the connection's data.
    cancelQuietly(body);
    return 'too_large';
  }
  if (!body) return request.signal?.aborted ? 'aborted' : new Uint8Array();
  return readLimited(body, maxBytes, timeoutMs, request.signal);
}
