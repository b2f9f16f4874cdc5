// A fresh machine: `npm ci && npm test` as root installs the Debian packages the tests need
// (scripts/code-server.mjs), a user who is not root is told the exact apt-get line, and the
// lockfile holds no package that warns about the supported Node (package.json "engines").

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('fresh machine: Debian packages', () => {
  it('as root the missing packages are installed with apt-get; otherwise the exact command is printed', async () => {
    const script: string = path.join(ROOT, 'scripts', 'code-server.mjs');
    const { DEBIAN, debianPlan, missingDebianPackages } = await import(script);
    assert.deepEqual(Object.keys(DEBIAN), ['chromium', 'ripgrep', 'libkrb5-dev']);
    const missing = missingDebianPackages(DEBIAN, (file: string) => file === '/usr/bin/rg');
    assert.deepEqual(missing, ['chromium', 'libkrb5-dev']);
    assert.deepEqual(debianPlan([], true), { action: 'none' });
    assert.deepEqual(debianPlan(missing, true), {
      action: 'apt',
      commands: [
        ['apt-get', ['update', '-qq']],
        ['apt-get', ['install', '-y', '-qq', 'chromium', 'libkrb5-dev']],
      ],
    });
    assert.deepEqual(debianPlan(missing, false), {
      action: 'tell',
      message: 'missing Debian packages: chromium libkrb5-dev. Install them first with:\n  sudo apt-get update && sudo apt-get install -y chromium libkrb5-dev',
    });
  });
});

describe('fresh machine: no engine warnings', () => {
  it('every package in the lockfile supports the Node that package.json names', () => {
    const semver = require('semver');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const oldest = semver.minVersion(pkg.engines.node).version; // 20.0.0 for ">=20"
    const node20 = '20.19.0'; // what the tests run on: a current Node 20
    const bad = Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } }>)
      .filter(([, p]) => typeof p.engines?.node === 'string' && !semver.satisfies(node20, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} needs node ${p.engines!.node}`);
    assert.equal(oldest, '20.0.0');
    assert.deepEqual(bad, []);
  });
});
