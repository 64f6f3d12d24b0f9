// The webhook path must stay light: an app that only verifies webhooks (often on an edge
// runtime, where bundle size is start-up time) must not bundle ky or the HTTP layer. Bundles
// the sources with esbuild as a user's bundler would (tree-shaken, minified, platform neutral).
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

async function bundle(code: string) {
  const result = await esbuild.build({
    stdin: { contents: code, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    conditions: ['import', 'default'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { inputs, gzip: gzipSync(bytes, { level: 9 }).length };
}

describe('webhook bundle', () => {
  it.each([
    ['verify + parse', "export { verifyAnzuWebhook, parseAnzuWebhook } from './src/anzu/index.ts';"],
    ['the handler', "export { createAnzuWebhookHandler } from './src/anzu/index.ts';"],
    [
      'everything webhook',
      "export * from './src/anzu/webhook-handler.ts'; export * from './src/anzu/webhook-signature.ts';",
    ],
  ])('%s does not contain ky or the HTTP client', async (_name, code) => {
    const { inputs } = await bundle(code);
    expect(inputs.some((path) => path.includes('webhook-signature.ts') || path.includes('webhook-parse.ts'))).toBe(
      true,
    );
    expect(inputs.filter((path) => /node_modules\/ky\//.test(path))).toEqual([]);
    expect(inputs.filter((path) => path.endsWith('core/http.ts'))).toEqual([]);
    expect(inputs.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
  });

  it('brings in zod only with the zod schemas of provisionkit/anzu/schemas', async () => {
    const schemas = await bundle("export { anzuEnvelopeSchema } from './src/anzu/schemas.ts';");
    expect(schemas.inputs.some((path) => path.includes('node_modules/zod/'))).toBe(true);
    const everything = await bundle("export * from './src/index.ts';");
    expect(everything.inputs.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
  });

  // The parser validates with plain shapes (webhook-shapes.ts): zod's runtime comes in only with
  // the zod schemas, for an app that imports them.
  it('keeps verify + parse within 8 KiB gzipped, without zod', async () => {
    const { gzip, inputs } = await bundle("export { verifyAnzuWebhook, parseAnzuWebhook } from './src/anzu/index.ts';");
    expect(inputs.some((path) => path.includes('webhook-shapes.ts'))).toBe(true);
    expect(inputs.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
    expect(gzip).toBeLessThanOrEqual(8 * 1024);
  });
});
