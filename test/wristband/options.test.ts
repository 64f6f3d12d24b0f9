import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { WristbandClient } from '../../src/wristband/client.js';
import type { WristbandClientOptions } from '../../src/wristband/options.js';
import { CLIENT_SECRET, DOMAIN, endpoint, json, STATIC_TOKEN, TENANT_SIGNUP, useMockServer } from './mock-wristband.js';

const server = useMockServer();

/** Builds a client and returns the ValidationError it throws. */
function refused(options: unknown): ValidationError {
  try {
    new WristbandClient(options as WristbandClientOptions);
  } catch (error) {
    expect(ValidationError.is(error)).toBe(true);
    return error as ValidationError;
  }
  throw new Error('the constructor accepted the options');
}

const paths = (error: ValidationError) => error.issues.map((i) => i.path);
const auth = { accessToken: STATIC_TOKEN };

/** Sends one tenant signup and returns the URL it reached. */
async function urlReached(
  applicationVanityDomain: string,
  pattern: string,
  extra: Partial<WristbandClientOptions> = {},
) {
  const seen = endpoint(server, pattern, json({ result: 'X' }));
  await new WristbandClient({ applicationVanityDomain, auth, ...extra }).provisionSignup(TENANT_SIGNUP);
  expect(seen).toHaveLength(1);
  return seen[0]?.url;
}

describe('WristbandClient options: where Wristband is', () => {
  it('turns a bare vanity domain into https://{domain} with the default paths', async () => {
    expect(await urlReached(DOMAIN, `https://${DOMAIN}/*`)).toBe(`https://${DOMAIN}/api/v1/signup/provision-user`);
  });

  it('accepts a custom domain, and a full https URL with a trailing slash', async () => {
    expect(await urlReached('auth.example.com', 'https://auth.example.com/*')).toBe(
      'https://auth.example.com/api/v1/signup/provision-user',
    );
    expect(await urlReached('https://auth.example.com/', 'https://auth.example.com/*')).toBe(
      'https://auth.example.com/api/v1/signup/provision-user',
    );
  });

  it('keeps the path prefix of a full URL (a proxy in front of Wristband)', async () => {
    expect(await urlReached('https://proxy.example.com/wristband/', 'https://proxy.example.com/*')).toBe(
      'https://proxy.example.com/wristband/api/v1/signup/provision-user',
    );
  });

  it('accepts plain http for localhost only', async () => {
    expect(await urlReached('http://localhost:8787', 'http://localhost:8787/*')).toBe(
      'http://localhost:8787/api/v1/signup/provision-user',
    );
    expect(paths(refused({ applicationVanityDomain: 'http://yourapp.wristband.dev', auth }))).toEqual([
      'applicationVanityDomain',
    ]);
    expect(refused({ applicationVanityDomain: 'http://10.0.0.1', auth }).message).toMatch(/must use https/);
  });

  it('uses path overrides', async () => {
    expect(
      await urlReached(DOMAIN, `https://${DOMAIN}/*`, { paths: { provisionSignup: '/api/v2/signup/provision' } }),
    ).toBe(`https://${DOMAIN}/api/v2/signup/provision`);
  });

  it.each([
    ['', 'must be a non-empty string'],
    ['   ', 'must be a non-empty string'],
    ['my app.wristband.dev', 'without spaces'],
    ['ftp://yourapp.wristband.dev', 'must be an https URL'],
    ['https://user:pw@yourapp.wristband.dev', 'must not have credentials'],
    ['https://yourapp.wristband.dev/?x=1', 'must not have credentials, a query'],
    ['https://yourapp.wristband.dev/#x', 'must not have credentials, a query or a fragment'],
  ])('refuses the domain %j', (applicationVanityDomain, message) => {
    const error = refused({ applicationVanityDomain, auth });
    expect(error.issues).toEqual([{ path: 'applicationVanityDomain', message: expect.stringContaining(message) }]);
  });

  it('refuses a missing domain', () => {
    expect(refused({ auth }).issues).toEqual([{ path: 'applicationVanityDomain', message: 'is required' }]);
  });

  it('does not echo credentials of a refused URL', () => {
    const error = refused({ applicationVanityDomain: 'https://user:hunter22@yourapp.wristband.dev', auth });
    expect(error.message).not.toContain('hunter22');
  });
});

describe('WristbandClient options: auth', () => {
  it('refuses a missing auth and says what to pass', () => {
    const error = refused({ applicationVanityDomain: DOMAIN });
    expect(error.issues).toEqual([{ path: 'auth', message: expect.stringContaining('clientId + clientSecret') }]);
  });

  it('refuses an auth that is neither form', () => {
    expect(refused({ applicationVanityDomain: DOMAIN, auth: {} }).issues[0]?.message).toMatch(
      /give accessToken or clientId \+ clientSecret/,
    );
    expect(paths(refused({ applicationVanityDomain: DOMAIN, auth: 'token' }))).toEqual(['auth']);
  });

  it('refuses both forms at once', () => {
    const error = refused({
      applicationVanityDomain: DOMAIN,
      auth: { accessToken: STATIC_TOKEN, clientId: 'id', clientSecret: CLIENT_SECRET },
    });
    expect(error.issues).toEqual([{ path: 'auth', message: expect.stringContaining('not both') }]);
  });

  it('names each missing credential, without echoing the secret', () => {
    const error = refused({ applicationVanityDomain: DOMAIN, auth: { clientSecret: CLIENT_SECRET } });
    expect(error.issues).toEqual([{ path: 'auth.clientId', message: 'is required' }]);
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
    expect(String(error)).not.toContain(CLIENT_SECRET);
    expect(paths(refused({ applicationVanityDomain: DOMAIN, auth: { clientId: 'id', clientSecret: '' } }))).toEqual([
      'auth.clientSecret',
    ]);
  });

  it('refuses an empty token string and a token of another type', () => {
    expect(paths(refused({ applicationVanityDomain: DOMAIN, auth: { accessToken: '' } }))).toEqual([
      'auth.accessToken',
    ]);
    expect(paths(refused({ applicationVanityDomain: DOMAIN, auth: { accessToken: 42 } }))).toEqual([
      'auth.accessToken',
    ]);
  });

  it.each([-1, Number.NaN, '60'])('refuses expiryBufferSeconds %j', (expiryBufferSeconds) => {
    const error = refused({
      applicationVanityDomain: DOMAIN,
      auth: { clientId: 'id', clientSecret: CLIENT_SECRET, expiryBufferSeconds },
    });
    expect(paths(error)).toEqual(['auth.expiryBufferSeconds']);
  });

  it('accepts the three auth forms', () => {
    expect(() => new WristbandClient({ applicationVanityDomain: DOMAIN, auth })).not.toThrow();
    expect(
      () => new WristbandClient({ applicationVanityDomain: DOMAIN, auth: { accessToken: () => 't' } }),
    ).not.toThrow();
    expect(
      () =>
        new WristbandClient({
          applicationVanityDomain: DOMAIN,
          auth: { clientId: 'id', clientSecret: CLIENT_SECRET, expiryBufferSeconds: 0 },
        }),
    ).not.toThrow();
  });
});

describe('WristbandClient options: paths and transport', () => {
  it.each(['api/v1/oauth2/token', '//evil.example/token', '/a b', '/token?x=1', 5])('refuses the path %j', (token) => {
    const error = refused({ applicationVanityDomain: DOMAIN, auth, paths: { token } });
    expect(error.issues).toEqual([{ path: 'paths.token', message: expect.stringContaining("starting with '/'") }]);
  });

  it('refuses an unknown path name (a typo would otherwise be ignored)', () => {
    const error = refused({ applicationVanityDomain: DOMAIN, auth, paths: { provisionSigup: '/x' } });
    expect(error.issues).toEqual([
      { path: 'paths.provisionSigup', message: expect.stringContaining('provisionSignup') },
    ]);
  });

  it('lists every bad option in one error', () => {
    const error = refused({ applicationVanityDomain: '', auth: {}, timeoutMs: 0, retries: -1, fetch: 'x', paths: 'y' });
    expect(paths(error).sort()).toEqual(['applicationVanityDomain', 'auth', 'fetch', 'paths', 'retries', 'timeoutMs']);
    expect(error.message).toMatch(/^Invalid WristbandClient options: /);
  });

  it('refuses options that are not an object', () => {
    expect(paths(refused(undefined))).toEqual(['applicationVanityDomain', 'auth']);
  });
});
