// Scale: does our cost grow with the compiler's output, and no faster? Generated packages whose -m=2
// output runs from ~10k to ~600k lines; for each:
// - the whole CLI on the saved log (`--json --input`: node start, read, parse, locate, classify, JSON
//   out), wall and CPU time and its peak memory, against the go command's build-cache replay of the
//   same output;
// - the marginal cost per 10k lines between one size and the next (the slope: node's and the parser
//   helper's start, paid once whatever the size, drop out);
// - the analysis in this process (no node start, the parser helper already running): read the log,
//   parse it, parse the sources, locate, classify, write the JSON text — what "≤ 40 ms per 10k lines,
//   flat" (issue 9) is read off.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { generatePackage } from './generate';
import { analyzeLog } from '../core/analysis/analyzeLog';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { writeJsonReport } from '../cli/jsonOutput';
import { median, time } from './stats';

const SIZES = [120, 600, 1800, 7300]; // functions → ≈ 10k, 50k, 150k, 600k lines of output
/** Lines of output analysed, unmeasured, before the in-process runs that are measured. */
const WARM_LINES = 300_000;

interface Row { n: number; lines: number; mb: number; replay: number; wall: number; cpu: number; rss: number; helperRss: number | undefined; inProcess: number; inProcessCpu: number }

export async function benchScale(repo: string): Promise<void> {
  const cache = path.join(repo, '.cache', 'scale');
  const probe = path.join(cache, 'maxrss.js');
  fs.mkdirSync(cache, { recursive: true });
  // The CLI process's own peak RSS and CPU time, printed on exit (resourceUsage is its own getrusage:
  // the parser helper, a child, is not counted).
  fs.writeFileSync(probe, "process.on('exit', () => { const u = process.resourceUsage(); "
    + "process.stderr.write(`\\nmaxRSS=${u.maxRSS} cpu=${(u.userCPUTime + u.systemCPUTime) / 1000}\\n`); });\n");
  const parser = await loadGoParser();
  const helper = await parser.ready();
  const rows: Row[] = [];
  console.log('scale: analysis of saved -m=2 output (go-escape-lens --json --input) vs the build-cache replay of that output; medians of 3');
  console.log('  functions | output lines |   MB | go replay ms | CLI wall ms | CLI cpu ms | CLI ms per 10k lines | marginal ms per 10k lines (wall / cpu) | CLI peak RSS MB | helper peak RSS MB | in-process ms (wall / cpu) | in-process ms per 10k lines (wall / cpu)');
  for (const n of SIZES) {
    const dir = path.join(cache, `pkg${n}`);
    if (!fs.existsSync(path.join(dir, 'generated.go'))) generatePackage(dir, n);
    const build = () => spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    const first = build(); // compiles once; later runs replay the cache
    const log = path.join(dir, 'm2.txt');
    fs.writeFileSync(log, first.stderr);
    const lines = first.stderr.split('\n').length;
    const replay = median([0, 1, 2].map(() => time(() => build())));
    let rss = 0;
    const cpus: number[] = [];
    const wall = median([0, 1, 2].map(() => time(() => {
      const r = spawnSync(process.execPath, ['-r', probe, path.join(repo, 'dist', 'cli.js'), '--json', '--input', log, '--cwd', dir],
        { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}): ${r.stderr.slice(0, 500)}`);
      rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0));
      cpus.push(Number(/cpu=([\d.]+)/.exec(r.stderr)?.[1] ?? 0));
    })));
    // In this process: fresh sources each time (their trees are parsed again), the JSON text to the
    // null device; measured after unmeasured runs of at least WARM_LINES lines in all (the JIT's warm-up,
    // which the CLI rows pay: two runs of a 10k-line log left it half done, 117 ms per 10k lines where a
    // warm run takes ~40).
    const inProcess: number[] = [];
    const inProcessCpu: number[] = [];
    const nul = fs.openSync(os.devNull, 'w');
    const warm = Math.max(2, Math.ceil(WARM_LINES / lines));
    // (No forced collection between runs: a full collection makes V8 drop some of the JIT's work.)
    for (let i = 0; i < warm + 3; i++) {
      const sources = new SourceCache(parser);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const a = await analyzeLog(log, { cwd: dir, sources });
      const r = a.result!;
      writeJsonReport((s) => fs.writeSync(nul, s), 'bench', [{ dir, ok: true, errors: r.errors, skipped: r.skipped, foreign: r.foreign ?? 0 }], r.findings);
      const c = process.cpuUsage(c0);
      if (i >= warm) { inProcess.push(performance.now() - t0); inProcessCpu.push((c.user + c.system) / 1000); }
      sources.clear();
    }
    fs.closeSync(nul);
    const helperRss = await helperPeakRss(helper, fs.readFileSync(path.join(dir, 'generated.go')));
    rows.push({ n, lines, mb: first.stderr.length / 1e6, replay, wall, cpu: median(cpus), rss: rss / 1024, helperRss, inProcess: median(inProcess), inProcessCpu: median(inProcessCpu) });
    const row = rows[rows.length - 1];
    const prev = rows.length > 1 ? rows[rows.length - 2] : undefined;
    const slope = (f: (r: Row) => number) => prev ? ((f(row) - f(prev)) / (row.lines - prev.lines) * 1e4).toFixed(1) : '–';
    console.log(`  ${String(n).padStart(9)} | ${String(lines).padStart(12)} | ${row.mb.toFixed(1).padStart(4)} | ${replay.toFixed(0).padStart(12)} | `
      + `${wall.toFixed(0).padStart(11)} | ${row.cpu.toFixed(0).padStart(10)} | ${(wall / lines * 1e4).toFixed(1).padStart(20)} | `
      + `${`${slope((r) => r.wall)} / ${slope((r) => r.cpu)}`.padStart(31)} | ${row.rss.toFixed(0).padStart(15)} | ${(row.helperRss?.toFixed(0) ?? '–').padStart(18)} | `
      + `${`${row.inProcess.toFixed(0)} / ${row.inProcessCpu.toFixed(0)}`.padStart(25)} | ${`${(row.inProcess / lines * 1e4).toFixed(1)} / ${(row.inProcessCpu / lines * 1e4).toFixed(1)}`.padStart(33)}`);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const per10k = (f: (r: Row) => number) => ((f(last) - f(first)) / (last.lines - first.lines) * 1e4).toFixed(1);
  console.log(`  marginal ${first.lines}→${last.lines} lines, ms per 10k lines (wall / cpu): CLI ${per10k((r) => r.wall)} / ${per10k((r) => r.cpu)}, `
    + `in-process ${per10k((r) => r.inProcess)} / ${per10k((r) => r.inProcessCpu)}`);
}

/**
 * The parser helper's peak RSS (MB) parsing one source: its high-water mark (Linux /proc) read while it
 * still runs, after its answer. The CLI's own figure leaves it out (a child); undefined elsewhere.
 */
async function helperPeakRss(bin: string, source: Buffer): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const answered = new Promise<void>((resolve, reject) => {
      let need = -1;
      let got = 0;
      const head: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => {
        got += b.length;
        if (need < 0) {
          head.push(b);
          const h = Buffer.concat(head);
          if (h.length >= 4) need = 4 + h.readUInt32LE(0);
        }
        if (need >= 0 && got >= need) resolve();
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`the parser helper exited (${code})`)));
    });
    child.stdin.write(`${source.length}\n`);
    child.stdin.write(source);
    await answered;
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } finally {
    child.stdin.end();
    child.kill();
  }
}

