#!/usr/bin/env node
// The whole test command (`npm test`): every check the README promises, in order, stopping
// at the first failure. Ends with one plain `tests: N passed, N failed` line counting the
// vitest tests that ran, so CI can tell a run that tested nothing from one that passed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';

const reportDir = join(tmpdir(), `provisionkit-check-${process.pid}`);
mkdirSync(reportDir, { recursive: true });
const report = (name) => join(reportDir, `${name}.json`);
const vitest = (config, name) =>
  `vitest run --config ${config} --reporter=default --reporter=json --outputFile.json=${report(name)}`;

const steps = [
  ['typecheck (library, web types only)', 'tsc -p tsconfig.json'],
  ['typecheck (Node-only entries: provisionkit/node, the bin)', 'tsc -p tsconfig.node.json'],
  ['typecheck (tests, scripts, examples)', 'tsc -p tsconfig.test.json'],
  ['lint and format', 'biome check .'],
  ['build', 'tsup --silent'],
  ['unit, integration and type tests (Node)', vitest('vitest.config.ts', 'node')],
  ['tests under edge-runtime', vitest('vitest.edge.config.ts', 'edge')],
  ['tests of the clients on ky 2.1 (an app may override ky to it)', vitest('vitest.ky-2.1.config.ts', 'ky-2.1')],
  ['package: publint --strict', 'publint --strict'],
  // Every resolution mode, node10 included (sub-path types through `typesVersions`). The one rule
  // ignored warns that `require()` resolves to ESM: Node >= 22.12 (the engines floor) loads it.
  ['package: attw (node10, node16, bundler)', 'attw --pack . --ignore-rules cjs-resolves-to-esm'],
  ['bundle size budgets', 'node scripts/size.mjs'],
  ['runtime matrix', 'node scripts/runtimes.mjs'],
  ['API docs (typedoc, warnings are errors)', 'typedoc --treatWarningsAsErrors'],
  ['API docs: every export has a summary and an @example', 'node scripts/check-docs.mjs'],
];

// `npm test` puts node_modules/.bin on PATH; do the same so `node scripts/check.mjs` works too.
const env = {
  ...process.env,
  PATH: `${join(import.meta.dirname, '..', 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
};
const only = process.argv.slice(2);
const results = [];
let failed = false;
for (const [name, command] of steps) {
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  console.log(`\n▶ ${name}\n  $ ${command}`);
  const started = performance.now();
  const run = spawnSync(command, { shell: true, stdio: 'inherit', env });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  results.push([name, run.status === 0 ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`, seconds]);
  if (run.status !== 0) {
    failed = true;
    break;
  }
}

console.log('\nSummary');
for (const [name, status, seconds] of results) console.log(`  ${status.padEnd(16)} ${seconds.padStart(6)} s  ${name}`);

let passed = 0;
let failedTests = 0;
for (const name of ['node', 'edge', 'ky-2.1']) {
  try {
    const json = JSON.parse(readFileSync(report(name), 'utf8'));
    passed += json.numPassedTests;
    failedTests += json.numFailedTests;
    // Named again here, at the very end, because CI logs are often read from their tail.
    for (const file of json.testResults) {
      for (const test of file.assertionResults) {
        if (test.status === 'failed')
          console.log(`  failed (${name}): ${relative(process.cwd(), file.name)} > ${test.fullName}`);
      }
      if (file.status === 'failed' && file.assertionResults.length === 0) {
        console.log(
          `  failed (${name}): ${relative(process.cwd(), file.name)}: ${String(file.message).split('\n')[0]}`,
        );
      }
    }
  } catch {
    // that step did not run
  }
}
rmSync(reportDir, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failedTests} failed`);
process.exit(failed || failedTests > 0 ? 1 : 0);
