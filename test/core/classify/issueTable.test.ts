// Issue 22's table as regression tests, on fixtures/classify-issue22 compiled by the real compiler and
// analysed whole: append first, the call written at the range as inlinedFrom, generic copies as one
// finding, unsafe-pointer only for the operand itself, nothing unclassified. (The rules' own cases —
// returned before a dynamic call, the own box, fields vs method values, captured variables, func literals
// capturing nothing — are in rules.test.ts.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { HEAP_KINDS, type Finding } from '../../../core/model';
import { REPO } from '../../helpers/goEnv';

describe('classify: issue 22\'s table (fixtures/classify-issue22)', function () {
  this.timeout(300_000);
  let findings: Finding[];
  const of = (fn: string): Finding[] => findings.filter((f) => f.function?.replace(/^.*\./, '').replace(/\[.*\]$/, '') === fn);
  before(async () => {
    const sources = new SourceCache(await loadGoParser());
    const r = await analyzePackage({ dir: path.join(REPO, 'fixtures', 'classify-issue22'), sources, timeoutMs: 240_000 });
    assert.deepEqual(r.errors, []);
    findings = r.findings.filter((f) => HEAP_KINDS.has(f.kind));
  });

  it('an append whose result is returned is append, allocating only when the slice grows', () => {
    const f = of('AppendReturned').filter((x) => x.subject === 'append');
    assert.equal(f.length, 1);
    assert.equal(f[0].cause, 'append');
    assert.equal(f[0].allocatesIf, 'slice-grows');
  });

  it('inlinedFrom is the call written at the range', () => {
    const build = of('Build').filter((x) => x.inlinedFrom);
    assert.ok(build.length > 0);
    for (const f of build) assert.equal(f.inlinedFrom, 'strings.(*Builder).WriteString', f.message);
    const errf = of('Errf').filter((x) => x.subject.startsWith('&errors.errorString'));
    assert.equal(errf.length, 1);
    assert.equal(errf[0].inlinedFrom, 'fmt.Errorf');
  });

  it('generic copies at one range are one finding, in 2 instantiations with their type arguments', () => {
    const makes = findings.filter((f) => f.subject.startsWith('make([]go.shape.'));
    const ranges = new Set(makes.map((f) => `${f.range.start.line}:${f.range.start.character}`));
    assert.equal(makes.length, ranges.size, makes.map((f) => f.message).join('\n'));
    const inUse = makes.find((f) => f.instantiations);
    assert.ok(inUse, makes.map((f) => f.message).join('\n'));
    assert.deepEqual(inUse.instantiations, { count: 2, typeArgs: ['int', 'string'] });
    assert.match(inUse.message, /^make\(\[\]T, n\) escapes to heap \(in 2 instantiations\)$/);
    for (const f of findings) assert.doesNotMatch(f.message, /go\.shape\.|<node /, f.message);
  });

  it('unsafe-pointer only when the value itself is the operand of unsafe.Pointer', () => {
    const f = of('NotOperand').filter((x) => x.subject === '&header{...}');
    assert.equal(f.length, 1);
    assert.equal(f[0].cause, 'stored-in-heap');
    assert.ok(findings.every((x) => x.cause !== 'unsafe-pointer'));
  });

  it('a parameter that leaks to a result keeps the flow to that result, not its content\'s to the heap', () => {
    const toResult = of('Grow').find((f) => f.kind === 'leaking-param-result');
    const content = of('Grow').find((f) => f.kind === 'leaking-param-content');
    assert.ok(toResult && content);
    assert.ok(toResult.flow.length > 0);
    assert.ok(toResult.flow.every((s) => s.edge.startsWith('~r0') || s.edge.startsWith('{temp}')), toResult.flow.map((s) => s.edge).join('; '));
    assert.ok(toResult.flow.some((s) => s.why === 'return'));
    assert.ok(content.flow.some((s) => s.why === 'appendee slice'));
  });

  it('a method value\'s receiver leak keeps the compiler\'s edges', () => {
    const leak = of('MethodValue').find((f) => f.kind === 'leaking-param');
    assert.ok(leak);
    assert.deepEqual(leak.flow.map((s) => s.edge), ['{temp} ← s', '{storage for s.Get} ← {temp}']);
    assert.equal(of('MethodValue').find((f) => f.subject === 's.Get')?.cause, 'method-value');
  });

  it('nothing is unclassified', () => {
    assert.deepEqual(findings.filter((f) => f.cause === 'unclassified').map((f) => f.message), []);
  });
});
