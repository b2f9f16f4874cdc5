// The diagnostic catalog (src/shared/model/diagnostics.ts) against docs/nnspec.md: every code the
// catalog has is in the Checks table with the same severity, every code the table documents
// is in the catalog, and each anchor is a heading of the page.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTICS, errorsKind, type DiagnosticCode } from '../../../src/shared/model/diagnostics';

const DOC = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'nnspec.md'), 'utf8');

/** code -> severity, from the rows of the Checks table (`nnspec-unknown-statement`, `-unknown-loss` share the prefix). */
function documented(): Map<string, string> {
  const section = DOC.slice(DOC.indexOf('\n## Checks\n'), DOC.indexOf('\n## Shapes\n'));
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`nnspec-')) continue;
    for (const [, name] of cells[1].matchAll(/`([^`]+)`/g)) out.set(name.startsWith('-') ? `nnspec${name}` : name, cells[2]);
  }
  return out;
}

describe('the diagnostic catalog and docs/nnspec.md', () => {
  const docs = documented();

  it('documents every code of the catalog, with its severity', () => {
    for (const [code, info] of Object.entries(DIAGNOSTICS)) {
      assert.ok(docs.has(code), `${code} is not in the Checks table of docs/nnspec.md`);
      assert.equal(docs.get(code), info.severity, `${code}: the table says ${docs.get(code)}, the catalog ${info.severity}`);
    }
  });

  it('documents no code the catalog does not have', () => {
    const extra = [...docs.keys()].filter((code) => !(code in DIAGNOSTICS));
    assert.deepEqual(extra, []);
    assert.ok(docs.size >= 40, `${docs.size} codes read from the table`);
  });

  it("links each code to a heading of the page", () => {
    const headings = new Set([...DOC.matchAll(/^##+ (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9]+/g, '-')));
    for (const [code, info] of Object.entries(DIAGNOSTICS)) assert.ok(headings.has(info.anchor), `${code}: no heading #${info.anchor}`);
  });

  it('sorts the errors that stop a command into the kind the command reports', () => {
    const kind = (...codes: DiagnosticCode[]) => errorsKind(codes);
    assert.equal(kind('nnspec-input-mismatch', 'nnspec-no-train-data'), 'data');
    assert.equal(kind('nnspec-memory-too-large'), 'memory');
    assert.equal(kind('nnspec-input-mismatch', 'nnspec-memory-too-large'), 'spec');
    assert.equal(kind('nnspec-output-units'), 'spec');
  });
});
