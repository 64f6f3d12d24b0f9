import { defineConfig } from 'tsup';

// One ESM file per source file (no bundling), with declarations. Keeping the modules apart is
// what lets a user's bundler drop whole files with `sideEffects: false`: an app importing only
// `AnzuClient` never pulls in the webhook code, and one verifying webhooks never pulls in ky.
//
// Source maps map to the files' paths without embedding the sources (`sourcesContent: false`),
// so the tarball stays small; the declarations carry the documentation.
export default defineConfig({
  entry: ['src/**/*.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  bundle: false,
  // The Node-only folders need Node's types for their declarations; tsconfig.json (edge types
  // only) is still what `npm run typecheck` holds the edge entries to.
  tsconfig: 'tsconfig.node.json',
  dts: {
    entry: {
      index: 'src/index.ts',
      'anzu/index': 'src/anzu/index.ts',
      'anzu/schemas': 'src/anzu/schemas.ts',
      'wristband/index': 'src/wristband/index.ts',
      'stores/index': 'src/stores/index.ts',
      'node/index': 'src/node/index.ts',
      'testing/index': 'src/testing/index.ts',
    },
  },
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
});
