// A request object is read once: what is validated is exactly what is sent. Getters that change
// their answer and fields on the prototype chain cannot smuggle anything past validation.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { ACTIVATE_URL, endpoint, json, rejection, SIGNUP_URL, staticToken, useMockServer } from './mock-wristband.js';

const server = useMockServer();

/** A getter answering `first` on its first read and `later` on every other. */
function shifting<T>(target: object, key: string, first: T, later: T): () => number {
  let reads = 0;
  Object.defineProperty(target, key, {
    enumerable: true,
    get: () => (reads++ === 0 ? first : later),
  });
  return () => reads;
}

describe('provisionSignup reads the request once', () => {
  it('sends the value a getter gave to the validation, not a later one', async () => {
    const seen = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const request = { level: 'tenant', tenantId: 'tnt_01hx' } as Record<string, unknown>;
    const reads = shifting(request, 'email', 'ada@example.com', '<evil>');
    await staticToken().provisionSignup(request as never);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ tenantId: 'tnt_01hx', email: 'ada@example.com' });
    expect(reads()).toBe(1);
  });

  it('refuses what a getter gave to the validation, even if it would answer a valid value later', async () => {
    const seen = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const request = { level: 'tenant', tenantId: 'tnt_01hx' } as Record<string, unknown>;
    shifting(request, 'email', 'not-an-email', 'ada@example.com');
    const error = await rejection(staticToken().provisionSignup(request as never));
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([{ path: 'email', message: 'must be an email address' }]);
    expect(seen).toHaveLength(0);
  });

  it('ignores fields on the prototype chain: neither validated nor sent', async () => {
    const seen = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const inherited = { password: 'hunter2-inherited', tenantName: 'x', level: 'application' };
    const request = Object.assign(Object.create(inherited), {
      level: 'tenant',
      tenantId: 'tnt_01hx',
      email: 'ada@example.com',
    });
    await staticToken().provisionSignup(request);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ tenantId: 'tnt_01hx', email: 'ada@example.com' });
  });

  it('does not take an inherited email as the required one', async () => {
    const seen = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    const request = Object.assign(Object.create({ email: 'ada@example.com' }), { level: 'tenant', tenantId: 'tnt' });
    const error = await rejection(staticToken().provisionSignup(request));
    expect((error as ValidationError).issues).toEqual([{ path: 'email', message: 'is required' }]);
    expect(seen).toHaveLength(0);
  });

  it('refuses a field that a getter adds only after validation', async () => {
    const seen = endpoint(server, SIGNUP_URL, json({ result: 'X' }));
    // A Proxy that lists `password` only from its second listing on: the snapshot has no password.
    let listings = 0;
    const fields: Record<string, unknown> = { level: 'tenant', tenantId: 'tnt_01hx', email: 'ada@example.com' };
    const request = new Proxy(fields, {
      ownKeys: (target) => (listings++ === 0 ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), 'password']),
      getOwnPropertyDescriptor: (target, key) =>
        key === 'password'
          ? { value: '', enumerable: true, configurable: true, writable: true }
          : Reflect.getOwnPropertyDescriptor(target, key),
    });
    await staticToken().provisionSignup(request as never);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ tenantId: 'tnt_01hx', email: 'ada@example.com' });
    expect(listings).toBe(1);
  });
});

describe('activateUser reads the request once', () => {
  it('sends the code a getter gave to the validation', async () => {
    const seen = endpoint(server, ACTIVATE_URL, json({ result: 'USER_ACTIVATION_COMPLETE' }));
    const request = {} as Record<string, unknown>;
    shifting(request, 'emailAuthCode', 'code-1', 'code-2');
    await staticToken().activateUser(request as never);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ emailAuthCode: 'code-1' });
  });

  it('ignores an inherited second form: only own fields count', async () => {
    const seen = endpoint(server, ACTIVATE_URL, json({ result: 'USER_ACTIVATION_COMPLETE' }));
    const request = Object.assign(Object.create({ requestCode: 'r', verificationCode: 'v' }), { emailAuthCode: 'c' });
    await staticToken().activateUser(request);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ emailAuthCode: 'c' });
  });

  it('refuses a request whose only fields are inherited', async () => {
    const seen = endpoint(server, ACTIVATE_URL, json({ result: 'USER_ACTIVATION_COMPLETE' }));
    const error = await rejection(staticToken().activateUser(Object.create({ emailAuthCode: 'c' })));
    expect(ValidationError.is(error)).toBe(true);
    expect(seen).toHaveLength(0);
  });
});
