// The CLI as an npm package, the way a pipeline gets it (`npx go-escape-lens`, `npm i -g`): npm pack,
// install the tarball into an empty directory without the registry, run its bin on the fixtures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO, tempDir } from '../helpers/goEnv';
import { version } from '../../package.json';

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('npm package (CLI)', () => {
  it('packs the bundles and what they read at run time; installs offline; its bin runs on the fixtures', () => {
    const out = tempDir('gel-pack-');
    const pack = npm(['pack', '--json', '--pack-destination', out], REPO);
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path).sort();
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/server.js', 'schemas/escapelens.schema.json']) assert.ok(files.includes(f), f);
    // Everything the bundles may load next to themselves (wasm, helper sources) ships; maps and sources do not.
    const beside = fs.readdirSync(path.join(REPO, 'dist')).filter((f) => !f.endsWith('.map') && !f.endsWith('.vsix')).map((f) => `dist/${f}`);
    for (const f of beside) assert.ok(files.some((p) => p === f || p.startsWith(f + '/')), `${f} is next to dist/cli.js but not packed`);
    assert.deepEqual(files.filter((f) => /\.map$|^(core|cli|server|client|test|fixtures|bench|scripts|node_modules)\//.test(f)), []);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.bin, { 'go-escape-lens': 'dist/cli.js' });
    assert.equal(pkg.private, false, 'publishable');
    assert.equal(Object.keys(pkg.dependencies ?? {}).length, 0, 'self-contained bundles: no runtime dependencies');

    // An empty directory, no registry: the tarball has no dependencies to fetch.
    const app = tempDir('gel-install-');
    const install = npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(out, info.filename)], app);
    assert.equal(install.status, 0, install.stderr);
    const bin = path.join(app, 'node_modules', '.bin', 'go-escape-lens');
    const run = (args: string[]) => spawnSync(bin, args, { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(run(['--version']).stdout.trim(), version);
    const sample = run([path.join(REPO, 'fixtures/sample/returned')]);
    assert.equal(sample.status, 0, sample.stderr);
    assert.match(sample.stdout, /^ {4}11:9 +L1 +allocation is returned +&Order\{\.\.\.\} escapes to heap$/m);
    const contracts = run([path.join(REPO, 'fixtures/contracts/noheap')]);
    assert.equal(contracts.status, 1);
    assert.match(contracts.stdout, /Contracts: 9 directives, 5 broken/);
    // The language server ships too, for other editors (README "Other editors").
    assert.ok(fs.existsSync(path.join(app, 'node_modules/go-escape-lens/dist/server.js')));
  });
});
