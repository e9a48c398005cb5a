// Builds a variant of the language server for the bench to compare against (GEL_BENCH_SERVER): the
// server without one mechanism, to measure what the mechanism pays. Run from the repository root:
//   node bench/buildVariant.mjs no-typed        →  dist/server-no-typed.js (no typed-facts check beside the compile)
//   node bench/buildVariant.mjs no-collections  →  dist/server-no-collections.js (no forced full collections)
// and then e.g. GEL_BENCH_SERVER=$PWD/dist/server-no-typed.js node out/bench/run.js server real
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

/** Each variant: the source file it changes and how. */
const VARIANTS = {
  'no-collections': {
    filter: /core[\\/]analysis[\\/]fullCollection\.ts$/,
    change: () => 'export function fullCollection() { return undefined; }\n',
  },
  'no-typed': {
    filter: /core[\\/]analysis[\\/]analyzePackage\.ts$/,
    change: (text) => text.replace('typed: typedCode(opts) }', 'typed: Promise.resolve(undefined) }'),
  },
};

const name = process.argv[2];
const variant = VARIANTS[name];
if (!variant) {
  console.error(`usage: node bench/buildVariant.mjs ${Object.keys(VARIANTS).join('|')}`);
  process.exit(2);
}
await esbuild.build({
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning',
  entryPoints: ['server/main.ts'], outfile: `dist/server-${name}.js`,
  plugins: [{
    name,
    setup(b) {
      b.onLoad({ filter: variant.filter }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8');
        const changed = variant.change(text);
        // A variant that no longer changes anything would measure the server against itself.
        if (changed === text) throw new Error(`${name}: ${args.path} no longer has what the variant changes`);
        return { contents: changed, loader: 'ts' };
      });
    },
  }],
});
console.log(`dist/server-${name}.js`);
