// Weights findings by a heap profile: `go tool pprof -lines -top` gives the bytes and objects allocated
// at each source line; a finding on that line shows what its escape actually costs at run time.
import * as path from 'node:path';
import { runPprof } from './pprof';
import type { Finding } from '../model';
import { normalizePath } from '../platform';

export interface LineCost { bytes: number; objects: number }

export interface HeapProfile {
  /** `abs/path.go:line` → cost. */
  lines: Map<string, LineCost>;
  totalBytes: number;
}

// `  12800064B 66.48% 66.48%  12800064B 66.48%  example.com/p.New /abs/p.go:7 (inline)`
const ROW = /^\s*(\d+)(?:B)?\s+[\d.]+%\s+[\d.]+%\s+\d+(?:B)?\s+[\d.]+%\s+\S+ (.+):(\d+)(?: \(inline\))?\s*$/;
const TOTAL = /of (\d+)B? total/;

/** Parses one `pprof -top -lines` listing: line → flat value. */
export function parseTop(text: string): { values: Map<string, number>; total: number } {
  const values = new Map<string, number>();
  let total = 0;
  for (const line of text.split('\n')) {
    const t = TOTAL.exec(line);
    if (t) total = Number(t[1]);
    const m = ROW.exec(line);
    if (!m) continue;
    // pprof prints Windows paths with forward slashes (C:/Users/…); findings use the OS spelling.
    const key = `${normalizePath(m[2])}:${m[3]}`;
    values.set(key, (values.get(key) ?? 0) + Number(m[1]));
  }
  return { values, total };
}

export async function loadHeapProfile(file: string, goCommand = 'go', env?: Record<string, string>,
  limits: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HeapProfile> {
  const top = (index: string) => runPprof(goCommand, ['-lines', '-top', '-nodecount=1000000', '-nodefraction=0',
    `-sample_index=${index}`, '-unit=B'], file, { env, timeoutMs: limits.timeoutMs, signal: limits.signal });
  const [space, objects] = await Promise.all([top('alloc_space'), top('alloc_objects')]);
  const bytes = parseTop(space);
  const count = parseTop(objects).values;
  const lines = new Map<string, LineCost>();
  for (const [k, b] of bytes.values) lines.set(k, { bytes: b, objects: count.get(k) ?? 0 });
  for (const [k, o] of count) if (!lines.has(k)) lines.set(k, { bytes: 0, objects: o });
  return { lines, totalBytes: bytes.total };
}

/** The profile's cost on a finding's line: by absolute path, else by package dir and file name (-trimpath, other machines). */
export function costOf(profile: HeapProfile, f: Pick<Finding, 'file' | 'pos'>): LineCost | undefined {
  const exact = profile.lines.get(`${f.file}:${f.pos.line}`);
  if (exact) return exact;
  const tail = `/${path.basename(path.dirname(f.file))}/${path.basename(f.file)}:${f.pos.line}`;
  for (const [k, v] of profile.lines) if (k.endsWith(tail)) return v;
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
