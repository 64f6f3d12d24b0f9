// Runs only under vitest.ky-2.1.config.ts: fails if that run's alias stopped working, so the
// run would silently test the default ky again.
import ky from 'ky';
import { describe, expect, it } from 'vitest';

describe('the ky 2.1 run', () => {
  it('resolves ky to 2.1 (the first 2.x with the `query` method)', () => {
    expect(typeof (ky as unknown as Record<string, unknown>).query).toBe('function');
  });
});
