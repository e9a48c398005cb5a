// Scale-out on an existing engine: two "machines" share the go command's build cache through
// GOCACHEPROG and an existing cache server (gocached, with its go-cacher client), and nothing else. A
// runs the CLI on a module with an empty local cache and an empty server; B then runs it with another
// empty local cache (and no parser helper built yet), on a fresh copy of the module at the same path (as
// CI runners check out to one path), against the same server. B's findings must equal A's, and the
// server's counters must show that B compiled nothing: it replayed from the server and stored no byte.
// docs/scale-out.md gives the recipe this proves.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../helpers/goEnv';
import { installGoToolCache, run, startGocached, type CacheServer } from '../helpers/goToolCache';
import { killMarked, leftAfter } from '../helpers/processTree';

const CLI = path.join(REPO, 'dist', 'cli.js');
/** A real module through the proxy: several packages, generics and reflection, no dependencies of its own. */
const MODULE = 'github.com/google/go-cmp';
const VERSION = 'v0.7.0';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Machine { seconds: number; report: Report; before: Record<string, number>; after: Record<string, number>; left: number[] }
interface Report { packages: { dir: string; ok: boolean; errors: unknown[]; skipped: number }[]; findings: unknown[]; contracts: unknown; summary: unknown }

/**
 * A fresh copy of the module at `dst`, writable (the module cache's files are read-only, and the temp
 * dir must be removable), every file dated `time`. The go command indexes a package's files (a cache
 * entry too, keyed on their dates) only once they are a few seconds old: with today's date, A, which
 * starts at once, would skip the index while B stored one: bytes stored by B would then not tell a compile.
 */
function checkout(src: string, dst: string, time: Date): void {
  fs.rmSync(dst, { recursive: true, force: true });
  fs.cpSync(src, dst, { recursive: true });
  const walk = (d: string): void => {
    fs.chmodSync(d, 0o755);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else { fs.chmodSync(p, 0o644); fs.utimesSync(p, time, time); }
    }
    fs.utimesSync(d, time, time);
  };
  walk(dst);
}

describe('scale-out: two machines share the build cache through GOCACHEPROG and gocached', function () {
  this.timeout(900_000);
  // Every process we start carries a mark (processTree.ts): the clients' (the CLI, its go commands, their
  // go-cacher) and the server's, so that any way out of this suite ends them all.
  const mark = `gel-${process.pid}-cacheprog-${Math.random().toString(36).slice(2)}`;
  const serverMark = `${mark}-server`;
  const dirs: string[] = [];
  let server: CacheServer | undefined;
  let a: Machine;
  let b: Machine;

  const dir = (prefix: string): string => { const d = tempDir(prefix); dirs.push(d); return d; };
  const delta = (m: Machine, counter: string): number => (m.after[counter] ?? NaN) - (m.before[counter] ?? NaN);
  const endAll = (): void => {
    killMarked(mark);
    killMarked(serverMark);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  };
  // Stopped from outside (Ctrl-C, SIGTERM, SIGHUP), mocha runs no hook and node no exit handler: the
  // server (which outlives its parent) and the clients are ended here, then the signal is raised again to
  // end us as it would have.
  const onSignal = (sig: NodeJS.Signals): void => {
    endAll();
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, sig);
  };

  before(async function () {
    process.once('exit', endAll);
    for (const s of SIGNALS) process.on(s, onSignal);
    const tools = await installGoToolCache(dir('gel-gotoolcache-bin-'), { GEL_TREE_MARK: mark });
    const dl = await run('go', ['mod', 'download', '-json', `${MODULE}@${VERSION}`], { env: { GEL_TREE_MARK: mark }, ms: 300_000 });
    assert.equal(dl.code, 0, dl.err);
    const info = JSON.parse(dl.out) as { Dir: string; Info: string };
    // The version's own date (from the proxy), the same on every machine.
    const time = new Date((JSON.parse(fs.readFileSync(info.Info, 'utf8')) as { Time: string }).Time);
    server = await startGocached(tools.gocached, dir('gel-gocached-'), { GEL_TREE_MARK: serverMark });
    const src = path.join(dir('gel-checkout-'), 'go-cmp');

    const machine = async (name: string): Promise<Machine> => {
      checkout(info.Dir, src, time);
      const local = dir(`gel-machine-${name}-`);
      const env = {
        GEL_TREE_MARK: mark,
        GOCACHE: path.join(local, 'gocache'),
        // Where the CLI builds its parser helper (once per Go version and machine): B builds its own too.
        XDG_CACHE_HOME: path.join(local, 'user-cache'),
        // go splits GOCACHEPROG into words, honouring quotes.
        GOCACHEPROG: [tools.goCacher, '--cache-dir', path.join(local, 'go-cacher'), '--cache-server', server!.url].map((w) => `'${w}'`).join(' '),
      };
      const before = await server!.counters();
      const started = performance.now();
      const r = await run(process.execPath, [CLI, '--json', './...'], { cwd: src, env, ms: 600_000 });
      const seconds = (performance.now() - started) / 1000;
      assert.ok(r.code === 0 || r.code === 1, `machine ${name}: exit ${r.code}\n${r.err}`);
      const left = await leftAfter(mark);
      return { seconds, report: JSON.parse(r.out) as Report, before, after: await server!.counters(), left };
    };
    a = await machine('a');
    b = await machine('b');
    const line = (m: Machine): string => `${m.seconds.toFixed(2)} s; server: ${delta(m, 'gocached_gets')} lookups, `
      + `${delta(m, 'gocached_get_hits')} hits, ${delta(m, 'gocached_puts')} stores of ${delta(m, 'gocached_put_bytes')} bytes`;
    console.log(`      machine A (empty local cache, empty server): ${line(a)}`);
    console.log(`      machine B (empty local cache, the same server): ${line(b)}`);
  });

  after(async () => {
    killMarked(mark);
    await server?.stop();
    endAll();
    process.removeListener('exit', endAll);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  });

  it('A reached the server through GOCACHEPROG and stored its build there', () => {
    assert.ok(delta(a, 'gocached_gets') > 0, 'A looked nothing up on the server');
    assert.ok(delta(a, 'gocached_puts') > 0, 'A stored nothing on the server');
  });

  it('B compiled nothing: it replayed from the server and stored no byte there', () => {
    const gets = delta(b, 'gocached_gets');
    assert.ok(gets > 0, 'B looked nothing up on the server');
    assert.ok(delta(b, 'gocached_get_hits') > 0, 'B got nothing from the server');
    // A compile stores its object file and its output: a byte stored would be a package B compiled. B
    // links one program, its own parser helper, which no machine's cache holds (`go build` does not
    // cache the executables it links) and whose link records an empty output.
    assert.equal(delta(b, 'gocached_put_bytes'), 0, 'B stored bytes: it compiled');
  });

  it("B's findings equal A's", () => {
    assert.ok(a.report.findings.length > 100, `only ${a.report.findings.length} findings`);
    assert.ok(a.report.packages.length >= 5 && a.report.packages.every((p) => p.ok), JSON.stringify(a.report.packages));
    assert.deepEqual(b.report.findings, a.report.findings);
    assert.deepEqual(b.report.contracts, a.report.contracts);
    assert.deepEqual(b.report.summary, a.report.summary);
    // A finding in a file outside every package (a standard-library generic instantiated in two of them)
    // is counted once, under the package whose compile printed it first: the go command runs compiles in
    // parallel, so which one that is varies from run to run, cached or not. The total does not.
    const packages = (r: Report) => r.packages.map(({ dir, ok, errors }) => ({ dir, ok, errors }));
    const skipped = (r: Report) => r.packages.reduce((n, p) => n + p.skipped, 0);
    assert.deepEqual(packages(b.report), packages(a.report));
    assert.equal(skipped(b.report), skipped(a.report));
  });

  it('no process of either machine outlives its run (the CLI, its go commands, their go-cacher)', () => {
    assert.deepEqual(a.left, []);
    assert.deepEqual(b.left, []);
  });
});
