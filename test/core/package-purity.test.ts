// The same build must run on Node, Deno, Bun, Workers and Vercel Edge: nothing in src/ may
// reach for a Node-only API. tsconfig.json (no @types/node) catches most of it at compile
// time; this catches what types cannot (a `node:` specifier, `Buffer` or `process` at top level).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { VERSION } from '../../src/core/version.js';

const srcDir = join(import.meta.dirname, '../../src');
// The Node-only folders (`provisionkit/node` and the bin) may use Node APIs; nothing else may.
const NODE_ONLY = /^(node|cli)[\\/]/;
const PROCESS_ALLOWED = new Set(['core/env.ts', 'core/node-crypto-env.ts']);
const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !NODE_ONLY.test(f))
  .map((f) => [f, readFileSync(join(srcDir, f), 'utf8')] as const);

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}
const code = stripComments;

describe('src/ uses web platform APIs only', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });
  it.each(files)('%s imports no node: module, no Buffer, no process at import time', (name, text) => {
    const code = stripComments(text);
    expect(code).not.toMatch(/from\s+['"]node:/);
    expect(code).not.toMatch(/import\(\s*['"]node:/);
    expect(code).not.toMatch(/\bBuffer\s*[.(]/);
    // Only these may touch `process`, lazily and through globalThis: core/env.ts (defaultEnv) and
    // core/node-crypto-env.ts (the synchronous HMAC through process.getBuiltinModule).
    if (!PROCESS_ALLOWED.has(name.replaceAll('\\', '/'))) expect(code).not.toMatch(/\bprocess\s*[.[?]/);
  });
  it('imports only ky and zod/mini from outside', () => {
    const external = new Set<string>();
    for (const [, text] of files) {
      for (const m of code(text).matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^./'"][^'"]*)['"]/gm))
        external.add(m[1] as string);
    }
    expect([...external].sort()).toEqual(['ky', 'zod/mini'].filter((d) => external.has(d)));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ky', 'zod']);
  });
  it('reaches node:crypto only through process.getBuiltinModule, in core/node-crypto-env.ts', () => {
    const users = files.filter(([, text]) => code(text).includes("'node:crypto'")).map(([name]) => name);
    expect(users).toEqual(['core/node-crypto-env.ts']);
    const [, text] = files.find(([name]) => name === 'core/node-crypto-env.ts') ?? ['', ''];
    expect(code(text)).toMatch(/getBuiltinModule\?\.\('node:crypto'\)/);
  });
  it('never imports the Node-only folders from an edge module', () => {
    for (const [name, text] of files) expect(code(text), name).not.toMatch(/from\s+['"][./]*(?:\.\.\/)?(node|cli)\//);
  });
  it('keeps VERSION equal to package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
