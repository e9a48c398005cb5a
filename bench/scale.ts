// Scale: does our cost grow with the compiler's output, and no faster? On generated packages whose -m=2
// output runs from ~10k to ~600k lines, and on real big packages (bench/realPackages.ts: a generated API,
// protobuf-generated code, a client library; the biggest also cut to its first quarter and half, for the
// slope on real output). For each:
// - the whole CLI on the saved log (`--json --input`: node start, read, parse, locate, classify, JSON
//   out), wall and CPU time and its peak memory, against the go command's build-cache replay of the
//   same output;
// - the marginal cost per 10k lines between one size and the next of the same series (the slope: node's
//   and the parser helper's start, paid once whatever the size, drop out);
// - the analysis in this process (no node start, the parser helper already running): read the log,
//   parse it, parse the sources, locate, classify, write the JSON text — what "≤ 40 ms per 10k lines at
//   any size" is read off. Its CPU time counts the parser helper's too (on Linux): on a loaded machine
//   the wall time waits for a core, the CPU time does not.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { generatePackage } from './generate';
import { fetchPackage, logPrefix, realPackages } from './realPackages';
import { analyzeLog } from '../core/analysis/analyzeLog';
import { loadGoParser, type GoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { writeJsonReport } from '../cli/jsonOutput';
import { median, time } from './stats';
import { judge, load } from './targets';

const SIZES = [120, 600, 1800, 7300]; // functions → ≈ 10k, 50k, 150k, 600k lines of output
/** Lines of output analysed, unmeasured, before the in-process runs that are measured. */
const WARM_LINES = 300_000;
/** The targets: ms per 10k lines of output in the analysis, and the CLI's peak RSS. */
const MS_PER_10K = 40;
const MAX_RSS_MB = 300;

/** One saved log to measure: `series` groups the rows whose slope is printed. */
interface Input { series: string; label: string; dir: string; env: NodeJS.ProcessEnv; log: string; source: string; replay: boolean }
interface Row { input: Input; lines: number; mb: number; replay: number | undefined; wall: number; cpu: number; rss: number; helperRss: number | undefined; inProcess: number; inProcessCpu: number }

/** `scale [generated|real]`: both kinds of package, or one. */
export async function benchScale(repo: string, only?: string): Promise<void> {
  const cache = path.join(repo, '.cache', 'scale');
  const probe = path.join(cache, 'maxrss.js');
  fs.mkdirSync(cache, { recursive: true });
  // The CLI process's own peak RSS and CPU time, printed on exit (resourceUsage is its own getrusage:
  // the parser helper, a child, is not counted).
  fs.writeFileSync(probe, "process.on('exit', () => { const u = process.resourceUsage(); "
    + "process.stderr.write(`\\nmaxRSS=${u.maxRSS} cpu=${(u.userCPUTime + u.systemCPUTime) / 1000}\\n`); });\n");
  const parser = await loadGoParser();
  const inputs = [...(only === 'real' ? [] : generatedInputs(cache)), ...(only === 'generated' ? [] : realInputs(path.join(repo, '.cache', 'real'), cache))];
  const rows: Row[] = [];
  console.log(`scale: analysis of saved -m=2 output (go-escape-lens --json --input) vs the build-cache replay of that output; medians of 3 (${load()} at the start)`);
  console.log('  series | package | output lines |   MB | go replay ms | CLI wall ms | CLI cpu ms | CLI ms per 10k lines | marginal ms per 10k lines (wall / cpu) | CLI peak RSS MB | helper peak RSS MB | in-process ms (wall / cpu incl. the helper) | in-process ms per 10k lines (wall / cpu) | load');
  for (const input of inputs) {
    const row = await measure(input, parser, probe);
    const prev = rows.length && rows[rows.length - 1].input.series === input.series ? rows[rows.length - 1] : undefined;
    rows.push(row);
    const slope = (f: (r: Row) => number) => prev ? ((f(row) - f(prev)) / (row.lines - prev.lines) * 1e4).toFixed(1) : '–';
    console.log(`  ${input.series} | ${input.label} | ${row.lines} | ${row.mb.toFixed(1)} | ${row.replay?.toFixed(0) ?? '–'} | `
      + `${row.wall.toFixed(0)} | ${row.cpu.toFixed(0)} | ${(row.wall / row.lines * 1e4).toFixed(1)} | `
      + `${slope((r) => r.wall)} / ${slope((r) => r.cpu)} | ${row.rss.toFixed(0)} | ${row.helperRss?.toFixed(0) ?? '–'} | `
      + `${row.inProcess.toFixed(0)} / ${row.inProcessCpu.toFixed(0)} | ${(row.inProcess / row.lines * 1e4).toFixed(1)} / ${(row.inProcessCpu / row.lines * 1e4).toFixed(1)} | ${load()}`);
  }
  for (const series of new Set(rows.map((r) => r.input.series))) {
    const of = rows.filter((r) => r.input.series === series);
    if (of.length < 2) continue;
    const first = of[0], last = of[of.length - 1];
    const per10k = (f: (r: Row) => number) => ((f(last) - f(first)) / (last.lines - first.lines) * 1e4).toFixed(1);
    console.log(`  ${series}: marginal ${first.lines}→${last.lines} lines, ms per 10k lines (wall / cpu): CLI ${per10k((r) => r.wall)} / ${per10k((r) => r.cpu)}, `
      + `in-process ${per10k((r) => r.inProcess)} / ${per10k((r) => r.inProcessCpu)}`);
  }
  for (const kind of ['generated', 'real']) {
    const of = rows.filter((r) => (r.input.series === 'generated') === (kind === 'generated') && r.lines <= 650_000);
    if (of.length === 0) continue;
    const worst = of.reduce((a, r) => (r.inProcess / r.lines > a.inProcess / a.lines ? r : a));
    judge(`saved output, ${kind} packages: analysis ms per 10k lines at every size to 600k lines (worst row)`, worst.inProcess / worst.lines * 1e4, MS_PER_10K, 'ms per 10k lines', 'scale',
      `${worst.input.label}, ${worst.lines} lines`);
    const biggest = of.reduce((a, r) => (r.rss > a.rss ? r : a));
    judge(`saved output, ${kind} packages: the CLI's peak RSS (largest)`, biggest.rss, MAX_RSS_MB, 'MB', 'scale', `${biggest.input.label}, ${biggest.lines} lines`);
  }
}

function generatedInputs(cache: string): Input[] {
  return SIZES.map((n) => {
    const dir = path.join(cache, `pkg${n}`);
    if (!fs.existsSync(path.join(dir, 'generated.go'))) generatePackage(dir, n);
    return { series: 'generated', label: `${n} functions`, dir, env: process.env, log: path.join(dir, 'm2.txt'), source: path.join(dir, 'generated.go'), replay: true };
  });
}

/** The real packages, smallest output first; the biggest first cut to a quarter and a half of its log. */
function realInputs(work: string, cache: string): Input[] {
  const out: Input[] = [];
  const packages = realPackages();
  for (const p of packages) {
    const f = fetchPackage(work, p);
    const input: Input = { series: `real: ${p.label}`, label: `${p.label} (${p.kind}, ${f.goLines} lines of Go)`, dir: f.dir, env: f.env, log: path.join(cache, `${p.label.replace(/\W+/g, '_')}.m2.txt`), source: path.join(f.dir, p.file), replay: true };
    compileOnce(input);
    if (p === packages[packages.length - 1]) {
      const whole = fs.readFileSync(input.log, 'utf8');
      for (const part of [0.25, 0.5]) {
        const log = input.log.replace(/\.m2\.txt$/, `.${part}.m2.txt`);
        fs.writeFileSync(log, logPrefix(whole, part));
        out.push({ ...input, label: `${p.label}, first ${part * 100}% of its output`, log, replay: false });
      }
    }
    out.push(input);
  }
  return out;
}

function build(input: Input) {
  return spawnSync('go', ['build', '-gcflags=-m=2', '-o', os.devNull, '.'], { cwd: input.dir, env: input.env, encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** The package's -m=2 output, saved once (it compiles once; later builds replay the cache). */
function compileOnce(input: Input): void {
  if (fs.existsSync(input.log)) return;
  const r = build(input);
  if (r.status !== 0) throw new Error(`go build failed in ${input.dir}: ${r.stderr.slice(-500)}`);
  fs.writeFileSync(input.log, r.stderr);
}

async function measure(input: Input, parser: GoParser, probe: string): Promise<Row> {
  const { dir, log } = input;
  compileOnce(input);
  const text = fs.readFileSync(log, 'utf8');
  const lines = text.split('\n').length;
  const replay = input.replay ? median([0, 1, 2].map(() => time(() => build(input)))) : undefined;
  let rss = 0;
  const cpus: number[] = [];
  const wall = median([0, 1, 2].map(() => time(() => {
    const r = spawnSync(process.execPath, ['-r', probe, path.join(__dirname, '..', '..', 'dist', 'cli.js'), '--json', '--input', log, '--cwd', dir],
      { env: input.env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}): ${r.stderr.slice(0, 500)}`);
    rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0));
    cpus.push(Number(/cpu=([\d.]+)/.exec(r.stderr)?.[1] ?? 0));
  })));
  // In this process: fresh sources each time (their trees are parsed again), the JSON text to the
  // null device; measured after unmeasured runs of at least WARM_LINES lines in all (the JIT's warm-up,
  // which the CLI rows pay: two runs of a 10k-line log left it half done).
  const inProcess: number[] = [];
  const inProcessCpu: number[] = [];
  const nul = fs.openSync(os.devNull, 'w');
  const warm = Math.max(2, Math.ceil(WARM_LINES / lines));
  // (No forced collection between runs: a full collection makes V8 drop some of the JIT's work.)
  for (let i = 0; i < warm + 3; i++) {
    const sources = new SourceCache(parser);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const h0 = childrenCpuMs();
    const a = await analyzeLog(log, { cwd: dir, sources });
    const r = a.result!;
    writeJsonReport((s) => fs.writeSync(nul, s), 'bench', [{ dir, ok: true, errors: r.errors, skipped: r.skipped, foreign: r.foreign ?? 0 }], r.findings);
    const c = process.cpuUsage(c0);
    if (i >= warm) { inProcess.push(performance.now() - t0); inProcessCpu.push((c.user + c.system) / 1000 + childrenCpuMs() - h0); }
    sources.clear();
  }
  fs.closeSync(nul);
  const helperRss = await helperPeakRss(await parser.ready(), fs.readFileSync(input.source));
  return { input, lines, mb: text.length / 1e6, replay, wall, cpu: median(cpus), rss: rss / 1024, helperRss, inProcess: median(inProcess), inProcessCpu: median(inProcessCpu) };
}

/** CPU time (ms) of this process's running children (the parser helper), from /proc; 0 elsewhere. */
function childrenCpuMs(): number {
  if (process.platform !== 'linux') return 0;
  let ms = 0;
  for (const task of fs.readdirSync('/proc/self/task')) {
    for (const pid of fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      try {
        // Fields 14 and 15 (utime, stime), after the command name in parentheses, in clock ticks (100 a second).
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
        ms += (Number(f[11]) + Number(f[12])) * 10;
      } catch { /* ended meanwhile */ }
    }
  }
  return ms;
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

