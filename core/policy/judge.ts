// Applies a policy to an analysis: the action for each finding (with its request-path context), and the
// verdict the CLI's exit code follows. The CLI and the server both call this.
import type { Finding } from '../model';
import { readFromDisk } from '../locate/sourceCache';
import { actionFor, type Action, type Policy } from './policy';
import { onRequestPath } from './requestPath';

export type Judged = Map<Finding, Action>;

/** The policy's action for every finding it judges; `read` gives each file's current text. */
export function judge(policy: Policy, findings: readonly Finding[], read: (file: string) => string | undefined = readFromDisk): Judged {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, l = []);
    l.push(f);
  }
  const out: Judged = new Map();
  for (const [file, list] of byFile) {
    const text = file ? read(file) : undefined;
    const request = text ? onRequestPath(text, list) : new Set<Finding>();
    for (const f of list) {
      const a = actionFor(policy, f, { requestPath: request.has(f) });
      if (a) out.set(f, a);
    }
  }
  return out;
}
