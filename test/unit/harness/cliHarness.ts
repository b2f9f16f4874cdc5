// Shared by the CLI tests (not a test file itself): run `nnspec` in process, write specs into
// a temporary folder that is removed when the test file ends.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { main } from '../../../src/cli';

/** Runs the CLI with `argv`, capturing what it prints. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** A temporary folder for this test file, and a writer of specs (or other files) into it. */
export function tempSpecs(prefix: string): { dir: string; spec(name: string, text: string): string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    spec(name: string, text: string): string {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}
