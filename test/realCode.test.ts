// Real code from GOROOT: every heap finding classified (at most 1% unclassified) and located exactly.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage, type PackageAnalysis } from '../core/analyzePackage';
import { loadGoParser } from '../core/locate/goParser';
import { keysFor } from '../core/locate/goSource';
import { SourceCache } from '../core/locate/sourceCache';
import { HEAP_KINDS, type Finding } from '../core/model';
import { posKey } from '../core/parse/lines';
import { GOROOT } from './helpers/goEnv';
import { rangeText } from './helpers/text';

const PACKAGES = ['net/http', 'encoding/json', 'fmt', 'text/template', 'go/parser'];
const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

describe('real code from GOROOT', function () {
  let sources: SourceCache;
  before(async () => { sources = new SourceCache(await loadGoParser()); });

  for (const pkg of PACKAGES) {
    describe(pkg, () => {
      let r: PackageAnalysis;
      before(async () => {
        r = await analyzePackage({ dir: path.join(GOROOT, 'src', pkg), sources, all: true, timeoutMs: 600_000 });
        assert.deepEqual(r.errors, []);
      });

      it('classifies at least 99% of heap findings', () => {
        const heap = r.findings.filter((f) => HEAP_KINDS.has(f.kind));
        const unclassified = heap.filter((f) => f.cause === 'unclassified');
        console.log(`        ${pkg}: ${heap.length} heap findings, ${unclassified.length} unclassified`);
        assert.ok(heap.length > 20);
        assert.ok(unclassified.length <= heap.length / 100,
          `unclassified: ${unclassified.slice(0, 10).map((f) => `${f.message} @${f.pos.line}`).join('; ')}`);
      });

      it('spans exactly what each finding names, or says it could not', () => {
        const inlined = new Set(r.findings.filter((f) => f.kind === 'inlining-call').map((f) => posKey(f.pos)));
        const located = r.findings.filter((f) => HEAP_KINDS.has(f.kind) && f.file.endsWith('.go'));
        const exact = located.filter((f) => f.exact);
        console.log(`        ${pkg}: ${exact.length}/${located.length} heap findings located exactly (the rest are in code inlined at a call, which gets the call's range)`);
        const wrong: string[] = [];
        let rewritten = 0;
        for (const f of located) {
          const text = rangeText(f);
          if (!f.exact) {
            // Only code the compiler inlined here, or a compiler temporary or state variable, has no source text.
            if (!inlined.has(posKey(f.pos)) && !/~|autotmp|#/.test(f.subject)) wrong.push(`approximate: ${show(f)}`);
          } else if (IDENT.test(f.subject) && f.subject !== 'append') {
            if (text !== f.subject) wrong.push(show(f));
          } else if (f.subject === 'func literal') {
            if (!/^(func|for)\b/.test(text)) wrong.push(show(f));
          } else if (f.subject === '... argument') {
            if (!/\)$/.test(text)) wrong.push(show(f));
          } else if (!keysFor(f.subject).some((k) => text.replace(/\s+/g, '').startsWith(k))) {
            // The compiler printed its own rewrite (a folded constant, `(*T).M(x)`): the range must at least
            // be one whole expression around the compiler's point.
            if (!coversPoint(f)) wrong.push(`rewritten, not around the point: ${show(f)}`);
            rewritten++;
          }
        }
        console.log(`        ${pkg}: ${rewritten} exact ranges of expressions the compiler printed rewritten`);
        assert.deepEqual(wrong, []);
      });
    });
  }
});

function coversPoint(f: Finding): boolean {
  const { start, end } = f.range;
  const line = f.pos.line - 1;
  return start.line <= line && end.line >= line && (start.line < line || start.character <= (f.pos.col ?? 1) - 1);
}

function show(f: Finding): string {
  return `${path.basename(f.file)}:${f.pos.line}:${f.pos.col} "${f.message}" → "${rangeText(f)}"`;
}
