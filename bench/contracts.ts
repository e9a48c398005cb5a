// npm run bench (contracts part): what `//escape:noheap` adds to a save. A real package (go-chi's router,
// from the Go module proxy) copied to a temp dir is analysed as a save analyses it, on fresh content each
// time (a compile cache miss), without a directive and with one on a function; the two alternate so that a
// change in the machine's load falls on both. The contract reads the compiled code only when a directive
// asks (core/contracts/packageContracts.ts, noheapFunctions): without one, nothing is added.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePackage } from '../core/analysis/analyzePackage';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { median } from './stats';

const MODULE = 'github.com/go-chi/chi/v5@v5.1.0';
const FILE = 'context.go';
const FUNCTION = 'func NewRouteContext() *Context {';

/** The module's source from the proxy (or the module cache), writable, in `tmp`. */
function moduleCopy(tmp: string): string {
  const r = spawnSync('go', ['mod', 'download', '-json', MODULE], { cwd: tmp, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go mod download ${MODULE}: ${r.stderr}${r.stdout}`);
  const dir = path.join(tmp, 'chi');
  fs.cpSync(JSON.parse(r.stdout).Dir as string, dir, { recursive: true });
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    fs.chmodSync(path.join(e.parentPath, e.name), e.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(dir, 0o755);
  return dir;
}

export async function benchContracts(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-bench-contracts-'));
  try {
    const dir = moduleCopy(tmp);
    const file = path.join(dir, FILE);
    const original = fs.readFileSync(file, 'utf8');
    if (!original.includes(FUNCTION)) throw new Error(`${MODULE}: ${FILE} has no ${FUNCTION}`);
    const withDirective = original.replace(FUNCTION, `//escape:noheap\n${FUNCTION}`);
    const sources = new SourceCache(await loadGoParser());
    const save = async (text: string, round: string) => {
      fs.writeFileSync(file, `${text}\n// bench ${round} ${Date.now()}\n`);
      const t0 = performance.now();
      const r = await analyzePackage({ dir, sources });
      const ms = performance.now() - t0;
      if (r.errors.length) throw new Error(`${MODULE} does not build: ${r.errors[0].message}`);
      return { ms, directives: r.contracts?.directives.length ?? 0, broken: r.contracts?.violations.length ?? 0 };
    };
    await save(original, 'warm-up');
    await save(withDirective, 'warm-up');
    const rounds = Number(process.env.GEL_BENCH_ROUNDS) > 0 ? Number(process.env.GEL_BENCH_ROUNDS) : 7;
    const without: number[] = [];
    const withIt: number[] = [];
    let broken = 0;
    for (let i = 0; i < rounds; i++) {
      const a = await save(original, `without ${i}`);
      if (a.directives !== 0) throw new Error('a directive where there is none');
      without.push(a.ms);
      const b = await save(withDirective, `with ${i}`);
      if (b.directives !== 1) throw new Error(`the directive was not read (${b.directives})`);
      withIt.push(b.ms);
      broken = b.broken;
    }
    const [w, c] = [median(without), median(withIt)];
    console.log(`contracts: ${MODULE} (package chi, ${FILE}), a save on fresh content, medians of ${rounds}`);
    console.log(`  without a directive: ${w.toFixed(0)} ms; with //escape:noheap on NewRouteContext: ${c.toFixed(0)} ms (${broken} broken) ` +
      `= ${(c / w).toFixed(2)}× (+${((c / w - 1) * 100).toFixed(0)} %)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
