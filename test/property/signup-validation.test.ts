/**
 * provisionSignup's local validation, generated from the seed's constraints (PROVIDERS.md):
 * every request inside them reaches the network exactly once with the request as its body
 * (minus `level` and `undefined` fields); every request with one field outside them is
 * refused with that field's path, and nothing is sent.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { WristbandClient } from '../../src/wristband/client.js';
import type { SignupRequest } from '../../src/wristband/signup-request.js';

const RUNS = { numRuns: 300 };

/** Any text of `min`–`max` UTF-16 code units (the unit the SDK counts, like Java validators). */
const text = (min: number, max: number) =>
  fc
    .oneof(
      fc.string({ minLength: min, maxLength: max }),
      fc.string({ unit: 'binary', minLength: min, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    )
    .filter((s) => s.length >= min && s.length <= max);

const email = fc.oneof(
  fc.emailAddress().filter((s) => s.length <= 200),
  fc
    .tuple(text(1, 90), text(1, 90))
    .map(([local, domain]) => `${local.replaceAll('@', '')}@${domain.replaceAll('@', '')}`)
    .filter((s) => s.indexOf('@') > 0 && s.lastIndexOf('@') < s.length - 1 && s.length <= 200),
);
const phoneNumber = fc.stringMatching(/^\+[1-9]\d{1,14}$/);
const birthdate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** The seed's constraints, one valid-value arbitrary per field. */
const VALID = {
  email,
  fullName: text(1, 200),
  givenName: text(1, 200),
  familyName: text(1, 200),
  phoneNumber,
  birthdate,
  clientId: text(1, 26),
  username: text(1, 200),
  password: text(1, 300),
  state: text(1, 26),
  tenantDomainName: text(3, 20),
  applicationId: text(1, 26),
  tenantName: text(3, 20),
  tenantDisplayName: text(1, 200),
  tenantId: text(1, 26),
} as const;
type Field = keyof typeof VALID;

const USER_OPTIONAL: Field[] = [
  'fullName',
  'givenName',
  'familyName',
  'phoneNumber',
  'birthdate',
  'clientId',
  'username',
  'password',
  'state',
  'tenantDomainName',
];
const LEVEL_FIELDS = {
  application: ['applicationId', 'tenantName', 'tenantDisplayName'],
  tenant: ['tenantId'],
} as const satisfies Record<string, Field[]>;

/** A valid request: the level's fields and email always, each optional field present, absent or `undefined`. */
const validRequest: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom('application' as const, 'tenant' as const)
  .chain((level) => {
    const required = ['email', ...LEVEL_FIELDS[level]] as Field[];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of required) model[field] = VALID[field];
    for (const field of USER_OPTIONAL) model[field] = fc.option(VALID[field], { nil: undefined, freq: 2 });
    return fc
      .record(model, { requiredKeys: required })
      .map((fields) => ({ level, ...fields }) as Record<string, unknown>);
  });

/** Values outside a field's constraint, each with why. */
function invalidValues(field: Field): fc.Arbitrary<unknown> {
  const limits: Record<Field, [number, number]> = {
    email: [1, 200],
    fullName: [1, 200],
    givenName: [1, 200],
    familyName: [1, 200],
    phoneNumber: [1, 16],
    birthdate: [1, 10],
    clientId: [1, 26],
    username: [1, 200],
    password: [1, Number.POSITIVE_INFINITY],
    state: [1, 26],
    tenantDomainName: [3, 20],
    applicationId: [1, 26],
    tenantName: [3, 20],
    tenantDisplayName: [1, 200],
    tenantId: [1, 26],
  };
  const [min, max] = limits[field];
  const options: fc.Arbitrary<unknown>[] = [
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object()),
    text(0, min - 1),
  ];
  if (Number.isFinite(max)) options.push(fc.string({ minLength: max + 1, maxLength: max + 40 }));
  if (field === 'email')
    options.push(
      text(1, 100).map((s) => s.replaceAll('@', '')),
      text(1, 50).map((s) => `@${s}`),
    );
  if (field === 'phoneNumber') {
    options.push(
      fc.stringMatching(/^[1-9]\d{1,14}$/), // no '+'
      fc.stringMatching(/^\+0\d{1,14}$/), // leading 0
      fc.constantFrom('+1 415 555 0123', '+', '+1', '+1234567890123456'),
    );
  }
  if (field === 'birthdate') {
    options.push(
      fc.constantFrom('2023-02-30', '2023-13-01', '2023-00-10', '2023-04-31', '1999-02-29', '20230101', '01-01-2023'),
    );
  }
  return fc.oneof(...options);
}

function setup(answer = () => Response.json({ result: 'USER_ACTIVATION_REQUIRED_WITH_EMAIL_LINK' })) {
  const bodies: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(await new Request(input, init).text());
    return answer();
  });
  const client = new WristbandClient({
    applicationVanityDomain: 'yourapp-yourco.us.wristband.dev',
    auth: { accessToken: 'static_token_for_property_tests' },
    fetch: fetch as typeof globalThis.fetch,
  });
  return { client, fetch, bodies };
}

describe('provisionSignup validation (property)', () => {
  it('sends every request inside the constraints exactly once, as given minus level and undefined', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async (request) => {
        const { client, fetch, bodies } = setup();
        const result = await client.provisionSignup(request as unknown as SignupRequest);
        expect(result.kind).toBe('activation_link_sent');
        expect(fetch).toHaveBeenCalledTimes(1);
        const expected = Object.fromEntries(
          Object.entries(request).filter(([key, value]) => key !== 'level' && value !== undefined),
        );
        expect(JSON.parse(bodies[0] as string)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('refuses a request with one field outside its constraint, naming only that field, sending nothing', async () => {
    const broken = validRequest.chain((request) => {
      const level = request.level as 'application' | 'tenant';
      const fields = ['email', ...LEVEL_FIELDS[level], ...USER_OPTIONAL] as Field[];
      return fc
        .constantFrom(...fields)
        .chain((field) => invalidValues(field).map((value) => ({ request: { ...request, [field]: value }, field })));
    });
    await fc.assert(
      fc.asyncProperty(broken, async ({ request, field }) => {
        const { client, fetch } = setup();
        const error = await client.provisionSignup(request as unknown as SignupRequest).catch((e: unknown) => e);
        expect(ValidationError.is(error)).toBe(true);
        expect((error as ValidationError).issues.map((i) => i.path)).toEqual([field]);
        expect(fetch).not.toHaveBeenCalled();
      }),
      RUNS,
    );
  });

  it('refuses a missing level field, or a field of the other level, by its path, sending nothing', async () => {
    const mixed = validRequest.chain((request) => {
      const level = request.level as 'application' | 'tenant';
      const other = level === 'application' ? 'tenant' : 'application';
      const drop = fc.constantFrom(...LEVEL_FIELDS[level], 'email').map((field) => {
        const { [field]: _dropped, ...rest } = request;
        return { request: rest, field };
      });
      const add = fc
        .constantFrom(...LEVEL_FIELDS[other])
        .chain((field) => VALID[field].map((value) => ({ request: { ...request, [field]: value }, field })));
      return fc.oneof(drop, add);
    });
    await fc.assert(
      fc.asyncProperty(mixed, async ({ request, field }) => {
        const { client, fetch } = setup();
        const error = await client.provisionSignup(request as unknown as SignupRequest).catch((e: unknown) => e);
        expect(ValidationError.is(error)).toBe(true);
        expect((error as ValidationError).issues.map((i) => i.path)).toEqual([field]);
        expect(fetch).not.toHaveBeenCalled();
      }),
      RUNS,
    );
  });

  it('lists every bad field when several are bad at once', async () => {
    const several = validRequest.chain((request) => {
      const level = request.level as 'application' | 'tenant';
      const fields = ['email', ...LEVEL_FIELDS[level], ...USER_OPTIONAL] as Field[];
      return fc.subarray(fields, { minLength: 2 }).chain((chosen) =>
        fc.tuple(...chosen.map((field) => invalidValues(field))).map((values) => ({
          request: { ...request, ...Object.fromEntries(chosen.map((f, i) => [f, values[i]])) },
          fields: chosen,
        })),
      );
    });
    await fc.assert(
      fc.asyncProperty(several, async ({ request, fields }) => {
        const { client, fetch } = setup();
        const error = await client.provisionSignup(request as unknown as SignupRequest).catch((e: unknown) => e);
        expect(ValidationError.is(error)).toBe(true);
        expect(new Set((error as ValidationError).issues.map((i) => i.path))).toEqual(new Set(fields));
        expect(fetch).not.toHaveBeenCalled();
      }),
      { numRuns: 100 },
    );
  });

  it('reads the request once: getters answering something else later, and inherited fields, change nothing sent', async () => {
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.constant('<evil>'), fc.constant(undefined));
    const inherited = fc.dictionary(fc.constantFrom(...(Object.keys(VALID) as Field[]), 'level', 'extra'), anyValue);
    await fc.assert(
      fc.asyncProperty(validRequest, inherited, anyValue, async (request, proto, later) => {
        const { client, fetch, bodies } = setup();
        const reads = new Map<string, number>();
        // Each own field is a getter that answers the valid value once, then `later`.
        const shifty = Object.create(proto) as Record<string, unknown>;
        for (const [key, value] of Object.entries(request)) {
          Object.defineProperty(shifty, key, {
            enumerable: true,
            get: () => {
              reads.set(key, (reads.get(key) ?? 0) + 1);
              return reads.get(key) === 1 ? value : later;
            },
          });
        }
        await client.provisionSignup(shifty as unknown as SignupRequest);
        expect(fetch).toHaveBeenCalledTimes(1);
        const expected = Object.fromEntries(
          Object.entries(request).filter(([key, value]) => key !== 'level' && value !== undefined),
        );
        expect(JSON.parse(bodies[0] as string)).toEqual(expected);
        expect([...reads.values()].every((count) => count === 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
