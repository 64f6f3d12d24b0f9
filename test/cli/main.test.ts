import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, startReceiver } from './run-bin.js';

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));

describe('provisionkit: help, version and usage errors', () => {
  it('--help prints the tool usage with both commands on stdout, exit 0', async () => {
    const run = await runBin(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: provisionkit/);
    expect(run.stdout).toMatch(/anzu send/);
    expect(run.stdout).toMatch(/\bdev\b/);
    expect(run.stderr).toBe('');
  });

  it('anzu send --help names its options', async () => {
    const run = await runBin(['anzu', 'send', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--url', '--secret', '--email', '--kind', '--body', '--repeat', '--timestamp']) {
      expect(run.stdout).toContain(option);
    }
  });

  it('dev --help names its options', async () => {
    const run = await runBin(['dev', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--port', '--webhook-url', '--secret', '--verification', '--mfa-required']) {
      expect(run.stdout).toContain(option);
    }
  });

  it('--version prints the package version', async () => {
    const run = await runBin(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [['bogus']],
    [['anzu', 'receive']],
    [['dev', '--nope']],
    [['dev', '--verification', 'sms']],
    [['anzu', 'send', '--secret', 's']],
  ])('%j exits 2 with one line on stderr and no stack trace', async (args) => {
    const run = await runBin(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^provisionkit: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('anzu send with a usage error sends nothing', async () => {
    const receiver = await startReceiver();
    try {
      for (const args of [
        ['--url', receiver.url],
        ['--url', receiver.url, '--secret', 's', '--bogus'],
        ['--url', receiver.url, '--secret', 's', '--repeat', 'x'],
      ]) {
        expect((await runBin(['anzu', 'send', ...args])).code).toBe(2);
      }
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
