/** Lower-case hex of `bytes`, two digits each: tokens, store keys and signatures. */
export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
