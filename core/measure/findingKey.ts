// A finding's identity that survives edits elsewhere in the file: file, function, message and which
// occurrence of that message in the function. Line numbers move; these do not, unless the code itself changes.
import type { Finding } from '../model';

export function findingKeys(findings: readonly Finding[]): Map<Finding, string> {
  const seen = new Map<string, number>();
  const keys = new Map<Finding, string>();
  const ordered = [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.pos.line - b.pos.line || (a.pos.col ?? 0) - (b.pos.col ?? 0));
  for (const f of ordered) {
    const base = `${f.file}|${f.function ?? ''}|${f.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keys.set(f, `${base}|${n}`);
  }
  return keys;
}
