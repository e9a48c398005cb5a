// Fix candidates from the source and the real compiler's findings: fmt boxing (a probe for the compiler),
// sentinel errors, loop-variable copies under Go 1.21; the strconv rewrites; suppression edits.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { fixCandidates, strconvFor, suppressions } from '../../../core/fixes/candidates';
import { applyEdits } from '../../../core/fixes/model';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { FIXABLE, fixableModule } from '../../helpers/fixModule';

describe('fixes/candidates', function () {
  this.timeout(300_000);
  let parser: GoParser;
  let file: string;
  let src: GoSource;
  let findings: Finding[];
  before(async () => {
    parser = await loadGoParser();
    const dir = fixableModule();
    file = path.join(dir, 'a.go');
    const r = await analyzePackage({ dir, sources: new SourceCache(parser) });
    assert.deepEqual(r.errors, []);
    findings = r.findings;
    src = new GoSource(file, FIXABLE, parser);
  });
  const find = (message: string) => {
    const f = findings.find((x) => x.message === message);
    assert.ok(f, `no finding "${message}" in ${findings.map((x) => x.message).join(' | ')}`);
    return f;
  };

  it('proposes one candidate per fixable finding, with the compiler position as target', () => {
    const got = fixCandidates(src, findings, { goMinor: 21, packageText: FIXABLE });
    const byKind = new Map(got.map((c) => [c.kind, c]));
    assert.deepEqual([...byKind.keys()].sort(), ['fmt-boxing', 'loop-var-copy', 'sentinel-error']);
    assert.equal(got.length, 3);

    const box = byKind.get('fmt-boxing')!;
    const n = find('n escapes to heap');
    assert.equal(box.target, `${file}:${n.pos.line}:${n.pos.col}:n escapes to heap`);
    assert.deepEqual(box.edits, [], 'the rewrite waits for the compiler to tell the type');
    assert.equal(FIXABLE.slice(box.probe!.values[0].start, box.probe!.values[0].end), 'n');
    assert.equal(FIXABLE.slice(box.probe!.call.start, box.probe!.call.end), 'fmt.Sprint(n)');
    assert.equal(box.probe!.values[0].verb, '%v');

    const sentinel = byKind.get('sentinel-error')!;
    assert.match(sentinel.title, /^Hoist to var errKeyNotFound /);
    assert.equal(applyEdits(FIXABLE, sentinel.edits).includes(
      'var errKeyNotFound = errors.New("key not found")\n\nfunc Find(k string) error {\n\tif k == "" {\n\t\treturn errKeyNotFound\n'), true);
    assert.deepEqual(sentinel.addImports, []);

    const loop = byKind.get('loop-var-copy')!;
    assert.equal(loop.target.endsWith(':moved to heap: i'), true);
    assert.equal(applyEdits(FIXABLE, loop.edits).includes('for i := 0; i < 3; i++ {\n\t\ti := i\n\t\tsink = append('), true);
  });

  it('offers no loop copy from Go 1.22 on, nor without a go line, and skips suppressed findings', () => {
    for (const goMinor of [22, 24, undefined]) {
      assert.deepEqual(fixCandidates(src, findings, { goMinor, packageText: FIXABLE }).map((c) => c.kind).sort(), ['fmt-boxing', 'sentinel-error']);
    }
    const hidden = findings.map((f) => ({ ...f, suppressed: 'known' }));
    assert.deepEqual(fixCandidates(src, hidden, { goMinor: 21, packageText: FIXABLE }), []);
    const otherFile = findings.map((f) => ({ ...f, file: '/elsewhere/a.go' }));
    assert.deepEqual(fixCandidates(src, otherFile, { goMinor: 21, packageText: FIXABLE }), []);
  });

  it('names the sentinel so that it does not clash with the package’s identifiers', () => {
    const c = fixCandidates(src, findings, { goMinor: 22, packageText: FIXABLE + '\nvar errKeyNotFound, errKeyNotFound2 = 1, 2\n' });
    assert.match(c.find((x) => x.kind === 'sentinel-error')!.title, /^Hoist to var errKeyNotFound3 /);
  });

  it('rewrites printed integers, bools and strings with strconv, and nothing inexact', () => {
    assert.deepEqual(strconvFor('int', '%d', 'n'), { text: 'strconv.Itoa(n)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('int', '%x', 'n'), { text: 'strconv.FormatInt(int64(n), 16)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('int64', '%v', 'x.N'), { text: 'strconv.FormatInt(x.N, 10)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('int32', '%d', 'a + b'), { text: 'strconv.FormatInt(int64((a + b)), 10)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('uint8', '%d', 'b'), { text: 'strconv.FormatUint(uint64(b), 10)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('uint64', '%x', 'u'), { text: 'strconv.FormatUint(u, 16)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('bool', '%t', 'ok'), { text: 'strconv.FormatBool(ok)', imports: ['strconv'] });
    assert.deepEqual(strconvFor('string', '%s', 's'), { text: 's', imports: [] });
    // %v of a rune prints the number; %s of an int, %t of a string and named types have no exact rewrite.
    assert.deepEqual(strconvFor('rune', '%v', 'r'), { text: 'strconv.FormatInt(int64(r), 10)', imports: ['strconv'] });
    assert.equal(strconvFor('int', '%s', 'n'), undefined);
    assert.equal(strconvFor('string', '%t', 's'), undefined);
    assert.equal(strconvFor('float64', '%v', 'f'), undefined);
    assert.equal(strconvFor('example.com/m.ID', '%d', 'id'), undefined);
  });

  it('suppresses at the end of a line without a comment, and in the function’s doc comment', () => {
    const n = find('n escapes to heap');
    const s = suppressions(src, n);
    assert.deepEqual(s.map((c) => c.kind), ['suppress-line', 'suppress-function']);
    assert.equal(applyEdits(FIXABLE, s[0].edits).split('\n')[8], '\treturn fmt.Sprint(n) //escape:ignore TODO: why this allocation is acceptable');
    const fn = applyEdits(FIXABLE, s[1].edits).split('\n');
    assert.deepEqual(fn.slice(7, 9), ['//escape:ignore TODO: why this allocation is acceptable', 'func Label(n int) string {']);
  });

  it('suppresses on the line above when the line already has a comment', () => {
    const text = FIXABLE.replace('return fmt.Sprint(n)', 'return fmt.Sprint(n) // label');
    const commented = new GoSource(file, text, parser);
    const n = find('n escapes to heap');
    const [line] = suppressions(commented, n);
    assert.equal(line.kind, 'suppress-line');
    assert.deepEqual(applyEdits(text, line.edits).split('\n').slice(8, 10),
      ['\t//escape:ignore TODO: why this allocation is acceptable', '\treturn fmt.Sprint(n) // label']);
  });
});
