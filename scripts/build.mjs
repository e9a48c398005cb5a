// Bundles the CLI, the language server and the VS Code client with esbuild, and copies the WebAssembly
// files tree-sitter loads at run time next to the bundles.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
// web-tree-sitter's ESM build finds its wasm through import.meta.url, which a CJS bundle lacks: use its CJS build.
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};
const common = {
  plugins: [treeSitterCjs],
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
    ...fs.readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`),
    ...fs.readdirSync('scripts').filter((f) => f.endsWith('.ts')).map((f) => `scripts/${f}`),
    'bench/run.ts',
    'test/e2e/vscode.e2e.ts',
  ].filter((f) => fs.existsSync(f));
  fs.rmSync('out', { recursive: true, force: true });
  await esbuild.build({ ...common, sourcemap: true, entryPoints: entries, outdir: 'out', outbase: '.', external: ['mocha', 'playwright-core'] });
  await esbuild.build({
    ...common, sourcemap: true, entryPoints: ['test/electron/run.ts', 'test/electron/suite.ts'], outdir: 'out/test/electron',
    external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
}
fs.copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
fs.copyFileSync(require.resolve('tree-sitter-wasms/out/tree-sitter-go.wasm'), 'dist/tree-sitter-go.wasm');
fs.chmodSync('dist/cli.js', 0o755);
