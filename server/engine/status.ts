// The status bar's data: a package's state and, per open file, the counts the Problems panel (squiggles)
// and the Escapes view (every finding) show. A status goes out at every state change, so the counts are
// made once per presentation and set of open files.
import type { Presentation } from '../../core/present/present';
import type { StatusState } from '../protocol';
import { toPath, type EngineHost } from './host';
import type { PackageState, Packages } from './packages';

export interface FileCounts { heap: number; hints: number; findings: number; suppressed: number }

export interface StatusCounts {
  /** By file path of each open document. */
  byFile: Map<string, FileCounts>;
  packageSquiggles: number;
  packageFindings: number;
}

/** One pass over the presentation's items: the package's totals and the counts of each file in `files`. */
export function statusCounts(presentation: Presentation | undefined, files: readonly string[]): StatusCounts {
  const byFile = new Map<string, FileCounts>();
  for (const f of files) byFile.set(f, { heap: 0, hints: 0, findings: 0, suppressed: 0 });
  let packageSquiggles = 0;
  let packageFindings = 0;
  for (const i of presentation?.items ?? []) {
    if (i.display === 'squiggle') packageSquiggles++;
    packageFindings += i.members.length;
    const c = byFile.get(i.finding.file);
    if (!c) continue;
    if (i.display === 'squiggle') c.heap++;
    if (i.display === 'hint') c.hints++;
    c.findings += i.members.length;
    if (i.finding.suppressed !== undefined) c.suppressed++;
  }
  return { byFile, packageSquiggles, packageFindings };
}

export class Status {
  /** The last counts, kept while the presentation and the open files stay the same. */
  private last?: { presentation?: Presentation; uris: string; counts: StatusCounts };

  constructor(private readonly host: EngineHost, private readonly packages: Packages) {}

  set(pkg: PackageState, state: StatusState, message?: string): void {
    pkg.state = state;
    pkg.message = message;
    this.send(pkg);
  }

  send(pkg: PackageState): void {
    const uris = this.packages.openIn(pkg.dir).map((d) => d.uri);
    const { byFile, packageSquiggles, packageFindings } = this.counts(pkg.presentation, uris);
    const heap: Record<string, number> = {};
    const hints: Record<string, number> = {};
    const findings: Record<string, number> = {};
    const suppressed: Record<string, number> = {};
    for (const uri of uris) {
      const c = byFile.get(toPath(uri)!)!;
      heap[uri] = c.heap;
      hints[uri] = c.hints;
      findings[uri] = c.findings;
      suppressed[uri] = c.suppressed;
    }
    this.host.status({
      dir: pkg.dir, uris, state: pkg.state, heap, hints, findings, suppressed, message: pkg.message, runs: pkg.runs, running: pkg.running,
      fixes: pkg.fixes ? pkg.fixes.byTarget.size : undefined,
      packageSquiggles,
      packageFindings,
      wholePackage: !!pkg.whole,
      stale: !!pkg.stale,
      ...(pkg.downloading ? { downloading: pkg.downloading } : {}),
    });
  }

  private counts(presentation: Presentation | undefined, uris: string[]): StatusCounts {
    const key = uris.join('\n');
    if (this.last && this.last.presentation === presentation && this.last.uris === key) return this.last.counts;
    const counts = statusCounts(presentation, uris.map((u) => toPath(u)!));
    this.last = { presentation, uris: key, counts };
    return counts;
  }
}
