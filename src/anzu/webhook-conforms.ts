/**
 * A fast validator for the webhook shapes (webhook-shapes.ts).
 *
 * Why not zod itself: zod/mini interprets schemas generically (and may not compile them, as edge
 * runtimes forbid `new Function`), which costs several microseconds per delivery — more than
 * `JSON.parse` itself — and bundling its runtime would triple the size of webhook verification.
 * Valid deliveries are the common case, and for loose, transform-free shapes zod's output equals
 * its input, so a valid value can be returned as is. When a value does not conform, the same walk
 * names every bad field, with zod's paths and `is required` / `expected <type>, received <type>`
 * messages (these never echo the value). A property test checks both against zod/mini on the
 * exported schemas: never yes where zod says no, and the same issues where it says no.
 *
 * Each shape is turned once into a tree of small closures (no `eval`, so it works where
 * `new Function` is blocked).
 */
import type { ValidationIssue } from '../core/errors.js';
import type { Shape } from './webhook-shapes.js';

/**
 * A compiled shape: true when `value` is valid. When it is not and `issues` is given, pushes one
 * issue per bad field, under `path`. The fast path (valid, no `issues`) builds no strings.
 */
export type Check = (value: unknown, issues?: ValidationIssue[], path?: string) => boolean;

/**
 * Records why `value` is not the `expected` type (never the value itself) and returns false.
 * Each check below tests its type inline and calls this only on failure: an indirect test per
 * field would cost a function call per field on every valid delivery.
 */
function mismatch(expected: string, value: unknown, issues: ValidationIssue[] | undefined, path = ''): false {
  issues?.push({
    path,
    message:
      value === undefined
        ? 'is required'
        : `expected ${expected}, received ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
  });
  return false;
}

/** Turns a shape into a {@link Check}; pure, so that an unused compiled shape is dropped by bundlers. */
export function compile(shape: Shape): Check {
  if (shape === 'unknown') {
    // zod requires the key of a non-optional z.unknown() to be present. Refusing `undefined`
    // does that, and is stricter than zod for a present `undefined` (still sound); the webhook
    // shapes have no required `unknown`.
    return (value, issues, path) => value !== undefined || mismatch(shape, value, issues, path);
  }
  if (typeof shape === 'string') {
    return (value, issues, path) => typeof value === shape || mismatch(shape, value, issues, path);
  }
  if ('loose' in shape) {
    const keys = Object.keys(shape.loose);
    const checks = Object.values(shape.loose).map(compile);
    return (value, issues, path = '') => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return mismatch('object', value, issues, path);
      }
      let valid = true;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const check = checks[i] as Check;
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
  const optional = 'optional' in shape;
  const inner = optional ? shape.optional : shape.nullable;
  const allowed = optional ? undefined : null;
  // An optional (or nullable) string or boolean, most fields, is one test: the same issue as its
  // inner leaf's, since the allowed value never fails.
  if (inner === 'string' || inner === 'boolean') {
    return (value, issues, path) => value === allowed || typeof value === inner || mismatch(inner, value, issues, path);
  }
  const check = compile(inner);
  return (value, issues, path) => value === allowed || check(value, issues, path);
}
