#!/usr/bin/env node
// Bundle-size budgets (part of `npm test`). Bundles the *built* package the way a user's
// bundler would for an edge deploy (esbuild, minified, platform neutral, ky and zod
// included), gzips it at level 9 and fails when an entry is above its budget, or when the
// webhook-only entry pulls in ky. The nearest alternatives a user would install for webhook
// verification (svix, standardwebhooks) are measured the same way, for comparison only.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KiB = 1024;

/** Budgets are gzipped bytes; `forbid` lists packages the entry must not contain. */
const entries = [
  {
    name: '(a) verifyAnzuWebhook + parseAnzuWebhook',
    code: "export { verifyAnzuWebhook, parseAnzuWebhook } from './dist/anzu/index.js';",
    budget: 8 * KiB,
    forbid: ['ky', 'zod'],
  },
  // ky is pinned to ~2.0.2 in package.json: ky 2.1 alone is 1.5 KiB larger and would put (b) over.
  {
    name: '(b) AnzuClient',
    code: "export { AnzuClient } from './dist/anzu/index.js';",
    budget: 11.5 * KiB,
  },
  {
    name: '(c) WristbandClient',
    code: "export { WristbandClient } from './dist/wristband/index.js';",
    budget: 18 * KiB,
  },
  {
    name: '(e) webhook handler + idempotency + redisStore',
    code: "export { createAnzuWebhookHandler } from './dist/anzu/index.js'; export { redisStore } from './dist/stores/index.js';",
    budget: 10 * KiB,
    forbid: ['ky', 'zod'],
  },
  {
    name: "(d) everything from 'provisionkit'",
    code: "export * from './dist/index.js';",
    budget: 24 * KiB,
    forbid: ['zod'],
  },
  {
    name: 'provisionkit/anzu/schemas (information)',
    code: "export * from './dist/anzu/schemas.js';",
  },
  {
    name: 'provisionkit/testing (information)',
    code: "export * from './dist/testing/index.js';",
  },
];

/** What a user would install instead, for webhook verification only. No budget. */
const alternatives = [
  { name: 'svix: Webhook (verify)', code: "export { Webhook } from 'svix';" },
  { name: 'standardwebhooks: Webhook (verify)', code: "export { Webhook } from 'standardwebhooks';" },
  { name: 'ky alone (reference)', code: "export { default } from 'ky';" },
];

const kib = (bytes) => `${(bytes / KiB).toFixed(1)} KiB`;

/** The package that a bundled input file belongs to, or undefined for our own dist files. */
function packageOf(input) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

/**
 * Bundles one stdin entry. Tries platform `neutral` first (what an edge runtime needs); when
 * that fails (a package that only resolves for a browser or Node), retries with the next
 * platform and says so, so the table never hides what it took.
 */
async function measure(code, platforms = ['neutral']) {
  let lastError;
  for (const platform of platforms) {
    try {
      const result = await esbuild.build({
        stdin: { contents: code, resolveDir: root, loader: 'js', sourcefile: 'size-entry.js' },
        bundle: true,
        minify: true,
        platform,
        format: 'esm',
        // neutral resolves no package fields by itself: read what ky, zod, svix and
        // standardwebhooks publish (`exports` import/default, then module/main).
        mainFields: ['module', 'main'],
        conditions: ['import', 'default'],
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const bytes = result.outputFiles[0].contents;
      // Inputs that contributed code: esbuild lists every file it parsed, even tree-shaken ones.
      const [output] = Object.values(result.metafile.outputs);
      const contributing = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0);
      const packages = new Set(contributing.map(([path]) => packageOf(path)).filter(Boolean));
      return { platform, min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, packages };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('size: dist/ is missing; run `npx tsup` first');
  process.exit(1);
}

const rows = [];
let failed = false;
for (const entry of entries) {
  let figures;
  try {
    figures = await measure(entry.code);
  } catch (error) {
    failed = true;
    rows.push([entry.name, '-', '-', kib(entry.budget), `FAIL: ${error.message.split('\n')[0]}`, '']);
    continue;
  }
  const problems = [];
  if (entry.budget !== undefined && figures.gzip > entry.budget) {
    problems.push(`over budget by ${kib(figures.gzip - entry.budget)}`);
  }
  for (const name of entry.forbid ?? []) if (figures.packages.has(name)) problems.push(`pulls in ${name}`);
  if (problems.length > 0) failed = true;
  const result = problems.length > 0 ? `FAIL: ${problems.join('; ')}` : entry.budget === undefined ? 'info' : 'ok';
  rows.push([
    entry.name,
    kib(figures.min),
    kib(figures.gzip),
    entry.budget === undefined ? '-' : kib(entry.budget),
    result,
    [...figures.packages].sort().join(', ') || '(none)',
  ]);
}

for (const alternative of alternatives) {
  try {
    const figures = await measure(alternative.code, ['neutral', 'browser', 'node']);
    const note = figures.platform === 'neutral' ? 'compare' : `compare (needed platform ${figures.platform})`;
    rows.push([
      alternative.name,
      kib(figures.min),
      kib(figures.gzip),
      '-',
      note,
      [...figures.packages].sort().join(', '),
    ]);
  } catch (error) {
    rows.push([alternative.name, '-', '-', '-', `not measured: ${error.message.split('\n')[0]}`, '']);
  }
}

const header = ['bundle (esbuild, minified, neutral)', 'min', 'min+gzip -9', 'budget', 'result', 'packages inside'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
const line = (cells) => cells.map((cell, column) => String(cell).padEnd(widths[column])).join('  ');
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of rows) console.log(line(row));
// The tarball users download: dist/ (ESM, declarations, source maps without embedded sources),
// LICENSE, README and package.json. `--ignore-scripts`: dist/ is already built here.
const TARBALL_BUDGET = 120 * KiB;
const [pack] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
);
const maps = pack.files.filter((file) => file.path.endsWith('.map')).reduce((sum, file) => sum + file.size, 0);
const tarballOk = pack.size <= TARBALL_BUDGET;
if (!tarballOk) failed = true;
console.log(
  `\ntarball: ${kib(pack.size)} packed, ${kib(pack.unpackedSize)} unpacked, ${pack.files.length} files ` +
    `(source maps ${kib(maps)}); budget ${kib(TARBALL_BUDGET)} packed: ${tarballOk ? 'ok' : 'FAIL'}`,
);
console.log(failed ? '\nsize: FAILED' : '\nsize: every entry within its budget');
process.exit(failed ? 1 : 0);
