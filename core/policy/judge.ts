// Applies a policy to an analysis: the action for each finding (with its request-path context), and the
// verdict the CLI's exit code follows. The CLI and the server both call this.
import type { Finding } from '../model';
import { readFromDisk } from '../locate/sourceCache';
import { decide, type Action, type Decision, type Policy } from './policy';
import { onRequestPath } from './requestPath';

export type Judged = Map<Finding, Action>;

/** The policy's action for every finding it judges; `read` gives each file's current text. */
export function judge(policy: Policy, findings: readonly Finding[], read: (file: string) => string | undefined = readFromDisk): Judged {
  const out: Judged = new Map();
  for (const [f, d] of decisions(policy, findings, read)) out.set(f, d.action);
  return out;
}

/** judge, with the rule that decided each action (the terminal names its line). */
export function decisions(policy: Policy, findings: readonly Finding[], read: (file: string) => string | undefined = readFromDisk): Map<Finding, Decision> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, l = []);
    l.push(f);
  }
  const out = new Map<Finding, Decision>();
  for (const [file, list] of byFile) {
    const text = file ? read(file) : undefined;
    const request = text ? onRequestPath(text, list) : new Set<Finding>();
    for (const f of list) {
      const d = decide(policy, f, { requestPath: request.has(f) });
      if (d) out.set(f, d);
    }
  }
  return out;
}

export function countActions(judged: Judged, only?: (f: Finding) => boolean): Record<Action, number> {
  const n: Record<Action, number> = { ignore: 0, log: 0, warn: 0, fail: 0 };
  for (const [f, a] of judged) if (!only || only(f)) n[a]++;
  return n;
}
