#!/usr/bin/env node
// A real VS Code for this machine: code-server 4.100.3 from npm (VS Code 1.100), installed by
// hand into .vscode-test/ because its postinstall downloads ripgrep. See README "Testing".
//
//   node scripts/code-server.mjs install          # idempotent
//   node scripts/code-server.mjs start [--theme "Default Dark Modern"] [--port N] [--vsix nnspec.vsix]
//
// Also a module: installCodeServer(), startCodeServer({ ... }) -> { url, port, workspace, stop }.

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSION = '4.100.3';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, '.vscode-test');
const PACKAGE = path.join(CACHE, `code-server-${VERSION}`, 'package');
const MARKER = path.join(CACHE, `code-server-${VERSION}`, 'installed');
/** The Debian packages the browser tests and code-server need, each with a file that shows it is installed. */
export const DEBIAN = { chromium: '/usr/bin/chromium', ripgrep: '/usr/bin/rg', 'libkrb5-dev': '/usr/include/krb5.h' };

function log(message) {
  process.stderr.write(`nnspec: ${message}\n`);
}

function run(cmd, args, cwd, extraEnv = {}) {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...extraEnv } });
}

/** The packages of `wanted` whose marker file is missing. */
export function missingDebianPackages(wanted = DEBIAN, exists = existsSync) {
  return Object.entries(wanted)
    .filter(([, file]) => !exists(file))
    .map(([name]) => name);
}

/**
 * What to do about missing Debian packages: nothing; as root, run apt-get (the commands);
 * otherwise, tell the user the exact command to run (a message, no stack trace).
 */
export function debianPlan(missing, isRoot) {
  if (!missing.length) return { action: 'none' };
  const install = ['install', '-y', '-qq', ...missing];
  if (isRoot) return { action: 'apt', commands: [['apt-get', ['update', '-qq']], ['apt-get', install]] };
  return {
    action: 'tell',
    message: `missing Debian packages: ${missing.join(' ')}. Install them first with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
  };
}

/** Installs missing Debian packages when running as root; otherwise throws with the command to run. */
export function ensureDebianPackages(extra = {}) {
  const missing = missingDebianPackages({ ...DEBIAN, ...extra });
  const plan = debianPlan(missing, process.getuid?.() === 0);
  if (plan.action === 'none') return;
  if (plan.action === 'tell') throw new Error(plan.message);
  log(`installing Debian packages: ${missing.join(' ')}`);
  for (const [cmd, args] of plan.commands) {
    try {
      run(cmd, args, ROOT, { DEBIAN_FRONTEND: 'noninteractive' });
    } catch (err) {
      throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${err.status !== undefined ? `exit status ${err.status}` : err.message}); install ${missing.join(' ')} and run again`);
    }
  }
}

export function codeServerInstalled() {
  return existsSync(MARKER);
}

/** Installs code-server into .vscode-test/ as the recipe describes. Idempotent. */
export function installCodeServer() {
  // checked every time: the browser tests need chromium even when code-server is installed
  ensureDebianPackages();
  if (codeServerInstalled()) return PACKAGE;
  const dir = path.dirname(PACKAGE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`installing code-server ${VERSION} into ${path.relative(ROOT, dir)} (about 2 minutes)`);
  const tarball = execFileSync('npm', ['pack', `code-server@${VERSION}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  run('tar', ['xzf', tarball], dir);
  rmSync(path.join(dir, tarball));
  const vscodeDir = path.join(PACKAGE, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscodeDir);
  run('npm', ['rebuild', 'kerberos', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog', 'node-pty'], vscodeDir, { npm_config_yes: 'true' });
  const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync('/usr/bin/rg', path.join(rgDir, 'rg'));
  chmodSync(path.join(rgDir, 'rg'), 0o755);
  if (!existsSync(path.join(vscodeDir, 'node_modules.asar'))) symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(vscodeDir, 'extensions'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], PACKAGE);
  run('npm', ['rebuild', 'argon2'], PACKAGE);
  writeFileSync(MARKER, `${VERSION}\n`);
  log('code-server installed');
  return PACKAGE;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const servers = new Set();
process.on('exit', () => {
  for (const child of servers) child.kill('SIGTERM');
});

/**
 * Starts code-server on a free loopback port with this extension loaded and a fresh copy of
 * examples/ as the workspace. Options: theme, port, env (for the extension host), settings,
 * vsix (install this package instead of linking the repository), extraExtensions (folders),
 * restricted (workspace trust on and the workspace not trusted: VS Code's Restricted Mode).
 */
export async function startCodeServer(options = {}) {
  if (!codeServerInstalled()) throw new Error('code-server is not installed: run `node scripts/code-server.mjs install`');
  if (!options.vsix && !existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('the extension is not built: run `npm run build`');
  const port = options.port ?? (await freePort());
  const home = mkdtempSync(path.join(tmpdir(), 'nnspec-vscode-'));
  const userData = path.join(home, 'user-data');
  const extensions = path.join(home, 'extensions');
  const workspace = path.join(home, 'workspace');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const entry = path.join(PACKAGE, 'out', 'node', 'entry.js');
  if (options.vsix) {
    // install the packaged extension exactly as a user would
    execFileSync(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', path.resolve(options.vsix)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    symlinkSync(ROOT, path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
  }
  // more extensions under development (the integration test runner), linked as they are
  for (const dir of options.extraExtensions ?? []) {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    symlinkSync(path.resolve(dir), path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  }
  cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.colorTheme': options.theme ?? 'Default Dark Modern',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': !!options.restricted,
        // Restricted Mode without the startup dialog: the folder is simply not trusted
        ...(options.restricted ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {}),
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.restricted ? [] : ['--disable-workspace-trust']),
      workspace,
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  servers.add(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  return {
    url,
    port,
    workspace,
    home,
    output: () => output,
    stop() {
      servers.delete(child);
      child.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const option = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (command === 'install') {
    installCodeServer();
    return;
  }
  if (command === 'start') {
    installCodeServer();
    const server = await startCodeServer({
      theme: option('--theme'),
      port: option('--port') ? Number(option('--port')) : undefined,
      vsix: option('--vsix'),
    });
    console.log(`nnspec: VS Code is running at ${server.url}`);
    console.log('nnspec: open it in a browser; the examples are in the workspace. Ctrl+C stops it.');
    const stop = () => {
      server.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  console.error('usage: node scripts/code-server.mjs install | start [--theme NAME] [--port N]');
  process.exitCode = 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`nnspec: ${err.message}`);
    process.exitCode = 1;
  });
}
