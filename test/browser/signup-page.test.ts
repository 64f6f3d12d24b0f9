import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnzuUser, createSignupApp } from '../../examples/signup-page/app.js';
import { type DevProcess, launchChromium, serveLater, startDev } from './harness.js';

// examples/signup-page in real headless Chromium against real `provisionkit dev` processes: the
// user's tab fills the forms, a second tab reads the dev inbox as the user reads their email.

const SCREENSHOT = join(import.meta.dirname, '../../coverage/browser/inbox.png');

interface Stack {
  appUrl: string;
  dev: DevProcess;
  anzuUsers: Map<string, AnzuUser>;
}

const stops: (() => Promise<void>)[] = [];
let browser: Browser;

/** One dev process with `args`, and the example app configured by its env lines. */
async function startStack(args: string[]): Promise<Stack> {
  const server = await serveLater();
  stops.push(server.close);
  const dev = await startDev(['--webhook-url', `${server.url}/webhooks/anzu`, ...args]);
  stops.push(dev.stop);
  const { app, anzuUsers } = createSignupApp(dev.env);
  server.use(app.fetch);
  return { appUrl: server.url, dev, anzuUsers };
}

/** Waits (across the inbox's own live reloads) for the table row of `email` to contain `text`. */
const inboxRow = (page: Page, email: string, text: string) =>
  page
    .waitForFunction(
      (email, text) =>
        [...document.querySelectorAll('tr')].find(
          (row) => row.textContent?.includes(email) && row.textContent.includes(text),
        )?.innerHTML,
      // Polled on a timer: requestAnimationFrame (the default) never runs in a background tab.
      { timeout: 5000, polling: 100 },
      email,
      text,
    )
    .then((handle) => handle.jsonValue() as Promise<string>);

async function signUp(page: Page, appUrl: string, email: string, tenantName: string): Promise<void> {
  await page.goto(`${appUrl}/signup`);
  await page.type('input[name=email]', email);
  await page.type('input[name=fullName]', 'Ada Lovelace');
  await page.type('input[name=tenantName]', tenantName);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

describe('examples/signup-page in headless Chromium, against provisionkit dev', { timeout: 30_000 }, () => {
  let otp: Stack;
  let link: Stack;

  beforeAll(async () => {
    const chromium = await launchChromium();
    stops.push(chromium.close);
    browser = chromium.browser;
    [otp, link] = await Promise.all([startStack(['--verification', 'otp']), startStack(['--verification', 'link'])]);
  }, 30_000);

  afterAll(async () => {
    // Every stop runs, even when one fails or setup stopped half way.
    await Promise.allSettled(stops.reverse().map((stop) => stop()));
  }, 15_000);

  it('(a) OTP: signup in tab 1, code read from the inbox in tab 2, typed in tab 1 -> welcome; user ACTIVE', async () => {
    const app = await browser.newPage();
    await signUp(app, otp.appUrl, 'ada@example.com', 'analytical');
    expect(new URL(app.url()).pathname).toMatch(/^\/signup\/[\w-]+\/code$/);

    const inbox = await browser.newPage();
    await inbox.goto(otp.dev.env.INBOX_URL ?? '');
    const row = await inboxRow(inbox, 'ada@example.com', 'PENDING_SIGNUP_ACTIVATION');
    const code = /class="code">([^<]+)</.exec(row)?.[1];
    expect(code).toMatch(/^\w+$/);

    // Back to tab 1: puppeteer's clicks wait on frames a background tab does not render.
    await app.bringToFront();
    await app.type('input[name=code]', code ?? '');
    await Promise.all([app.waitForNavigation(), app.click('button[type=submit]')]);
    expect(new URL(app.url()).pathname).toMatch(/^\/welcome\//);
    expect(await app.$eval('#status', (element) => element.textContent)).toBe(
      'Your account ada@example.com is active.',
    );
    await inboxRow(inbox, 'ada@example.com', 'ACTIVE');
    expect(await inboxRow(inbox, 'ada@example.com', 'ACTIVE')).not.toContain('PENDING');
  });

  it('(b) link: signup -> "check your email"; the inbox activation link activates the user', async () => {
    const app = await browser.newPage();
    await signUp(app, link.appUrl, 'grace@example.com', 'navy');
    expect(await app.$eval('h1', (element) => element.textContent)).toBe('Check your email');

    const inbox = await browser.newPage();
    await inbox.goto(link.dev.env.INBOX_URL ?? '');
    const row = await inboxRow(inbox, 'grace@example.com', 'PENDING_SIGNUP_ACTIVATION');
    const href = /<a href="([^"]*activat[^"]*)"/.exec(row)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    // Opened in a tab of its own, as from an email (the inbox tab reloads itself on every change).
    const email = await browser.newPage();
    await email.goto(new URL(href ?? '', link.dev.env.INBOX_URL).href);
    expect(await email.$eval('h1', (element) => element.textContent)).toBe('Account activated');
    expect(await inboxRow(inbox, 'grace@example.com', 'ACTIVE')).not.toContain('PENDING');
  });

  it('(c) Anzu: a signup from the inbox form reaches the example webhook, which confirms it (complete)', async () => {
    const inbox = await browser.newPage();
    await inbox.setViewport({ width: 1100, height: 900 });
    await inbox.goto(otp.dev.env.INBOX_URL ?? '');
    const form = 'form[action$="anzu-signup"]';
    expect(await inbox.$eval(form, (element) => element.textContent)).toContain('Anzu');
    await inbox.type(`${form} input[name=email]`, 'anzu@example.com');
    await Promise.all([inbox.waitForNavigation(), inbox.click(`${form} button[type=submit]`)]);
    expect(await inboxRow(inbox, 'anzu@example.com', 'complete')).not.toContain('pending');
    expect([...otp.anzuUsers.values()]).toEqual([{ email: 'anzu@example.com', name: undefined }]);

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await inbox.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
    console.log(`inbox screenshot: ${SCREENSHOT}`);
  });
});
