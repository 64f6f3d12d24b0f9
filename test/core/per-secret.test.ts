import { expect, it } from 'vitest';
import { PER_SECRET_LIMIT, perSecret } from '../../src/core/per-secret.js';

it('makes a value once per secret, and starts over when the map is full', () => {
  const map = new Map<string, number>();
  let made = 0;
  const get = (secret: string) => perSecret(map, secret, () => ++made);
  expect([get('a'), get('a'), get('b'), get('a')]).toEqual([1, 1, 2, 1]);
  for (let i = map.size; i < PER_SECRET_LIMIT; i++) get(`s${i}`);
  expect(map.size).toBe(PER_SECRET_LIMIT);
  // Full: the next new secret empties the map first, so 'a' is made again afterwards.
  get('new');
  expect(map.size).toBe(1);
  const before = made;
  expect(get('a')).toBe(before + 1);
});
