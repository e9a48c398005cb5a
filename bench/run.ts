// npm run bench: what Go Escape Lens costs on top of the compiler, measured in one run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { analyzeOutput } from '../core/analysis/analyze';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { benchServer } from './server';
import { benchDeep } from './deep';
import { benchParse } from './parse';
import { benchMeasure } from './measure';
import { benchScale } from './scale';
import { benchPackages } from './packages';
import { benchContracts } from './contracts';
import { median, time } from './stats';

const REPO = path.resolve(__dirname, '..', '..'); // bundled into out/bench/
const GOROOT = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

async function benchCore(): Promise<void> {
  const dir = path.join(GOROOT, 'src', 'net', 'http');
  let log = '';
  const compileMs = time(() => {
    log = spawnSync('go', ['build', '-gcflags=-m=2', '-o', '/dev/null', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 }).stderr;
  });
  const lines = log.split('\n').length;
  const parser = await loadGoParser();
  // Fresh sources are parsed in one batch by the helper first (as the CLI and the server do).
  const fresh = async (cache: SourceCache, all: boolean) => {
    await cache.preloadOutput(log, dir);
    return analyzeOutput(log, { cwd: dir, sources: cache, all });
  };
  const measure = async (all: boolean) => {
    await fresh(new SourceCache(parser), all); // warm up the JIT and the helper
    const warmCache = new SourceCache(parser);
    await fresh(warmCache, all);
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      const cache = new SourceCache(parser);
      const t0 = performance.now();
      await fresh(cache, all);
      cold.push(performance.now() - t0);
      cache.clear();
      warm.push(time(() => analyzeOutput(log, { cwd: dir, sources: warmCache, all })));
    }
    warmCache.clear();
    return { cold: median(cold), warm: median(warm) };
  };
  const heap = await measure(false);
  const all = await measure(true);
  const logFile = path.join(REPO, '.cache', 'nethttp.m2.txt');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, log);
  const cli: number[] = [];
  for (let i = 0; i < 3; i++) {
    cli.push(time(() => {
      const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', '--input', logFile, '--cwd', dir], { maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
    }));
  }
  const per10k = (ms: number) => `${(ms / lines * 1e4).toFixed(1)} ms per 10k lines`;
  console.log(`net/http -m=2 output: ${lines} lines, ${(log.length / 1e6).toFixed(1)} MB (go build -gcflags=-m=2: ${compileMs.toFixed(0)} ms this run)`);
  console.log(`  parse+classify+locate, heap findings (default), fresh sources: ${heap.cold.toFixed(0)} ms (${per10k(heap.cold)}); sources already parsed: ${heap.warm.toFixed(0)} ms (${per10k(heap.warm)})`);
  console.log(`  parse+classify+locate, every line (--all), fresh sources: ${all.cold.toFixed(0)} ms (${per10k(all.cold)}); sources already parsed: ${all.warm.toFixed(0)} ms (${per10k(all.warm)})`);
  console.log(`  whole CLI on the saved log (node start, parser helper, JSON out): ${median(cli).toFixed(0)} ms median of 3`);
  // End to end: the CLI runs the compiler (a cache hit here: net/http cannot be given fresh content) and
  // parses the sources while it runs; against the bare go command on the same cache hit.
  const bare: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 5; i++) {
    bare.push(time(() => spawnSync('go', ['build', '-gcflags=-m=2', '-o', '/dev/null', '.'], { cwd: dir, maxBuffer: 1 << 30 })));
    whole.push(time(() => {
      const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--json', dir], { maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
    }));
  }
  console.log(`  go-escape-lens --json net/http: ${median(whole).toFixed(0)} ms; bare go build -gcflags=-m=2 on the same cache hit: ${median(bare).toFixed(0)} ms (medians of 5)`);
}

(async () => {
  const only = process.argv[2];
  if (!only || only === 'core') await benchCore();
  if (!only || only === 'parse') await benchParse(GOROOT);
  if (!only || only === 'server') await benchServer(REPO, process.argv[3]);
  if (!only || only === 'deep') await benchDeep(REPO);
  if (!only || only === 'measure') benchMeasure(REPO);
  if (!only || only === 'scale') await benchScale(REPO);
  if (!only || only === 'packages') benchPackages(REPO, GOROOT);
  if (!only || only === 'contracts') await benchContracts();
})();
