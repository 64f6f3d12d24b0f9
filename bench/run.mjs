#!/usr/bin/env node
// `npm run bench`: every benchmark of the issue, side by side in one run, against the built
// package (dist/). Prints medians, ratios and PASS/MISS per target, and writes the same
// figures to bench/RESULTS.md with the machine and Node version. Targets are reported here,
// never asserted in tests: timings depend on the machine.
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchColdImport } from './cold-import.mjs';
import { benchCompleteProvisioning } from './complete-provisioning.mjs';
import { benchConcurrentSignup } from './concurrent-signup.mjs';
import { formatNs, medianRatio, verdict } from './harness.mjs';
import { benchIdempotency } from './idempotency.mjs';
import { startBenchServer } from './local-server.mjs';
import { benchParse } from './parse.mjs';
import { benchTokens } from './tokens.mjs';
import { benchVerify } from './verify.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const x = (value) => `${value.toFixed(2)}×`;
const row = (cells) => `| ${cells.join(' | ')} |`;

/** Throughput ratio against a floor: ≥ target is a PASS. */
function throughputSection({ title, results, baseline, subject, target, notes = [], pass = true }) {
  const floor = results[baseline];
  const lines = [
    `### ${title}`,
    '',
    row(['candidate', 'median per op', 'ops/s', 'vs floor (throughput)']),
    row(['---', '---:', '---:', '---:']),
  ];
  for (const result of results) {
    lines.push(
      row([
        result.name,
        formatNs(result.nsPerOp),
        Math.round(result.opsPerSecond).toLocaleString('en'),
        x(floor.nsPerOp / result.nsPerOp),
      ]),
    );
  }
  // Median of per-round ratios (the floor and the subject are timed in the same rounds).
  const ratio = medianRatio(results[subject], floor);
  lines.push(
    '',
    `${verdict(ratio >= target)}: ${results[subject].name} runs at ${x(ratio)} the floor's throughput (median of per-round ratios; target ≥ ${x(target)})`,
  );
  // Further goals of a benchmark (verify: the fast path against svix and standardwebhooks).
  for (const note of notes) lines.push('', note);
  return { lines, pass: pass && ratio >= target };
}

/** Added time over a baseline: ≤ target is a PASS; also the ratio to a reference. */
function overheadSection({ title, results, baseline, subject, reference, target, networkFree, paired }) {
  const base = results[baseline];
  const lines = [
    `### ${title}`,
    '',
    row(['candidate', 'median per request', 'middle half of blocks', 'vs bare ky', 'vs raw fetch']),
    row(['---', '---:', '---:', '---:', '---:']),
  ];
  for (const result of results) {
    lines.push(
      row([
        result.name,
        formatNs(result.nsPerOp),
        `${formatNs(result.spread[0])} – ${formatNs(result.spread[1])}`,
        x(result.nsPerOp / base.nsPerOp),
        x(result.nsPerOp / results[reference].nsPerOp),
      ]),
    );
  }
  // The verdict uses the paired estimate (median of per-round ratios): see complete-provisioning.mjs.
  const added = paired.ratio - 1;
  const percent = (ratio) => `${((ratio - 1) * 100).toFixed(1)} %`;
  const change =
    added >= 0
      ? `adds ${percent(paired.ratio)} per request over bare ky`
      : `takes ${(-added * 100).toFixed(1)} % less per request than bare ky`;
  lines.push(
    '',
    `${verdict(added <= target)}: ${results[subject].name} ${change} (median of per-round ratios; middle half ${percent(paired.spread[0])} to ${percent(paired.spread[1])}; target ≤ ${(target * 100).toFixed(0)} % added); ${x(results[subject].nsPerOp / results[reference].nsPerOp)} the time of raw fetch`,
  );
  const [kyOnly, sdkOnly] = networkFree;
  lines.push(
    '',
    `Network excluded (in-memory fetch): bare ky ${formatNs(kyOnly.nsPerOp)}, completeProvisioning ${formatNs(sdkOnly.nsPerOp)} per call: the SDK's own code adds ${formatNs(sdkOnly.nsPerOp - kyOnly.nsPerOp)}, ${((100 * (sdkOnly.nsPerOp - kyOnly.nsPerOp)) / base.nsPerOp).toFixed(1)} % of a loopback request with bare ky. A loopback difference well above that is noise between blocks (see the middle half column).`,
  );
  return { lines, pass: added <= target };
}

function batchSection({ title, results, baseline, subject, tokenRequests }) {
  const lines = [
    `### ${title}`,
    '',
    row(['candidate', 'median per batch', 'vs raw fetch']),
    row(['---', '---:', '---:']),
  ];
  for (const result of results)
    lines.push(row([result.name, formatNs(result.nsPerOp), x(result.nsPerOp / results[baseline].nsPerOp)]));
  const single = tokenRequests.every((count) => count === 1);
  lines.push(
    '',
    `${verdict(single)}: token requests per batch of 100: ${[...new Set(tokenRequests)].join(', ')} (target: exactly 1 in every batch); ${results[subject].name} takes ${x(results[subject].nsPerOp / results[baseline].nsPerOp)} the time of raw fetch`,
  );
  return { lines, pass: single };
}

function importSection({ title, results }) {
  const lines = [`### ${title}`, '', row(['import', 'import time', 'process wall time']), row(['---', '---:', '---:'])];
  for (const result of results)
    lines.push(row([result.name, `${result.importMs.toFixed(1)} ms`, `${result.wallMs.toFixed(0)} ms`]));
  const ratio = results[0].importMs / results[1].importMs;
  const own = results[0].importMs - results[1].importMs;
  lines.push(
    '',
    `provisionkit/anzu imports in ${x(ratio)} the time of ky alone (${own > 0 ? `${own.toFixed(1)} ms of its own` : 'no measurable time of its own'})`,
  );
  return { lines, pass: true };
}

const started = performance.now();
const sections = [];
const run = async (name, fn) => {
  process.stdout.write(`running ${name}… `);
  const at = performance.now();
  const result = await fn();
  console.log(`${((performance.now() - at) / 1000).toFixed(1)} s`);
  return result;
};

sections.push(throughputSection(await run('verify', benchVerify)));
sections.push(throughputSection(await run('parse', benchParse)));
const server = await startBenchServer();
try {
  sections.push(overheadSection(await run('completeProvisioning', () => benchCompleteProvisioning(server))));
  sections.push(batchSection(await run('concurrent provisionSignup', () => benchConcurrentSignup(server))));
  sections.push(await run('token requests across processes', () => benchTokens(server)));
} finally {
  await server.close();
}
sections.push({
  lines: ['### Webhook idempotency (loopback Redis)', '', ...(await run('webhook idempotency', benchIdempotency))],
  pass: true,
});
sections.push(importSection(await run('cold import', benchColdImport)));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()} ${arch()}`;
const body = [
  '# Benchmark results',
  '',
  `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${machine}.`,
  'Medians of interleaved samples; ratios are measured side by side in the same run. Absolute figures',
  'depend on the machine; the ratios are what the targets are about. See docs/performance.md.',
  '',
  ...sections.flatMap((section) => [...section.lines, '']),
  `Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  '',
].join('\n');
console.log(`\n${body}`);
const resultsPath = join(here, 'RESULTS.md');
writeFileSync(resultsPath, body);
console.log(`wrote bench/RESULTS.md; targets: ${sections.filter((section) => !section.pass).length} missed`);
