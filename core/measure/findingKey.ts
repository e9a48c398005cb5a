// A finding's identity across edits and runs: its file's name, its function, its cause (and whether it is
// an inlined copy of which callee), and its place among the function's findings of that cause in source
// order. Neither its line nor its words: moving code, or changing `make([]T, 1000)` to `make([]T, 500)`,
// keeps the identity, so two measurements compare finding by finding (compare.ts, attach.ts).
import * as path from 'node:path';
import type { Finding } from '../model';

export function findingKeys(findings: readonly Finding[]): Map<Finding, string> {
  const seen = new Map<string, number>();
  const keys = new Map<Finding, string>();
  const ordered = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.pos.line - b.pos.line || (a.pos.col ?? 0) - (b.pos.col ?? 0));
  for (const f of ordered) {
    const base = `${path.basename(f.file)}|${f.function ?? ''}|${f.kind}:${f.cause}${f.inlinedFrom ? `<${f.inlinedFrom}` : ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keys.set(f, `${base}|${n}`);
  }
  return keys;
}

/** The parts of a key, for the words beside a figure: file name and function. */
export function keyParts(key: string): { file: string; fn: string } {
  const [file, fn] = key.split('|');
  return { file, fn };
}
