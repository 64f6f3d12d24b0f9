// The contract's names, checked on the built package through its own `exports` map, the way
// users (and the external tests) import it: `provisionkit`, `provisionkit/anzu`, … .
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ERRORS = [
  'ProvisionKitError',
  'ValidationError',
  'ApiError',
  'TimeoutError',
  'NetworkError',
  'WebhookSignatureError',
  'WebhookPayloadError',
];
const ANZU = [
  'AnzuClient',
  'parseAnzuWebhook',
  'safeParseAnzuWebhook',
  'verifyAnzuWebhook',
  'signAnzuWebhook',
  'createAnzuWebhookHandler',
];
const WRISTBAND = ['WristbandClient'];
const TESTING = ['createAnzuSandbox', 'createWristbandSandbox'];

const STORES = ['memoryStore', 'redisStore'];
const SCHEMAS = [
  'anzuEnvelopeSchema',
  'anzuScopeSchema',
  'anzuIdentitySchema',
  'anzuAuthAttemptSchema',
  'anzuUserIdentityCreatedPayloadSchema',
];
const NODE = ['toNodeHandler'];

const ENTRY_POINTS: Record<string, string[]> = {
  provisionkit: [...ERRORS, ...ANZU, ...WRISTBAND, ...STORES],
  'provisionkit/anzu': [...ERRORS, ...ANZU],
  'provisionkit/wristband': [...ERRORS, ...WRISTBAND],
  'provisionkit/stores': STORES,
  'provisionkit/node': NODE,
  'provisionkit/testing': TESTING,
};

it('keeps the sandboxes out of the production entry', async () => {
  const root = await import('provisionkit');
  for (const name of TESTING) expect(root, name).not.toHaveProperty(name);
});

// The zod schemas have their own entry, so that `provisionkit` and `provisionkit/anzu` never
// bundle zod's runtime for an app that does not use them.
it('exports the zod schemas from provisionkit/anzu/schemas only', async () => {
  const schemas: Record<string, unknown> = { ...(await import('provisionkit/anzu/schemas')) };
  for (const name of SCHEMAS) expect(schemas[name], name).toHaveProperty('_zod');
  const root = await import('provisionkit');
  const anzu = await import('provisionkit/anzu');
  for (const name of SCHEMAS) {
    expect(root, name).not.toHaveProperty(name);
    expect(anzu, name).not.toHaveProperty(name);
  }
});

describe.each(Object.entries(ENTRY_POINTS))('%s', (specifier, names) => {
  it('exports every name of the contract', async () => {
    const module = await import(specifier);
    for (const name of names) expect(module[name], `${specifier} → ${name}`).toBeTypeOf('function');
  });

  it('can be loaded with require() from CommonJS', () => {
    const script = `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
    const keys = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(keys).toEqual(expect.arrayContaining(names));
  });
});

it('exports its package.json', async () => {
  const { default: pkg } = await import('provisionkit/package.json', { with: { type: 'json' } });
  expect(pkg.name).toBe('provisionkit');
});

it('shares one error class across entry points (no duplicated copies in the build)', async () => {
  const root = await import('provisionkit');
  const anzu = await import('provisionkit/anzu');
  const wristband = await import('provisionkit/wristband');
  expect(anzu.ApiError).toBe(root.ApiError);
  expect(wristband.ApiError).toBe(root.ApiError);
});
