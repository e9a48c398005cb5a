// Parse cost of the Go parser helper (go/parser of the machine's toolchain) on net/http.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GoParser, loadGoParser } from '../core/locate/goParser';
import { median } from './stats';

export async function benchParse(goroot: string): Promise<void> {
  const dir = path.join(goroot, 'src', 'net', 'http');
  const texts = fs.readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const h2 = fs.readFileSync(path.join(dir, 'h2_bundle.go'), 'utf8');
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  await loadGoParser(); // the helper is built (once per Go version) before anything is timed
  const cold: number[] = [];
  const warm: number[] = [];
  const h2warm: number[] = [];
  const h2sync: number[] = [];
  for (let i = 0; i < 5; i++) {
    // Cold: a fresh helper process (start, first request) for the whole package.
    const p = new GoParser();
    let t0 = performance.now();
    await p.parseAll(texts);
    cold.push(performance.now() - t0);
    // Warm: the long-lived process of a server that has parsed before.
    t0 = performance.now();
    await p.parseAll(texts);
    warm.push(performance.now() - t0);
    t0 = performance.now();
    await p.parse(h2);
    h2warm.push(performance.now() - t0);
    t0 = performance.now();
    p.parseSync(h2);
    h2sync.push(performance.now() - t0);
    p.close();
  }
  console.log(`Go parser (go/parser helper) on net/http: ${texts.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`  whole package: fresh helper process ${median(cold).toFixed(0)} ms, running helper ${median(warm).toFixed(0)} ms (medians of 5)`);
  console.log(`  h2_bundle.go (${(Buffer.byteLength(h2) / 1e3).toFixed(0)} kB): running helper ${median(h2warm).toFixed(0)} ms, synchronous fallback (one helper run) ${median(h2sync).toFixed(0)} ms`);
}
