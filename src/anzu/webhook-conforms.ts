/**
 * A fast validator for the webhook schemas, built from the zod/mini schema definitions themselves
 * (so the rules live in one place: `webhook-schema.ts`).
 *
 * Why: zod/mini interprets schemas generically (and may not compile them, as edge runtimes
 * forbid `new Function`), which costs several microseconds per delivery — more than
 * `JSON.parse` itself. Valid deliveries are the common case, and for the loose, transform-free
 * schemas used here zod's output equals its input, so a valid value can be returned as is.
 * When a value does not conform, the same walk names every bad field, with zod's paths and
 * `is required` / `expected <type>, received <type>` messages (zod/mini ships no messages, to
 * stay small; these never echo the value).
 *
 * Soundness is what matters: `conforms` must never say yes where zod says no. It understands
 * exactly the features the webhook schemas use (string, boolean, unknown, optional, nullable,
 * loose object); any other (checks, refinements, transforms, strict or stripping objects, other
 * types) makes it say no, with the issue "expected a supported schema".
 *
 * Each schema is turned once into a tree of small closures (no `eval`, so it works where
 * `new Function` is blocked), once per schema (the parser compiles its two at load).
 */
import type * as z from 'zod/mini';
import type { ValidationIssue } from '../core/errors.js';

/**
 * A compiled schema: true when `value` is valid. When it is not and `issues` is given, pushes one
 * issue per bad field, under `path`. The fast path (valid, no `issues`) builds no strings.
 */
export type Check = (value: unknown, issues?: ValidationIssue[], path?: string) => boolean;

interface SchemaDef {
  type: string;
  checks?: unknown[];
  innerType?: z.ZodMiniType;
  shape?: Record<string, z.ZodMiniType>;
  catchall?: z.ZodMiniType;
}

/**
 * True only when zod would accept `value` for `schema` and return it unchanged. Compiles the
 * schema on every call: for repeated use, keep the result of {@link compile}.
 */
export const conforms = (schema: z.ZodMiniType, value: unknown): boolean => compile(schema)(value);

/** A check of the value itself; its issue names the expected type, never the value. */
const leaf =
  (expected: string, test: (value: unknown) => boolean): Check =>
  (value, issues, path = '') => {
    if (test(value)) return true;
    issues?.push({
      path,
      message:
        value === undefined
          ? 'is required'
          : `expected ${expected}, received ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
    });
    return false;
  };

const unsupported = leaf('a supported schema', () => false);
const isObject = leaf('object', (value) => typeof value === 'object' && value !== null && !Array.isArray(value));

/** Turns a schema into a {@link Check}; pure, so that an unused compiled schema is dropped by bundlers. */
export function compile(schema: z.ZodMiniType): Check {
  const def = schema._zod.def as SchemaDef;
  const { type } = def;
  if (def.checks?.length) return unsupported;
  switch (type) {
    case 'string':
    case 'boolean':
      return leaf(type, (value) => typeof value === type);
    case 'unknown':
      // zod requires the key of a non-optional z.unknown() to be present. Refusing `undefined`
      // does that, and is stricter than zod for a present `undefined` (still sound); the webhook
      // schemas have no required z.unknown().
      return leaf(type, (value) => value !== undefined);
    case 'optional':
    case 'nullable': {
      const inner = compile(def.innerType as z.ZodMiniType);
      const allowed = type === 'optional' ? undefined : null;
      return (value, issues, path) => value === allowed || inner(value, issues, path);
    }
    case 'object': {
      // Only loose objects (catchall unknown) keep unknown keys as they are.
      if (def.catchall?._zod.def.type !== 'unknown') return unsupported;
      const fields = Object.entries(def.shape as Record<string, z.ZodMiniType>).map(
        ([key, field]) => [key, compile(field)] as const,
      );
      return (value, issues, path = '') => {
        if (!isObject(value, issues, path)) return false;
        let valid = true;
        for (const [key, check] of fields) {
          const field = (value as Record<string, unknown>)[key];
          if (!check(field)) {
            valid = false;
            if (issues === undefined) break;
            // Checked again, now to record why: only invalid bodies pay for building paths.
            check(field, issues, path ? `${path}.${key}` : key);
          }
        }
        return valid;
      };
    }
    default:
      return unsupported;
  }
}
