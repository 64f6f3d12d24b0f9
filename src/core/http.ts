/**
 * `HttpClient`: the transport plus reading the 2xx response body (size-capped, within the
 * attempt's time budget, JSON when it parses). Used by the Wristband client, whose answers
 * carry the result; the Anzu client uses the bare `Transport`.
 */
import { NetworkError, ProvisionKitError, TimeoutError } from './errors.js';
import { cancelQuietly, type ReadRefusal, readLimited } from './read-limited.js';
import { redact } from './redact.js';
import { type HttpRequest, safeCause, Transport } from './transport.js';

export {
  type HttpClientConfig,
  type HttpRequest,
  MAX_RETRY_AFTER_MS,
  type ProviderErrorDetails,
  RETRY_STATUS_CODES,
} from './transport.js';

/** Largest response body read, so a broken or hostile server cannot exhaust memory. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, its text otherwise, `undefined` when empty. */
  body: unknown;
}

export class HttpClient extends Transport {
  async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.request(request);
    try {
      const body = await readBody(response, this.config.timeoutMs, request.signal);
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      // The connection died after the headers. Not retried: like ky, and because the server
      // has already acted on the request; the caller learns it as a typed network error.
      if (error instanceof TypeError) {
        const message = `Lost the ${this.config.provider} response: ${error.message}`;
        throw new NetworkError(redact(message, request.secrets), safeCause(error, request));
      }
      throw error;
    }
  }
}

/**
 * Reads a 2xx body within the attempt's time budget and the size cap, then parses it as
 * JSON when it looks like JSON. A body that claims JSON but does not parse is kept as text:
 * the request succeeded, and the caller decides what an unreadable answer means.
 */
async function readBody(response: Response, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const stream = response.body;
  if (!stream) return undefined;
  if (Number(response.headers.get('content-length')) > MAX_RESPONSE_BYTES && !signal?.aborted) {
    cancelQuietly(stream);
    throw tooLarge();
  }
  let bytes: Uint8Array | ReadRefusal;
  try {
    bytes = await readLimited(stream, MAX_RESPONSE_BYTES, timeoutMs, signal);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
  // An abort wins over whatever else ended the read, as with `fetch`.
  if (bytes === 'aborted' || signal?.aborted) throw signal?.reason;
  if (bytes === 'timeout') throw new TimeoutError(timeoutMs, 'response body');
  if (bytes === 'too_large') throw tooLarge();
  const text = new TextDecoder().decode(bytes);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function tooLarge(): ProvisionKitError {
  return new ProvisionKitError(
    'response_too_large',
    `The provider's response is larger than ${MAX_RESPONSE_BYTES} bytes and was not read`,
  );
}
