// Runs the compiled integration suites (out/integration/*.test.js) with mocha inside the real
// extension host, then writes one result per test to $NNSPEC_INTEGRATION_RESULTS.
const fs = require('node:fs');
const path = require('node:path');

exports.activate = function activate() {
  const out = process.env.NNSPEC_INTEGRATION_RESULTS;
  if (!out) return;
  // this folder is symlinked into the extensions dir; resolve against the repository
  const root = path.resolve(fs.realpathSync(__dirname), '..', '..', '..');
  const mod = require(path.join(root, 'node_modules', 'mocha'));
  const Mocha = mod.Mocha ?? mod.default ?? mod;
  const mocha = new Mocha({ ui: 'tdd', timeout: 120000, color: false });
  const dir = path.join(root, 'out', 'integration');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  const results = [];
  const write = (done) => fs.writeFileSync(out, JSON.stringify({ done, results }, null, 1));
  mocha
    .loadFilesAsync()
    .then(() => {
      mocha
        .run(() => write(true))
        .on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }))
        .on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: String((err && err.stack) || err) }));
    })
    .catch((err) => {
      results.push({ title: 'loading the integration suites', state: 'failed', error: String((err && err.stack) || err) });
      write(true);
    });
};

exports.deactivate = function deactivate() {};
