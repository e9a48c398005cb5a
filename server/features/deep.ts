// Paths across packages in the language server: computed in the background on the first hover of a
// finding (or by the graph command), once per finding; dependency outputs live in one DeepCache for the
// server's lifetime, keyed by their version (see core/deep/cache.ts). Nothing runs in an untrusted workspace.
import * as path from 'node:path';
import { uriToPath } from '../../core/platform';
import type { Position } from 'vscode-languageserver';
import { DeepCache } from '../../core/deep/cache';
import { buildGraph, type FlowGraph } from '../../core/deep/graph';
import type { DeepPath } from '../../core/model/deep';
import { explainDeep, isDeepCandidate } from '../../core/deep/walk';
import type { Finding } from '../../core/model';
import { contains } from './hover';
import { markPending } from './deepHover';
import type { SettingsCache } from '../settings';

export class DeepService {
  readonly cache = new DeepCache();
  private readonly running = new WeakMap<Finding, Promise<DeepPath | undefined>>();

  constructor(private readonly settings: SettingsCache, private readonly trusted: boolean, private readonly log: (m: string) => void) {}

  /** Starts the walk for `f` (once) and resolves with its path; `f.deep` is set when it is done. */
  explain(uri: string, f: Finding): Promise<DeepPath | undefined> {
    if (!this.trusted || !isDeepCandidate(f)) return Promise.resolve(undefined);
    let p = this.running.get(f);
    if (!p) {
      markPending(f, true);
      p = (async () => {
        const s = await this.settings.get(uri);
        const d = await explainDeep(f, {
          dir: path.dirname(uriToPath(uri) ?? ''), cache: this.cache, goCommand: s.goCommand, env: s.env,
          buildFlags: s.buildFlags, timeoutMs: s.timeoutSeconds * 1000,
        });
        if (d) {
          f.deep = d;
          this.log(`deep path of ${f.message} (${path.basename(f.file)}:${f.pos.line}): ${d.stop}, ${d.hops.length} calls, ${d.goRuns} go runs, ${d.ms} ms`);
        }
        return d;
      })().catch((e: unknown) => { this.log(`deep path of ${f.message}: ${(e as Error).message}`); return undefined; })
        .finally(() => markPending(f, false));
      this.running.set(f, p);
    }
    return p;
  }

  /**
   * For a hover: start the walks of the findings under `pos` and wait for them, at most `waitMs` or until
   * the editor cancels the hover (the pointer moved away). An editor cannot update a hover once shown, so
   * the hover waits for the path rather than showing a note that never changes; the editor shows the
   * problem's own text (and "Loading…") meanwhile.
   */
  async prepare(uri: string, findings: readonly Finding[], pos: Position, waitMs: number, cancelled?: { onCancellationRequested(f: () => void): unknown }): Promise<void> {
    const here = findings.filter((f) => contains(f.range, pos) && isDeepCandidate(f));
    if (here.length === 0 || !(await this.settings.get(uri)).deepPaths) return;
    const all = Promise.all(here.map((f) => this.explain(uri, f)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => { timer = setTimeout(r, waitMs); cancelled?.onCancellationRequested(r); })]);
    clearTimeout(timer);
  }

  /** The graph of the most relevant finding under `pos`, its path followed first. */
  async graph(uri: string, findings: readonly Finding[], pos: Position): Promise<FlowGraph | undefined> {
    // Allocations before parameter summaries, then by tier: the finding the user most likely means.
    const rank = (f: Finding): number => (f.allocates ? 0 : 10) + (f.tier === 'L1' ? 0 : f.tier === 'L2' ? 1 : 2);
    const here = findings.filter((f) => contains(f.range, pos) && f.tier).sort((a, b) => rank(a) - rank(b));
    const f = here.find(isDeepCandidate) ?? here.find((x) => x.flow.length > 0) ?? here[0];
    if (!f) return undefined;
    await this.explain(uri, f);
    return buildGraph(f, f.deep);
  }
}
