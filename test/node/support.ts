// A real node:http server on 127.0.0.1 at a free port, for the tests of provisionkit/node and
// of the Node framework examples.
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server: its base URL and how to stop it (open connections included). */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Waits until `server` listens on 127.0.0.1 (any port), then describes it. */
export async function listening(server: Server): Promise<Listening> {
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `listener` on a fresh node:http server. */
export const listen = (listener: RequestListener): Promise<Listening> => listening(createServer(listener));

/** A promise and the function that resolves it, for steps that wait on each other. */
export function signal<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
