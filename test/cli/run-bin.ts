// Runs the built `provisionkit` bin as users do (`node dist/cli/main.js …`), and a local HTTP
// receiver for the requests it sends. test/global-setup.ts rebuilds dist/ when src/ is newer.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin to its end. */
export function runBin(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A node:http receiver on 127.0.0.1 that records each request and answers with `answer`. */
export async function startReceiver(
  answer: (
    received: Received,
  ) => Promise<{ status: number; body: string }> | { status: number; body: string } = () => ({
    status: 200,
    body: '{"ok":true}',
  }),
): Promise<{ url: string; received: Received[]; server: Server; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const one = { headers: req.headers, body: Buffer.concat(chunks) };
    received.push(one);
    const { status, body } = await answer(one);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/anzu`,
    received,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DevProcess {
  child: ChildProcess;
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** Starts `provisionkit dev …` and resolves once it printed its env lines (parsed). */
export function startDev(args: string[] = []): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (!/^INBOX_URL=.*\n/m.test(stdout)) return;
      const env = Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      resolve({ child, env, stop });
    });
    child.once('exit', (code) => reject(new Error(`provisionkit dev exited ${code}: ${stderr}`)));
  });
}
