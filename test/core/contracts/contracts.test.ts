// Allocation contracts against the live compiler: //escape:noheap on functions, statements and
// variables, and gcassert's directives checked against gcassert itself (pinned, built from the module proxy).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { BCE_FLAG } from '../../../core/contracts/packageContracts';
import { REPO, tempDir } from '../../helpers/goEnv';
import { gcassertVerdicts, GCASSERT_LAST_WORKING_GO } from '../../helpers/gcassert';

const FIXTURE = path.join(REPO, 'fixtures/contracts');

async function analyse(pkg: string, extra: { gcflags?: string[] } = {}) {
  const sources = new SourceCache(await loadGoParser());
  return analyzePackage({ dir: path.join(FIXTURE, pkg), sources, ...extra });
}

describe('allocation contracts', () => {
  it('//escape:noheap on functions: direct allocation, through an inlined callee, clean, allowed causes', async () => {
    const r = await analyse('noheap');
    const c = r.contracts!;
    const broken = (fn: string) => c.violations.filter((v) => v.directive.target === fn);
    // Direct: the allocation in its own body, with the path to the heap and the directive to point back to.
    const [direct] = broken('Direct');
    assert.equal(broken('Direct').length, 1);
    assert.equal(direct.rule, 'noheap');
    assert.deepEqual(direct.range, { start: { line: 16, character: 8 }, end: { line: 16, character: 26 } });
    assert.equal(direct.finding!.message, '&Point{...} escapes to heap');
    assert.match(direct.message, /^Contract broken \(\/\/escape:noheap\): Direct must not allocate, but &Point\{\.\.\.\} escapes to heap — .+, L\d /);
    assert.ok(direct.path.length > 0, 'the path that broke it');
    assert.deepEqual(direct.directive.range, { start: { line: 14, character: 0 }, end: { line: 14, character: 15 } });
    // ViaInlined: newPoint's allocation inlined into it, reported at the call inside its body.
    const via = broken('ViaInlined');
    assert.equal(via.length, 1);
    assert.equal(via[0].range.start.line, 23);
    assert.equal(via[0].finding!.function, 'ViaInlined');
    assert.ok(via[0].path.some((s) => s.where === 'last = p'), via[0].path.map((s) => s.where).join(' | '));
    // The same inlined constructor whose result stays on the stack: no violation.
    assert.deepEqual(broken('Clean'), []);
    // allow=interface-conversion excuses the boxing of n; what fmt.Sprint itself allocates (its printer,
    // the string it returns) is read from the compiled code and is not excused.
    assert.ok(broken('Allowed').length > 0, 'fmt.Sprint allocates');
    assert.ok(broken('Allowed').every((v) => !v.finding && /it calls fmt\.Sprint/.test(v.message)), broken('Allowed').map((v) => v.message).join('\n'));
    assert.deepEqual(broken('Leaks'), [], 'leaking param is a parameter summary, not an allocation');
    assert.ok(r.findings.some((f) => f.function === 'Leaks' && f.kind === 'leaking-param'));
  });

  it('//escape:noheap on statements and variables; misplaced, empty and unknown-cause directives are warnings', async () => {
    const c = (await analyse('noheap')).contracts!;
    const lines = c.violations.filter((v) => v.directive.scope !== 'function');
    assert.deepEqual(lines.map((v) => [v.range.start.line + 1, v.directive.scope, v.directive.target, v.finding!.message]), [
      [53, 'variable', 'a', 'make([]int, n) escapes to heap'],
      [54, 'variable', 'b', 'moved to heap: b'],
    ]);
    assert.match(lines[1].message, /b must stay on the stack, but moved to heap: b/);
    // `buf := make([]int, 8) //escape:noheap` stays on the stack: a directive, no violation.
    assert.ok(c.directives.some((d) => d.scope === 'variable' && d.target === 'buf'));
    assert.deepEqual(c.problems.map((p) => [p.range.start.line + 1, p.message]), [
      [60, '//escape:noheap: unknown cause "no-such-cause" in allow= (see the cause table)'],
      [63, '//escape:noheap is misplaced: package-level declarations never live on the stack; use it on a function, a statement or a local variable'],
      [68, '//escape:noheap names nothing: put it in a function\'s doc comment, above a statement or at the end of its line'],
    ]);
    assert.deepEqual(c.problems[0].range, { start: { line: 59, character: 22 }, end: { line: 59, character: 35 } });
  });

  it('//escape:noheap reads the export files the build itself named: one go list, no second one after it', async () => {
    const dir = tempDir('gel-gowrap-');
    const log = path.join(dir, 'args');
    const wrapper = path.join(dir, 'go');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(realGo())} "$@"\n`, { mode: 0o755 });
    const sources = new SourceCache(await loadGoParser());
    const r = await analyzePackage({ dir: path.join(FIXTURE, 'noheap'), sources, goCommand: wrapper });
    assert.ok(r.contracts!.violations.some((v) => v.directive.target === 'Allowed' && /it calls fmt\.Sprint/.test(v.message)), 'the compiled code was read');
    // The type checker lists the imports' export files too (`list -e -export -f …`), without -deps.
    const lists = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('list ') && l.includes(' -deps '));
    assert.deepEqual(lists.map((l) => l.split(' ').slice(0, 4).join(' ')), ['list -export -deps -f'], lists.join('\n'));
  });

  it('adds the bounds-check flag only to packages with a gcassert:bce directive', async () => {
    const bce = await analyse('gcassert');
    assert.ok(bce.args.some((a) => a.startsWith('-gcflags=') && a.includes(BCE_FLAG)), bce.args.join(' '));
    const none = await analyse('noheap');
    assert.ok(!none.args.some((a) => a.includes('check_bce')), none.args.join(' '));
  });

  it('gcassert directives give the same verdicts as gcassert itself (pinned)', async function () {
    const pkg = path.join(FIXTURE, 'gcassert');
    const r = await analyse('gcassert');
    const c = r.contracts!;
    const ours = [
      ...c.violations.map((v) => `${path.basename(v.file)}:${v.range.start.line + 1}: ${verdictOf(v.rule, v.message)}`),
      ...c.problems.map((p) => `${path.basename(p.file)}:${(p.appliesTo ?? p.range.start.line) + 1}: ${p.message.replace(/^gcassert: /, '')}`),
    ];
    // gcassert reads `escapes to heap:` headers, which Go 1.24 changed to `escapes to heap in F:`: its
    // noescape checks work with the last Go before that, its other checks with the Go under test.
    const current = await gcassertVerdicts(pkg);
    const before124 = await gcassertVerdicts(pkg, GCASSERT_LAST_WORKING_GO);
    assert.deepEqual(uniq(ours), uniq([...current.filter((v) => !v.includes('escapes to heap')), ...before124.filter((v) => v.includes('escapes to heap'))]));
    assert.ok(before124.filter((v) => v.includes('escapes to heap')).length >= 3, before124.join('\n'));
    assert.ok(ours.some((v) => v.includes('Found IsInBounds')) && ours.some((v) => v.includes('call was not inlined')));
  });
});

function verdictOf(rule: string, message: string): string {
  if (rule === 'gcassert-noescape') return `${/\): (.+?) escapes to heap/.exec(message)![1]} escapes to heap:`;
  if (rule === 'gcassert-bce') return /\((Found \w+)\)/.exec(message)![1];
  return 'call was not inlined';
}

function uniq(a: string[]): string[] {
  return [...new Set(a)].sort();
}

function realGo(): string {
  return path.join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'bin', 'go');
}
