// Dev tool: analyses std packages and the real-code corpus and prints, per package, the figures issue 7
// asks for, plus samples of each suspicious kind. `node out/scripts/audit.js [importPath...]`.
import * as path from 'node:path';
import { analyzePackage } from '../core/analysis/analyzePackage';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import { CORPUS, CORPUS_DIR } from '../test/helpers/corpus';
import { GOROOT } from '../test/helpers/goEnv';
import { auditFindings } from '../test/helpers/audit';

const STD = ['net/http', 'encoding/json', 'fmt', 'text/template', 'go/parser'];

async function main(): Promise<void> {
  const sources = new SourceCache(await loadGoParser());
  const pkgs = process.argv.slice(2);
  const list = pkgs.length ? pkgs : [...STD, ...CORPUS];
  const causes = new Map<string, number>();
  for (const p of list) {
    const std = STD.includes(p) || !p.includes('.');
    const r = await analyzePackage(std
      ? { dir: path.join(GOROOT, 'src', p), sources, all: true, timeoutMs: 600_000 }
      : { dir: CORPUS_DIR, packages: [p], sources, all: true, timeoutMs: 600_000 });
    const a = auditFindings(r);
    console.log(`${p}: ${a.line}`);
    for (const [k, v] of Object.entries(a.samples)) for (const s of v.slice(0, 8)) console.log(`   ${k}: ${s}`);
    for (const f of r.findings) causes.set(f.cause, (causes.get(f.cause) ?? 0) + 1);
  }
  console.log([...causes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', '));
}

void main();
