// Dev tool: lists the unclassified findings of a saved -m=2 log with their flows, to grow the cause rules.
// node out/scripts/unclassified.js LOG PKGDIR
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { analyzeOutput } from '../core/analysis/analyze';
import { parseOutput } from '../core/parse/parse';
import * as fs from 'node:fs';
(async () => {
  const parser = await loadGoParser();
  const [log, cwd] = process.argv.slice(2);
  const out = fs.readFileSync(log,'utf8');
  const r = analyzeOutput(out, { cwd, sources: new SourceCache(parser) });
  const recs = parseOutput(out).records;
  const un = r.findings.filter(f => f.cause === 'unclassified');
  for (const f of un.slice(0, 12)) {
    const rec = recs.find(x => x.pos.line===f.pos.line && x.pos.col===f.pos.col && x.message===f.message)!;
    console.log('==', f.message, f.pos.path, f.pos.line);
    for (const e of rec.explanations) { console.log('  block', e.kind, e.to); for (const fl of e.flows) { console.log('   flow', fl.dst, '<-', fl.src); for (const s of fl.steps) console.log('      ', s.where, '|', s.why); } }
  }
  const c: Record<string, number> = {}; for (const f of un) c[f.kind]=(c[f.kind]??0)+1; console.log(c);
})();
