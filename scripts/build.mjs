// Bundles the CLI, the language server and the VS Code client with esbuild, and copies the Go source of
// the parser helper (built on first use with the user's go command) next to the bundles.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

fs.mkdirSync('dist', { recursive: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The flow-graph webview's script: a browser bundle with the layout library inside (no CDN).
  esbuild.build({ ...common, plugins: [], platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['client/webview/graph.ts'], outfile: 'dist/graphView.js' }),
]);
// Tests and benchmarks are bundled the same way as the product (execa is ESM-only; the bundle is CJS).
if (process.argv.includes('--tests')) {
  const entries = [
    ...fs.readdirSync('test', { recursive: true }).filter((f) => f.endsWith('.test.ts') && !f.startsWith('e2e')).map((f) => `test/${f}`),
    ...fs.readdirSync('scripts').filter((f) => f.endsWith('.ts')).map((f) => `scripts/${f}`),
    'bench/run.ts',
    'test/e2e/vscode.e2e.ts',
    'test/helpers/exitWays.ts',
  ].filter((f) => fs.existsSync(f));
  fs.rmSync('out', { recursive: true, force: true });
  await esbuild.build({ ...common, sourcemap: true, entryPoints: entries, outdir: 'out', outbase: '.', external: ['mocha', 'playwright-core'] });
  await esbuild.build({
    ...common, sourcemap: true, entryPoints: ['test/electron/run.ts', 'test/electron/suite.ts'], outdir: 'out/test/electron',
    external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
}
// Anew each build: a file removed from the source must not linger in what ships (or in the helper's hash).
fs.rmSync('dist/goast', { recursive: true, force: true });
fs.mkdirSync('dist/goast', { recursive: true });
// The helper's Go files (not tests) and go.mod, as core/gohelper/goHelper.ts helperSourceFiles reads them.
for (const f of fs.readdirSync('core/gohelper/goast').filter((f) => f === 'go.mod' || (f.endsWith('.go') && !f.endsWith('_test.go')))) {
  fs.copyFileSync(`core/gohelper/goast/${f}`, `dist/goast/${f}`);
}
fs.chmodSync('dist/cli.js', 0o755);
