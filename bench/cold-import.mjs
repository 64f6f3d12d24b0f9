// Benchmark 5: cold import of `provisionkit/anzu` against importing the one dependency it loads
// (ky; only `provisionkit/anzu/schemas` loads zod), each in a fresh Node process. Measures the
// import itself inside the child (performance.now around the dynamic import) and the whole
// process's wall time.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 15;

// `provisionkit/anzu` resolves to this checkout's dist through the package's own `exports`.
const scripts = {
  'import provisionkit/anzu': "await import('provisionkit/anzu');",
  "import('ky')": "await import('ky');",
  'empty (node start only)': '',
};

function once(code) {
  const source = `const t = performance.now(); ${code} console.log(performance.now() - t);`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(`cold import failed: ${child.stderr}`);
  return { importMs: Number(child.stdout.trim()), wallMs: wall };
}

export function benchColdImport() {
  const samples = Object.fromEntries(Object.keys(scripts).map((name) => [name, { importMs: [], wallMs: [] }]));
  for (const code of Object.values(scripts)) once(code); // warm the file system cache
  for (let run = 0; run < RUNS; run++) {
    for (const [name, code] of Object.entries(scripts)) {
      const { importMs, wallMs } = once(code);
      samples[name].importMs.push(importMs);
      samples[name].wallMs.push(wallMs);
    }
  }
  const results = Object.entries(samples).map(([name, { importMs, wallMs }]) => ({
    name,
    importMs: median(importMs),
    wallMs: median(wallMs),
  }));
  return { title: `5. Cold import (fresh process each, median of ${RUNS})`, kind: 'import', results };
}
