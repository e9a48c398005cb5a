// Deep explanations for many findings at once (the CLI's --deep): every candidate is walked, at most
// `concurrency` at a time; the cache makes sure each dependency package is compiled once.
import type { Finding } from '../model';
import type { DeepPath } from '../model/deep';
import { explainDeep, isDeepCandidate, type DeepRequest } from './walk';

export async function explainAll(findings: readonly Finding[], req: DeepRequest, concurrency = 4): Promise<Map<Finding, DeepPath>> {
  const todo = findings.filter((f) => f.suppressed === undefined && isDeepCandidate(f));
  const out = new Map<Finding, DeepPath>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const f = todo[next++];
      const d = await explainDeep(f, req);
      if (d) out.set(f, d);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return out;
}
