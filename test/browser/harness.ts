// The real pieces of the browser suite: `provisionkit dev` as a child process (the built bin), the
// example app on @hono/node-server, and headless Chromium through puppeteer-core (the system
// /usr/bin/chromium: no package ever downloads a browser). Each start returns its own stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import puppeteer, { type Browser } from 'puppeteer-core';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A running `provisionkit dev`: the env lines it printed. */
export interface DevProcess {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts `provisionkit dev <args>` and resolves once it printed INBOX_URL (the last line). */
export async function startDev(args: string[]): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const stop = () => stopChild(child);
  const env: Record<string, string> = {};
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`provisionkit dev printed no INBOX_URL in 10 s: ${stderr}`)),
        10_000,
      );
      child.once('exit', (code) => reject(new Error(`provisionkit dev exited with ${code}: ${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /^([A-Z_]+)=(.*)$/.exec(line);
        if (match?.[1] && match[2] !== undefined) env[match[1]] = match[2];
        if (match?.[1] === 'INBOX_URL') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, stop };
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child is gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

/**
 * Serves `fetch` on a free 127.0.0.1 port. The handler can be set after the port is known (the
 * dev process needs the app's webhook URL, the app needs the dev process's env lines).
 */
export async function serveLater(): Promise<{
  url: string;
  use(fetch: (request: Request) => Response | Promise<Response>): void;
  close(): Promise<void>;
}> {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response('not ready', { status: 503 });
  const server = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use: (fetch) => {
      handler = fetch;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of the browser would hold close() open.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** Headless Chromium with a fresh profile; `close` also removes the profile. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'provisionkit-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(profile, { recursive: true, force: true });
    },
  };
}
