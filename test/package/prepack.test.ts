// `npm pack` / `npm publish` from a fresh clone must build first (`prepack`): a tarball without
// dist/ would install and then fail on the first import. Packs a copy of the sources that has
// no dist/ at all, the way a fresh clone looks.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const copy = mkdtempSync(join(tmpdir(), 'provisionkit-prepack-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

it('builds dist/ when packed from a checkout without one, and ships LICENSE', () => {
  for (const name of ['package.json', 'tsup.config.ts', 'tsconfig.json', 'tsconfig.node.json', 'src', 'LICENSE']) {
    cpSync(join(root, name), join(copy, name), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: copy, encoding: 'utf8' }));
  const paths: string[] = pack.files.map((file: { path: string }) => file.path);
  for (const entry of [
    'index',
    'anzu/index',
    'anzu/schemas',
    'wristband/index',
    'stores/index',
    'node/index',
    'testing/index',
  ]) {
    expect(paths).toContain(`dist/${entry}.js`);
    expect(paths).toContain(`dist/${entry}.d.ts`);
  }
  expect(paths).toContain('dist/cli/main.js');
  expect(paths).toContain('LICENSE');
  // Lean: no sources, tests or configs in the tarball.
  expect(paths.filter((path) => !/^(dist\/|LICENSE$|package\.json$|README\.md$)/.test(path))).toEqual([]);
  // Source maps point at the sources by path but do not embed them.
  const map = JSON.parse(readFileSync(join(copy, 'dist/anzu/client.js.map'), 'utf8'));
  expect(map.sources).toEqual(['../../src/anzu/client.ts']);
  expect(map.sourcesContent).toBeUndefined();
}, 60_000);
