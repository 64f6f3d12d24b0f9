import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { compile } from '../../src/anzu/webhook-conforms.js';
import {
  anzuAuthAttemptSchema,
  anzuEnvelopeSchema,
  anzuIdentitySchema,
  anzuScopeSchema,
  anzuUserIdentityCreatedPayloadSchema,
} from '../../src/anzu/webhook-schema.js';
import {
  authAttemptShape,
  createdPayloadShape,
  envelopeShape,
  identityShape,
  type Shape,
  scopeShape,
} from '../../src/anzu/webhook-shapes.js';
import type { ValidationIssue } from '../../src/core/errors.js';

/**
 * The shape a zod/mini schema describes, for the features the webhook shapes know; any other
 * (checks, refinements, transforms, strict or stripping objects, other types) throws, since the
 * parser could not follow zod there.
 */
function shapeOf(schema: z.ZodMiniType): Shape {
  const def = schema._zod.def as unknown as {
    type: string;
    checks?: unknown[];
    innerType?: z.ZodMiniType;
    shape?: Record<string, z.ZodMiniType>;
    catchall?: z.ZodMiniType;
  };
  if (def.checks?.length) throw new Error('checks are not supported');
  switch (def.type) {
    case 'string':
    case 'boolean':
    case 'unknown':
      return def.type;
    case 'optional':
      return { optional: shapeOf(def.innerType as z.ZodMiniType) };
    case 'nullable':
      return { nullable: shapeOf(def.innerType as z.ZodMiniType) };
    case 'object':
      if (def.catchall?._zod.def.type !== 'unknown') throw new Error('only loose objects are supported');
      return {
        loose: Object.fromEntries(Object.entries(def.shape ?? {}).map(([key, field]) => [key, shapeOf(field)])),
      };
    default:
      throw new Error(`${def.type} is not supported`);
  }
}

// The parser validates with the plain shapes; the zod schemas are what users compose. Both must say
// the same, so each shape is derived from its schema here and compared.
// The fast check must never accept what zod refuses, and what it accepts zod must return unchanged
// (the parser returns the value itself on the fast path).

const leaf = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([]),
  fc.constant({}),
);
const fieldsOf = (schema: z.ZodMiniObject) => Object.keys(schema._zod.def.shape);
/** Mostly strings (the usual field type), sometimes anything else. */
const usually = (likely: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: likely, weight: 8 }, { arbitrary: leaf, weight: 1 });
/** Objects using the schema's own keys (so that near-misses are common), plus a stray one. */
const near = (keys: string[], likely: fc.Arbitrary<unknown> = fc.string({ maxLength: 4 })) =>
  fc.oneof(
    { arbitrary: leaf, weight: 1 },
    {
      arbitrary: fc.record(Object.fromEntries([...keys, 'extra'].map((k) => [k, usually(likely)])), {
        requiredKeys: [],
      }),
      weight: 6,
    },
  );

const identity = near(fieldsOf(anzuIdentitySchema));
const authAttempt = near(fieldsOf(anzuAuthAttemptSchema));
const scope = near(fieldsOf(anzuScopeSchema));
const payload = fc.oneof(
  near(fieldsOf(anzuUserIdentityCreatedPayloadSchema)),
  fc.record(
    {
      provisionedWith: usually(fc.constantFrom('email', 'phone_number')),
      identity,
      authAttempt: fc.oneof(authAttempt, fc.constant(null)),
      isSecondaryIdentity: usually(fc.boolean()),
    },
    { requiredKeys: [] },
  ),
);
const envelope = fc.record(
  {
    id: usually(fc.string()),
    kind: usually(fc.constantFrom('ping', 'user_management.user_identity_created')),
    createdAt: usually(fc.string()),
    version: usually(fc.string()),
    webhookId: usually(fc.string()),
    delivery: near(['webhookId', 'deliveryId']),
    scope,
    payload,
  },
  { requiredKeys: [] },
);

const cases: [string, z.ZodMiniType, Shape, fc.Arbitrary<unknown>][] = [
  ['identity', anzuIdentitySchema, identityShape, identity],
  ['authAttempt', anzuAuthAttemptSchema, authAttemptShape, authAttempt],
  ['scope', anzuScopeSchema, scopeShape, scope],
  ['created payload', anzuUserIdentityCreatedPayloadSchema, createdPayloadShape, payload],
  ['envelope', anzuEnvelopeSchema, envelopeShape, envelope],
];

describe("the parser's shapes agree with the exported zod/mini schemas", () => {
  it.each(cases)('%s: the shape is the one its zod schema describes', (_name, schema, shape) => {
    expect(shape).toEqual(shapeOf(schema));
  });

  it.each(cases)('%s: accepted only when zod accepts, and then unchanged', (_name, schema, shape, arbitrary) => {
    const check = compile(shape);
    let accepted = 0;
    fc.assert(
      fc.property(arbitrary, (value) => {
        const result = z.safeParse(schema, value);
        if (check(value)) {
          accepted++;
          expect(result.success).toBe(true);
          expect(result.data).toEqual(value);
        }
      }),
      { numRuns: 2000 },
    );
    // The generators must reach the accepting side too, or the property says nothing.
    expect(accepted).toBeGreaterThan(0);
  });

  // The parser reports these issues instead of zod's: the same fields, in the same order, with the
  // messages the parser has always written from zod's issues.
  it.each(cases)('%s: names the same fields as zod, in the same order', (_name, schema, shape, arbitrary) => {
    const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
    let refused = 0;
    fc.assert(
      fc.property(arbitrary, (value) => {
        const issues: ValidationIssue[] = [];
        const valid = compile(shape)(value, issues, 'at');
        const result = z.safeParse(schema, value, { reportInput: true });
        expect(valid).toBe(result.success);
        const expected = (result.error?.issues ?? []).map((issue) => ({
          path: ['at', ...issue.path.map(String)].join('.'),
          message:
            issue.input === undefined
              ? 'is required'
              : `expected ${(issue as { expected?: string }).expected}, received ${kind(issue.input)}`,
        }));
        expect(issues).toEqual(expected);
        if (!valid) refused++;
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(0);
  });

  it('accepts the valid documented shapes (the fast path is actually taken)', () => {
    expect(compile(envelopeShape)({ id: 'e', kind: 'ping' })).toBe(true);
    expect(compile(scopeShape)({ workspaceId: 'w', environmentId: 'e' })).toBe(true);
    expect(
      compile(createdPayloadShape)({
        provisionedWith: 'email',
        identity: { id: 'i', provider: 'google', name: 'N' },
        authAttempt: null,
      }),
    ).toBe(true);
  });

  it('refuses a required unknown field that is absent, as zod does', () => {
    expect(compile({ loose: { a: 'unknown' } })({})).toBe(false);
    expect(z.safeParse(z.looseObject({ a: z.unknown() }), {}).success).toBe(false);
  });

  it('derives no shape from zod features the parser cannot follow', () => {
    expect(() => shapeOf(z.object({ a: z.string() }))).toThrow(/loose/); // strips unknown keys
    expect(() => shapeOf(z.string().check(z.minLength(2)))).toThrow(/checks/);
    expect(() => shapeOf(z.number())).toThrow(/number/);
  });
});
