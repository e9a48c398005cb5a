// //escape:noheap judged on the compiled code, against the runtime's truth: every case of
// fixtures/noheap-sound is run under testing.AllocsPerRun, and our verdict must say "allocates" exactly
// when the run allocates (0 allocs/op ↔ the contract holds), for the Go the tests run (CI: also go1.27.3).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compiledAllocations, pathToPrefix, rootsPattern, type CompiledAllocations } from '../../../core/compiled/compiledAllocations';
import { parseObjdump } from '../../../core/compiled/objdump';
import { neverReturns } from '../../../core/compiled/coldPaths';
import { allocatingCall } from '../../../core/compiled/runtimeAllocs';
import { sitesOf } from '../../../core/compiled/reach';
import { verdict, type AllocationSite } from '../../../core/model/allocations';
import { REPO } from '../../helpers/goEnv';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';

const FIXTURE = path.join(REPO, 'fixtures/noheap-sound');
const CASES = path.join(FIXTURE, 'cases');

/** Cases that call through an interface or a func value whose target allocates nothing: the option decides. */
const DYNAMIC = new Set(['InterfaceCall', 'FuncValueCall', 'MethodValueLocal', 'ClosureCapturesLocal', 'StackDefer']);
/**
 * Cases whose code calls an allocator that does not allocate in this run: a concatenation that fits the
 * compiler's stack buffer, an assignment to a key the map holds. "May allocate" breaks a sound contract.
 */
const MAY = new Set(['ConcatLocal', 'MapAssignExisting']);

async function runtimeTruth(): Promise<Map<string, number>> {
  const { stdout } = await promisify(execFile)('go', ['test', '-count=1', '-run', '^TestAllocs$', '-v', './cases/'], { cwd: FIXTURE, maxBuffer: 16 << 20 });
  return new Map([...stdout.matchAll(/^ALLOCS (\S+) (\S+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

const chainText = (s: AllocationSite): string => s.chain.map((c) => c.symbol.replace(/^.*\//, '')).join(' → ');

describe('allocation contracts: //escape:noheap on the compiled code (runtime truth)', () => {
  let truth: Map<string, number>;
  let compiled: CompiledAllocations;
  before(async () => {
    [truth, compiled] = await Promise.all([runtimeTruth(), compiledAllocations({ dir: CASES })]);
  });

  it('every case: allocates at run time ↔ the contract is broken (dynamic calls ignored)', () => {
    assert.ok(truth.size >= 30, `${truth.size} cases`);
    const table: string[] = [];
    const wrong: string[] = [];
    for (const [name, allocs] of truth) {
      const f = compiled.functions.get(name);
      assert.ok(f, `no compiled code for ${name}`);
      const { breaks } = verdict(f.sites, 'ignore');
      table.push(`${name}: ${allocs} allocs/op, ${breaks.length ? `broken (${breaks.map(chainText)[0]})` : 'holds'}`);
      if (MAY.has(name)) {
        assert.equal(allocs, 0, `${name}: expected to allocate nothing in this run`);
        assert.ok(breaks.length > 0 && breaks.every((s) => s.may), `${name}: only may-allocate sites break it`);
        continue;
      }
      if ((allocs > 0) !== (breaks.length > 0)) wrong.push(`${name}: ${allocs} allocs/op but ${breaks.length ? 'broken' : 'holds'}`);
    }
    assert.deepEqual(wrong, [], table.join('\n'));
  });

  it('through the analysis: the contract report breaks exactly the cases that allocate', async () => {
    const r = await analyzePackage({ dir: CASES, sources: new SourceCache(await loadGoParser()) });
    const c = r.contracts!;
    const wrong: string[] = [];
    for (const [name, allocs] of truth) {
      const broken = c.violations.filter((v) => v.directive.target === name);
      if (MAY.has(name) ? broken.length === 0 : (allocs > 0) !== (broken.length > 0)) wrong.push(`${name}: ${allocs} allocs/op, ${broken.length} violations`);
    }
    assert.deepEqual(wrong, []);
    // The directive's options: panics=include, dynamic=fail|warn, and a choice that does not exist.
    const of = (fn: string) => c.violations.filter((v) => v.directive.target === fn);
    assert.ok(of('PanicIncluded').length > 0 && of('PanicIncluded').every((v) => v.message.includes('(on a panic path)')));
    assert.deepEqual(of('DynamicFail').map((v) => v.message), ['Contract broken (//escape:noheap): DynamicFail must not allocate, but a call through an interface method or a func value may allocate (its target is not known)']);
    assert.deepEqual(of('DynamicWarn'), []);
    assert.ok(c.problems.some((p) => /DynamicWarn calls through an interface or a func value/.test(p.message)), c.problems.map((p) => p.message).join('\n'));
    assert.ok(c.problems.some((p) => p.message === '//escape:noheap: dynamic= takes fail, warn, ignore'));
    assert.deepEqual(of('BadOption'), []);
    const [upper] = c.violations.filter((v) => v.directive.target === 'ToUpper');
    assert.match(upper.message, /ToUpper must not allocate, but it calls strings\.ToUpper, where runtime\.\w+ \(\w+\.go:\d+\) .+ \(and \d+ more allocations through it\)$/);
    assert.equal(c.violations.filter((v) => v.directive.target === 'ToUpper').length, 1, 'one violation per call');
    assert.equal(upper.range.start.line + 1, 18);
  });

  it('interface-method and func-value calls: broken under dynamic=fail, a warning under warn', () => {
    for (const name of DYNAMIC) {
      const sites = compiled.functions.get(name)!.sites;
      assert.equal(truth.get(name), 0, name);
      const fail = verdict(sites, 'fail').breaks;
      assert.ok(fail.length > 0 && fail.every((s) => s.kind === 'dynamic'), name);
      assert.deepEqual(verdict(sites, 'warn'), { breaks: [], warns: fail }, name);
    }
  });

  it('the issue\'s three: append growth, a non-inlined std callee with its chain, a panic-only allocation', async () => {
    const grow = compiled.functions.get('AppendGrow')!.sites;
    assert.deepEqual(grow.map((s) => [s.callee, s.chain.length, path.basename(s.chain[0].at.file)]), [['runtime.growslice', 1, 'direct.go']]);
    const upper = verdict(compiled.functions.get('ToUpper')!.sites, 'ignore').breaks;
    assert.ok(upper.some((s) => chainText(s).startsWith('cases.ToUpper → strings.ToUpper → strings.Map')), upper.map(chainText).join('\n'));
    assert.equal(upper[0].chain[0].at.file, path.join(CASES, 'callees.go'));
    assert.deepEqual(compiled.functions.get('PanicOnly')!.sites, []);
    // Cold paths included on request: the panic's message is built on the heap.
    const cold = await compiledAllocations({ dir: CASES, functions: ['PanicOnly', 'PanicConcat'], includeCold: true });
    for (const name of ['PanicOnly', 'PanicConcat']) {
      const sites = cold.functions.get(name)!.sites;
      assert.ok(sites.length > 0 && sites.every((s) => s.cold), name);
    }
  });

  it('the cold-path criterion: only calls every way on from which ends in a call that never returns', () => {
    const text = [
      'TEXT p.F(SB) /m/p/p.go',
      '  p.go:3\t0x10\t\t00\t\tTESTQ AX, AX\t',
      '  p.go:3\t0x13\t\t00\t\tJL 0x20\t',
      '  p.go:4\t0x15\t\t00\t\tCALL 0x1a\t\t[1:5]R_CALL:runtime.newobject<1>\t',
      '  p.go:5\t0x1a\t\t00\t\tRET\t',
      '  p.go:6\t0x20\t\t00\t\tCALL 0x25\t\t[1:5]R_CALL:runtime.concatstring2<1>\t',
      '  p.go:6\t0x25\t\t00\t\tCALL 0x2a\t\t[1:5]R_CALL:runtime.gopanic<1>\t',
      'TEXT p.Loop(SB) /m/p/p.go',
      '  p.go:9\t0x40\t\t00\t\tCALL 0x45\t\t[1:5]R_CALL:runtime.makeslice<1>\t',
      '  p.go:9\t0x45\t\t00\t\tJMP 0x40\t',
      '  p.go:10\t0x47\t\t00\t\tCALL CX\t\t[0:0]R_CALLIND\t',
    ].join('\n');
    const fns = parseObjdump(text);
    assert.deepEqual(fns.get('p.F')!.calls.map((c) => [c.target, c.at.line, c.cold]), [
      ['runtime.newobject', 4, false], ['runtime.concatstring2', 6, true], ['runtime.gopanic', 6, true],
    ]);
    assert.equal(fns.get('p.F')!.calls[0].at.file, '/m/p/p.go');
    // An endless loop never returns, yet it is no panic path.
    assert.deepEqual(fns.get('p.Loop')!.calls.map((c) => [c.target, c.cold]), [['runtime.makeslice', false], [undefined, false]]);
    assert.ok(neverReturns('runtime.panicBounds') && neverReturns('runtime.goPanicIndex') && !neverReturns('runtime.panicCheck1'));
    assert.ok(!neverReturns('p.fail'));
  });

  it('the walk: chains through callees, cycles followed once, a depth limit reported, not hidden', () => {
    const fns = parseObjdump([
      'TEXT p.A(SB) /m/p/p.go', '  p.go:3\t0x10\t\t00\t\tCALL 0x15\t\t[1:5]R_CALL:p.B\t', '  p.go:3\t0x15\t\t00\t\tRET\t',
      'TEXT p.B(SB) /m/p/p.go', '  p.go:7\t0x20\t\t00\t\tCALL 0x25\t\t[1:5]R_CALL:p.A\t',
      '  p.go:8\t0x25\t\t00\t\tCALL 0x2a\t\t[1:5]R_CALL:runtime.newobject<1>\t', '  p.go:8\t0x2a\t\t00\t\tRET\t',
    ].join('\n'));
    const code = { functions: fns, packageOf: (s: string) => s.slice(0, s.indexOf('.')) };
    const sites = sitesOf('p.A', code, { includeCold: false, maxDepth: 8, maxSites: 10 });
    assert.deepEqual(sites.map((s) => [s.kind, s.callee, s.chain.map((c) => `${c.symbol}:${c.at.line}`)]), [['alloc', 'runtime.newobject', ['p.A:3', 'p.B:8']]]);
    const cut = sitesOf('p.A', code, { includeCold: false, maxDepth: 0, maxSites: 10 });
    assert.deepEqual(cut.map((s) => [s.kind, s.callee]), [['limit', 'p.B']]);
  });

  it('a command (package main): its functions are found under main.', async () => {
    const cmd = await compiledAllocations({ dir: path.join(FIXTURE, 'cmd'), functions: ['hot', 'format'] });
    assert.deepEqual(cmd.functions.get('hot')!.sites, []);
    assert.ok(verdict(cmd.functions.get('format')!.sites, 'ignore').breaks.some((s) => chainText(s).startsWith('main.format → fmt.Sprint')));
  });

  it('the runtime table and symbol names', () => {
    assert.ok(allocatingCall('runtime.growslice')?.may);
    assert.ok(allocatingCall('runtime.newobject') && !allocatingCall('runtime.newobject')!.may);
    assert.equal(allocatingCall('runtime.mapaccess1_faststr'), undefined);
    assert.equal(allocatingCall('runtime.slicebytetostringtmp'), undefined);
    assert.ok(allocatingCall('internal/bytealg.MakeNoZero'));
    assert.equal(pathToPrefix('gopkg.in/yaml.v3'), 'gopkg.in/yaml%2ev3');
    assert.equal(pathToPrefix('example.com/a.b/c'), 'example.com/a.b/c');
  });

  it('the functions under contract are disassembled first by a pattern that keeps their instances and closures', () => {
    const re = new RegExp(rootsPattern('example.com/m.', ['F', '(*T).M', 'U.N']));
    for (const s of ['example.com/m.F', 'example.com/m.F[go.shape.int]', 'example.com/m.F.func1', 'example.com/m.(*T).M',
      'example.com/m.(*T[go.shape.string]).M', 'example.com/m.U.N']) assert.ok(re.test(s), s);
    for (const s of ['example.com/m.FX', 'example.com/m.G', 'example.com/mm.F', 'example.com/m.(*TT).M']) assert.equal(re.test(s), false, s);
  });
});
