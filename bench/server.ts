// npm run bench (server part): save → diagnostics against the bare compiler on the same fresh content in
// the same run; re-save of unchanged content (build-cache replay); code-action latency and the cost of
// verifying fixes; server memory after a net/http-sized analysis.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/helpers/lspClient';
import { generatePackage } from './generate';
import { median } from './stats';
import { SERVER_ENV, SERVER_EXEC_ARGV } from '../server/launch';

/**
 * node's flags for the server, as the VS Code client starts it; GEL_BENCH_EXEC_ARGV (space-separated,
 * `-` for none) tries others.
 */
function execArgv(): readonly string[] {
  const v = process.env.GEL_BENCH_EXEC_ARGV;
  if (v === undefined) return SERVER_EXEC_ARGV;
  return v.trim() === '-' ? [] : v.trim().split(/\s+/);
}

/** The server's environment as the VS Code client sets it; GEL_BENCH_SERVER_ENV=- leaves it out. */
function serverEnv(): Record<string, string> {
  return process.env.GEL_BENCH_SERVER_ENV?.trim() === '-' ? {} : { ...SERVER_ENV };
}

/** Rounds of a save benchmark: GEL_BENCH_ROUNDS overrides the part's default (more rounds, steadier medians). */
function rounds(dflt: number): number {
  const n = Number(process.env.GEL_BENCH_ROUNDS);
  return Number.isInteger(n) && n > 0 ? n : dflt;
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  for (const f of fs.readdirSync(to, { recursive: true }).map(String)) fs.chmodSync(path.join(to, f), fs.statSync(path.join(to, f)).isDirectory() ? 0o755 : 0o644);
}

/** A third-party module from the Go module proxy, copied somewhere writable. */
function thirdParty(tmp: string, mod: string): string {
  const r = spawnSync('go', ['mod', 'download', '-json', mod], { cwd: tmp, encoding: 'utf8' });
  const dir = JSON.parse(r.stdout).Dir as string;
  const to = path.join(tmp, mod.replace(/[/@]/g, '_'));
  copyTree(dir, to);
  return to;
}

function rssMB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** What the server logged about its analyses since log line `from`: go exit → published, longest event-loop stall. */
function serverTrace(c: LspClient, from: number): { afterGo: number[]; stall: number[]; collections: number[] } {
  const afterGo: number[] = [];
  const stall: number[] = [];
  const collections: number[] = [];
  for (const l of c.logs.slice(from)) {
    const m = /published (-?\d+) ms after go exited .*longest event-loop stall (\d+) ms/.exec(l);
    if (m) { afterGo.push(Number(m[1])); stall.push(Number(m[2])); }
    const g = /full collection (\d+) ms/.exec(l);
    if (g) collections.push(Number(g[1]));
  }
  return { afterGo, stall, collections };
}

function traceLine(t: { afterGo: number[]; stall: number[]; collections: number[] }): string {
  if (t.afterGo.length === 0) return '';
  // The full collection after publishing (server/engine/memory.ts) is a stall of its own, outside the analysis.
  const gc = t.collections.length ? `; ${t.collections.length} full collections after publishing, longest ${Math.max(...t.collections)} ms` : '';
  return `; go exit → published ${median(t.afterGo).toFixed(0)} ms, longest event-loop stall ${Math.max(...t.stall).toFixed(0)} ms${gc} (server log)`;
}

/**
 * A server (GEL_BENCH_SERVER: another server script, an older build or a profiling wrapper) with `file` open
 * and its first analysis done; its log from here on is what the part reads.
 */
async function openInServer(file: string): Promise<{ c: LspClient; uri: string; logsFrom: number }> {
  const c = await LspClient.start(() => ({ quickFixes: false }), {}, undefined, {}, { server: process.env.GEL_BENCH_SERVER, execArgv: execArgv(), env: serverEnv() });
  try {
    const uri = c.open(file);
    await c.settled(file);
    return { c, uri, logsFrom: c.logs.length };
  } catch (e) {
    await c.stop();
    throw e;
  }
}

async function saveLatency(label: string, dir: string, fileName: string, rounds: number, memory = false): Promise<void> {
  const file = path.join(dir, fileName);
  const original = fs.readFileSync(file, 'utf8');
  const { c, uri, logsFrom } = await openInServer(file);
  try {
    const bare: number[] = [];
    const server: number[] = [];
    const resave: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Fresh content for each: a cache miss for the compiler, both times.
      fs.writeFileSync(file, `${original}\n// bench bare ${Date.now()} ${i}\n`);
      let t0 = performance.now();
      spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir });
      bare.push(performance.now() - t0);

      const text = `${original}\n// bench server ${Date.now()} ${i}\n`;
      const before = c.publishCount.get(uri) ?? 0;
      t0 = performance.now();
      c.save(file, text);
      await c.waitFor(() => (c.publishCount.get(uri) ?? 0) > before, 'diagnostics');
      server.push(performance.now() - t0);

      const again = c.publishCount.get(uri) ?? 0;
      t0 = performance.now();
      void c.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await c.waitFor(() => (c.publishCount.get(uri) ?? 0) > again, 'diagnostics after re-save');
      resave.push(performance.now() - t0);
    }
    const b = median(bare), s = median(server);
    const n = c.diagnostics.get(uri)?.length ?? 0;
    console.log(`${label}: ${n} diagnostics in ${fileName}`);
    console.log(`  bare go build -gcflags=-m=2 (fresh content): ${b.toFixed(0)} ms; save → diagnostics: ${s.toFixed(0)} ms ` +
      `(+${(s - b).toFixed(0)} ms, ${((s / b - 1) * 100).toFixed(0)}%; round by round +${median(server.map((x, i) => x - bare[i])).toFixed(0)} ms); ` +
      `re-save unchanged (cache replay): ${median(resave).toFixed(0)} ms — medians of ${rounds}${traceLine(serverTrace(c, logsFrom))}`);
    if (process.env.GEL_BENCH_LOG) for (const l of c.logs.slice(logsFrom)) console.log(`  server: ${l.slice(0, 400)}`);
    if (memory) {
      const now = rssMB(c.proc.pid!);
      // What stays resident while the user reads the squiggles (the server collects after publishing).
      await new Promise((r) => setTimeout(r, 3000));
      console.log(`  server RSS ${now.toFixed(0)} MB at the diagnostics, ${rssMB(c.proc.pid!).toFixed(0)} MB 3 s later, ` +
        `peak ${rssMB(c.proc.pid!, 'VmHWM').toFixed(0)} MB (open, then ${rounds} saves)`);
    }
  } finally {
    fs.writeFileSync(file, original);
    await c.stop();
  }
}

async function codeActionLatency(repo: string, tmp: string): Promise<void> {
  const dir = path.join(tmp, 'fixes');
  copyTree(path.join(repo, 'fixtures', 'fixes'), dir);
  const file = path.join(dir, 'fmtbox', 'fmtbox.go');
  const c = await LspClient.start(undefined, {}, undefined, {}, { execArgv: execArgv(), env: serverEnv() });
  try {
    const t0 = performance.now();
    const uri = c.open(file);
    await c.waitFor(() => c.diagnostics.get(uri)?.length, 'diagnostics');
    const tDiag = performance.now();
    const d = c.diagnostics.get(uri)!.find((x) => x.message.startsWith('n escapes'))!;
    const t1 = performance.now();
    const first = await c.codeActions(file, d.range, [d]);
    const tFirst = performance.now() - t1;
    await c.waitFor(() => c.status(file)?.fixes !== undefined, 'verification');
    const tVerified = performance.now();
    const t2 = performance.now();
    const after = await c.codeActions(file, d.range, [d]);
    const tAfter = performance.now() - t2;
    console.log(`quick fixes (fixtures/fixes/fmtbox, ${c.status(file)!.fixes} verified of 6 candidates):`);
    console.log(`  first lightbulb response: ${tFirst.toFixed(1)} ms (${first.length} actions, before verification finished); ` +
      `after verification: ${tAfter.toFixed(1)} ms (${after.length} actions)`);
    console.log(`  open → diagnostics ${(tDiag - t0).toFixed(0)} ms; verification of all fixes after that: ${(tVerified - tDiag).toFixed(0)} ms ` +
      `(one type-probe build + one build per candidate, in the background)`);
  } finally {
    await c.stop();
  }
}

async function memory(goroot: string): Promise<void> {
  const c = await LspClient.start(() => ({ quickFixes: false }), {}, undefined, {}, { execArgv: execArgv(), env: serverEnv() });
  try {
    const base = rssMB(c.proc.pid!);
    const file = path.join(goroot, 'src', 'net', 'http', 'server.go');
    c.open(file);
    await c.settled(file);
    console.log(`server memory: ${base.toFixed(0)} MB RSS after start, ${rssMB(c.proc.pid!).toFixed(0)} MB after analysing net/http ` +
      `(${c.status(file)!.heap[pathToFileURL(file).href]} findings in server.go)`);
  } finally {
    await c.stop();
  }
}

/**
 * Hovers while a big file is being analysed: the server must keep answering from the last result (the
 * analysis runs in slices). A 5,000-function generated file; hovers every 20 ms from save to diagnostics.
 */
async function hoverDuringAnalysis(tmp: string): Promise<void> {
  const dir = path.join(tmp, 'gen5000');
  generatePackage(dir, 5000);
  const file = path.join(dir, 'generated.go');
  const original = fs.readFileSync(file, 'utf8');
  const { c, uri, logsFrom } = await openInServer(file);
  try {
    const latencies: number[] = [];
    const rounds: { server: number; bare: number }[] = [];
    for (let i = 0; i < 3; i++) {
      fs.writeFileSync(file, `${original}\n// bench bare ${Date.now()} ${i}\n`);
      let t0 = performance.now();
      spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, maxBuffer: 1 << 30 });
      const bare = performance.now() - t0;
      const before = c.publishCount.get(uri) ?? 0;
      t0 = performance.now();
      c.save(file, `${original}\n// bench server ${Date.now()} ${i}\n`);
      let line = 20;
      while ((c.publishCount.get(uri) ?? 0) === before) {
        const h0 = performance.now();
        await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 2 } });
        latencies.push(performance.now() - h0);
        line = (line + 11) % 50_000;
        await new Promise((r) => setTimeout(r, 20));
      }
      rounds.push({ server: performance.now() - t0, bare });
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const b = median(rounds.map((r) => r.bare)), sv = median(rounds.map((r) => r.server));
    if (process.env.GEL_BENCH_LOG) for (const l of c.logs.slice(logsFrom)) console.log(`  server: ${l.slice(0, 400)}`);
    console.log(`5,000-function file (generated, ${original.split('\n').length} lines): ${latencies.length} hovers during 3 analyses: ` +
      `p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
    console.log(`  bare go build -gcflags=-m=2 (fresh content): ${b.toFixed(0)} ms; save → diagnostics: ${sv.toFixed(0)} ms (${(sv / b).toFixed(2)}×); ` +
      `server RSS ${rssMB(c.proc.pid!).toFixed(0)} MB${traceLine(serverTrace(c, logsFrom))}`);
  } finally {
    await c.stop();
  }
}

/** What including _test.go files costs: go test -c (links a test binary) against go build, fresh content. */
function testsCost(dir: string): void {
  const file = path.join(dir, 'returned.go');
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(path.join(dir, 'returned_test.go'), 'package returned\n\nimport "testing"\n\nfunc TestNew(t *testing.T) { _ = NewOrder(1) }\n');
  const build: number[] = [];
  const test: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(file, `${original}\n// tests cost ${Date.now()} ${i} a\n`);
      let t0 = performance.now();
      spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir });
      build.push(performance.now() - t0);
      fs.writeFileSync(file, `${original}\n// tests cost ${Date.now()} ${i} b\n`);
      t0 = performance.now();
      spawnSync('go', ['test', '-c', '-vet=off', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir });
      test.push(performance.now() - t0);
    }
  } finally {
    fs.writeFileSync(file, original);
    fs.rmSync(path.join(dir, 'returned_test.go'));
  }
  console.log(`_test.go files (fixtures/sample/returned + one test, fresh content): go build ${median(build).toFixed(0)} ms, ` +
    `go test -c -vet=off ${median(test).toFixed(0)} ms (medians of 5)`);
}

/** `node out/bench/run.js server [part,...]`: every part, or only those named (fixture, tests, mux, gen10k, hover, fixes, memory, big). */
export async function benchServer(repo: string, only?: string): Promise<void> {
  const want = (part: string) => !only || only.split(',').includes(part);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gel-bench-'));
  try {
    const sample = path.join(tmp, 'sample');
    copyTree(path.join(repo, 'fixtures', 'sample'), sample);
    if (want('fixture')) await saveLatency('fixture fixtures/sample/returned', path.join(sample, 'returned'), 'returned.go', rounds(11));
    if (want('tests')) testsCost(path.join(sample, 'returned'));
    if (want('mux')) await saveLatency('third-party github.com/gorilla/mux@v1.8.1', thirdParty(tmp, 'github.com/gorilla/mux@v1.8.1'), 'mux.go', rounds(11));
    if (want('gen10k')) {
      const gen10k = path.join(tmp, 'gen900');
      generatePackage(gen10k, 900);
      await saveLatency('generated 10k-line package (900 functions)', gen10k, 'generated.go', rounds(9));
    }
    if (want('hover')) await hoverDuringAnalysis(tmp);
    if (want('fixes')) await codeActionLatency(repo, tmp);
    const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
    if (want('memory')) await memory(goroot);
    if (want('big')) {
      // The scale benchmark's largest package (≈ 600k lines of -m=2 output), fresh content each time: one
      // save (its compile alone takes tens of seconds), with the server's peak memory.
      const big = path.join(tmp, 'gen7300');
      generatePackage(big, 7300);
      await saveLatency('generated 7,300-function package (≈ 600k lines of output)', big, 'generated.go', 1, true);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
