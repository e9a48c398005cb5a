// npm run bench (deep part): the cost of following a path into its callees' packages. "First": a fresh
// in-memory cache, so `go list` and one go command per dependency package run (the go build cache replays
// their -m=2 output after the first ever run on the machine). "Cached": the same explanation again, all
// from the in-memory cache (no go command).
import * as path from 'node:path';
import { analyzePackage } from '../core/analysis/analyzePackage';
import { DeepCache } from '../core/deep/cache';
import { explainDeep } from '../core/deep/walk';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { median } from './stats';

export async function benchDeep(repo: string): Promise<void> {
  const dir = path.join(repo, 'fixtures', 'deep', 'app');
  const r = await analyzePackage({ dir, sources: new SourceCache(await loadGoParser()) });
  const cases = [
    { name: 'fmt.Println(n)', message: 'n escapes to heap' },
    { name: 'json.Unmarshal(b, &c)', message: 'moved to heap: c' },
    { name: 'store.Keep(&x) (same module)', message: 'moved to heap: x' },
    { name: 'store.Hand(s, &y) (interface call, implementations)', message: 'moved to heap: y' },
  ];
  console.log('deep paths (fixtures/deep/app):');
  for (const c of cases) {
    const f = r.findings.find((x) => x.message === c.message)!;
    await explainDeep(f, { dir, cache: new DeepCache() }); // the go build cache has the outputs from here on
    const first: number[] = [];
    const cached: number[] = [];
    let runs = 0;
    for (let i = 0; i < 5; i++) {
      const cache = new DeepCache();
      const t0 = performance.now();
      const d = await explainDeep(f, { dir, cache });
      first.push(performance.now() - t0);
      runs = d!.goRuns;
      for (let j = 0; j < 4; j++) {
        const t1 = performance.now();
        await explainDeep(f, { dir, cache });
        cached.push(performance.now() - t1);
      }
    }
    console.log(`  ${c.name}: first ${median(first).toFixed(0)} ms (${runs} go commands, build-cache replay), cached ${median(cached).toFixed(1)} ms (medians)`);
  }
}
