// Scale: does our cost grow with the compiler's output, and no faster? Generated packages whose -m=2
// output runs from ~10k to ~600k lines; for each, the whole CLI on the saved log (`--json --input`, the
// analysis alone: node start, parse, classify, locate, JSON out) against the go command's build-cache
// replay of the same output, with the CLI's peak memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generatePackage } from './generate';

const SIZES = [120, 600, 1800, 7300]; // functions → ≈ 10k, 50k, 150k, 600k lines of output

export function benchScale(repo: string): void {
  const cache = path.join(repo, '.cache', 'scale');
  const rssProbe = path.join(cache, 'maxrss.js');
  fs.mkdirSync(cache, { recursive: true });
  // Peak RSS of the CLI process itself, printed on exit (resourceUsage is the process's own getrusage).
  fs.writeFileSync(rssProbe, "process.on('exit', () => process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`));\n");
  console.log('scale: analysis of saved -m=2 output (go-escape-lens --json --input) vs the build-cache replay of that output');
  console.log('  functions | output lines | MB | go replay ms | CLI ms | ms per 10k lines | CLI peak RSS MB');
  for (const n of SIZES) {
    const dir = path.join(cache, `pkg${n}`);
    if (!fs.existsSync(path.join(dir, 'generated.go'))) generatePackage(dir, n);
    const build = () => spawnSync('go', ['build', '-gcflags=-m=2', '-o', '/dev/null', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    const first = build(); // compiles once; later runs replay the cache
    const log = path.join(dir, 'm2.txt');
    fs.writeFileSync(log, first.stderr);
    const lines = first.stderr.split('\n').length;
    const replay = median([0, 1, 2].map(() => time(() => build())));
    let rss = 0;
    const cli = median([0, 1, 2].map(() => time(() => {
      const r = spawnSync(process.execPath, ['-r', rssProbe, path.join(repo, 'dist', 'cli.js'), '--json', '--input', log, '--cwd', dir],
        { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0 && r.status !== 1) throw new Error(`CLI failed (${r.status}): ${r.stderr.slice(0, 500)}`);
      rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0));
    })));
    console.log(`  ${String(n).padStart(9)} | ${String(lines).padStart(12)} | ${(first.stderr.length / 1e6).toFixed(1).padStart(4)} | ${replay.toFixed(0).padStart(12)} | ${cli.toFixed(0).padStart(6)} | ${(cli / lines * 1e4).toFixed(1).padStart(16)} | ${(rss / 1024).toFixed(0).padStart(15)}`);
  }
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
