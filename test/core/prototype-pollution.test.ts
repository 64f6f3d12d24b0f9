/**
 * An error body's `__proto__` key is plain data: it never becomes the prototype of the body
 * the SDK attaches to an `ApiError`, nor of anything read from it (an Anzu error code that only
 * exists on a smuggled prototype must not become the error's code).
 */
import { describe, expect, it } from 'vitest';
import { AnzuClient } from '../../src/anzu/client.js';
import { ApiError } from '../../src/core/errors.js';
import { describeWristbandError } from '../../src/wristband/errors.js';

const TOKEN = 'anzu_tok_1234567890';

function anzu(body: string) {
  return new AnzuClient({
    accessToken: TOKEN,
    teamId: 't',
    projectId: 'p',
    environmentId: 'e',
    retries: 0,
    fetch: async () => new Response(body, { status: 400, headers: { 'content-type': 'application/json' } }),
  });
}

describe('__proto__ in an error body', () => {
  it('stays own data of error.body, and pollutes nothing', async () => {
    const error = (await anzu('{"__proto__":{"polluted":true}}')
      .completeProvisioning('id_1')
      .catch((e: unknown) => e)) as ApiError & { body: Record<string, unknown> };
    expect(ApiError.is(error)).toBe(true);
    expect(Object.getPrototypeOf(error.body)).toBe(Object.prototype);
    expect(Object.hasOwn(error.body, '__proto__')).toBe(true);
    // biome-ignore lint/suspicious/noProto: reading the own data property named __proto__ is the point.
    expect(error.body.__proto__).toEqual({ polluted: true });
    expect((error.body as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a code hidden behind a nested __proto__ is not read as the error code', async () => {
    const error = await anzu('{"error":{"__proto__":{"code":"SMUGGLED","message":"from the prototype"}}}')
      .completeProvisioning('id_1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'http_400' });
    expect((error as Error).message).not.toContain('from the prototype');
  });

  it('a Wristband violation keyed __proto__ stays an own key of error.violations', () => {
    const details = describeWristbandError(400, JSON.parse('{"violations":{"__proto__":[{"code":"x"}]}}'));
    const violations = details.violations as Record<string, unknown>;
    expect(Object.getPrototypeOf(violations)).toBe(Object.prototype);
    expect(Object.hasOwn(violations, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(violations, '__proto__')?.value).toEqual([{ code: 'x' }]);
    expect((violations as { code?: unknown }).code).toBeUndefined();
  });
});
