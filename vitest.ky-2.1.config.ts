import { defineConfig } from 'vitest/config';

// provisionkit depends on ky ~2.0.2 (the smaller bundle); apps that use ky 2.1 themselves may
// override it to share one copy (docs/performance.md). This run holds that promise: the tests of
// everything that sends a request, with `ky` resolved to ky 2.1 (the `ky-2.1` dev dependency).
export default defineConfig({
  resolve: { alias: [{ find: /^ky$/, replacement: 'ky-2.1' }] },
  test: {
    include: [
      'test/ky-2.1/**/*.test.ts',
      'test/anzu/client.test.ts',
      'test/anzu/webhook-handler.test.ts',
      'test/core/{body-abort,http,observability,prototype-pollution,redirects}.test.ts',
      'test/faults/{anzu-client,wristband-client}.test.ts',
      'test/property/redaction.test.ts',
      'test/testing/*.test.ts',
      'test/wristband/*.test.ts',
    ],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
  },
});
