// The parser on every form compiler-output.md lists, with inline output in each version's wording.
import * as assert from 'node:assert/strict';
import { parseOutput } from '../../../core/parse/parse';
import { splitPositioned } from '../../../core/parse/lines';

describe('parseOutput', () => {
  it('groups a Go 1.26 -m=2 block (← arrows, "in F") with its summary line', () => {
    const out = [
      '# example.com/t1',
      './a.go:16:2: x escapes to heap in Addr:',
      './a.go:16:2:   flow: ~r0 ← &x:',
      './a.go:16:2:     from &x (address-of) at ./a.go:17:9',
      './a.go:16:2:     from return &x (return) at ./a.go:17:2',
      './a.go:16:2: moved to heap: x',
    ].join('\n');
    const { records, errors, packages } = parseOutput(out);
    assert.deepEqual(errors, []);
    assert.deepEqual(packages, ['example.com/t1']);
    assert.equal(records.length, 1);
    const r = records[0];
    assert.equal(r.kind, 'moved-to-heap');
    assert.equal(r.subject, 'x');
    assert.equal(r.pkg, 'example.com/t1');
    assert.deepEqual(r.pos, { path: './a.go', line: 16, col: 2 });
    assert.equal(r.explanations.length, 1);
    const e = r.explanations[0];
    assert.equal(e.function, 'Addr');
    assert.deepEqual(e.flows, [{ dst: '~r0', src: '&x', steps: [
      { where: '&x', why: 'address-of', at: { path: './a.go', line: 17, col: 9 } },
      { where: 'return &x', why: 'return', at: { path: './a.go', line: 17, col: 2 } },
    ] }]);
  });

  it('reads a load error go list prints with its package first as go build prints it', () => {
    const out = 'go: downloading example.com/x v1.0.0\nexample.com/x: p.go:3:8: module lookup disabled by GOPROXY=off\n';
    const { errors } = parseOutput(out, { exitCode: 1 });
    assert.deepEqual(errors.map((e) => [e.pos?.path, e.pos?.line, e.pos?.col, e.message]), [['p.go', 3, 8, 'module lookup disabled by GOPROXY=off']]);
    // In a build that succeeded nothing is an error, and escape lines are never rewritten.
    assert.deepEqual(parseOutput('./a.go:3:2: moved to heap: x\n').records.map((r) => r.pos.path), ['./a.go']);
  });

  it('reads Go ≤1.23 blocks (= arrows, no function) and leak headers with derefs', () => {
    const out = [
      './escape2.go:29:11: parameter x leaks to ~r0 with derefs=0:',
      './escape2.go:29:11:   flow: ~r0 = &x:',
      './escape2.go:29:11:     from &x (address-of) at ./escape2.go:30:9',
      './escape2.go:29:11: x escapes to heap:',
      './escape2.go:29:11:   flow: ~r0 = &x:',
      './escape2.go:29:11:     from &x (address-of) at ./escape2.go:30:9',
      './escape2.go:29:11: moved to heap: x',
      './escape2.go:35:12: parameter t leaks to {heap} with derefs=1:',
      './escape2.go:35:12:   flow: {heap} = *t:',
      './escape2.go:35:12:     from *t = t (assign) at ./escape2.go:36:5',
      './escape2.go:35:12: leaking param content: t',
    ].join('\n');
    const { records } = parseOutput(out);
    assert.deepEqual(records.map((r) => [r.kind, r.subject, r.explanations.map((e) => e.kind)]), [
      ['moved-to-heap', 'x', ['leak', 'escape']],
      ['leaking-param-content', 't', ['leak']],
    ]);
    assert.equal(records[1].explanations[0].derefs, 1);
    assert.equal(records[1].explanations[0].flows[0].src, '*t');
  });

  it('attaches blocks to the right summary when output is interleaved and unsorted', () => {
    const out = [
      './a.go:30:27: x escapes to heap in Box2:',
      './a.go:30:27:   flow: {heap} ← {storage for ... argument}:',
      './a.go:30:30: a + b escapes to heap in Box2:',
      './a.go:30:30:   flow: ~r0 ← &{storage for a + b}:',
      './a.go:30:20: ... argument does not escape',
      './a.go:30:27: x escapes to heap',
      './a.go:30:30: a + b escapes to heap',
    ].join('\n');
    const { records } = parseOutput(out);
    assert.deepEqual(records.map((r) => [r.subject, r.explanations.length]), [['... argument', 0], ['x', 1], ['a + b', 1]]);
    assert.equal(records[2].explanations[0].flows[0].dst, '~r0');
  });

  it('merges duplicated lines and repeated blocks (generic instantiations printed twice)', () => {
    const block = ['./g.go:5:9: &T{...} escapes to heap:', './g.go:5:9:   flow: ~r0 = &{storage for &T{...}}:'];
    const out = [...block, './g.go:5:9: &T{...} escapes to heap', ...block, './g.go:5:9: &T{...} escapes to heap'].join('\n');
    const { records } = parseOutput(out);
    assert.equal(records.length, 1);
    assert.equal(records[0].explanations.length, 1);
  });

  it('merges repeated blocks of a record with 10,000 explanations in one pass over them', function () {
    // Each block differs from the others by the lines of its steps; block 5,000 is printed twice.
    // Compared pairwise, the blocks of one record cost minutes here, past this limit; by a key, moments.
    this.timeout(60_000);
    const n = 10_000;
    const lines: string[] = [];
    const block = (i: number) => {
      lines.push('./big.go:3:2: x escapes to heap in F:');
      lines.push('./big.go:3:2:   flow: {heap} ← &x:');
      lines.push(`./big.go:3:2:     from &x (address-of) at ./big.go:${i + 10}:9`);
      lines.push(`./big.go:3:2:     from f(&x) (call parameter) at ./big.go:${i + 10}:3`);
      lines.push('./big.go:3:2:   flow: {heap} ← y:');
      lines.push(`./big.go:3:2:     from y := &x (assign) at ./big.go:${i + 11}:4`);
      lines.push(`./big.go:3:2:     from g(y) (call parameter) at ./big.go:${i + 12}:3`);
    };
    for (let i = 0; i < n; i++) block(i);
    block(5_000);
    lines.push('./big.go:3:2: moved to heap: x');
    const { records } = parseOutput(lines.join('\n'));
    assert.equal(records.length, 1);
    const got = records[0].explanations;
    assert.equal(got.length, n);
    // In the order read, the repeat merged into its first reading.
    assert.deepEqual(got.map((e) => e.flows[0].steps[0].at.line), Array.from({ length: n }, (_, i) => i + 10));
  });

  it('knows every summary template', () => {
    const lines: [string, string, string][] = [
      ['leaking param: p to result ~r0 level=0', 'leaking-param-result', 'p'],
      ['leaking param: p', 'leaking-param', 'p'],
      ['new(int) does not escape', 'does-not-escape', 'new(int)'],
      ['assuming p is unsafe uintptr', 'uintptr', 'p'],
      ['marking p as escaping uintptr', 'uintptr', 'p'],
      ['marking p as escaping ...uintptr', 'uintptr', 'p'],
      ['Loop capturing by ref: i (addr=false assign=true width=8)', 'capture', 'i'],
      ['(*S).f ignoring self-assignment in s.buf = s.buf[1:]', 'self-assignment', 's.buf = s.buf[1:]'],
      ['zero-copy string->[]byte conversion', 'zero-copy', 'string->[]byte'],
      ['can inline F with cost 5 as: func() { }', 'can-inline', 'F'],
      ['can inline (*T).Get', 'can-inline', '(*T).Get'],
      ['cannot inline Loop: unhandled op GO', 'cannot-inline', 'Loop'],
      ['inlining call to fmt.Println', 'inlining-call', 'fmt.Println'],
      ['devirtualizing i.M to T', 'devirtualized', 'i.M'],
      ['partially devirtualizing i.M to T', 'devirtualized', 'i.M'],
      ['index bounds check elided', 'bounds-check', ''],
      ['append escapes to heap', 'escapes', 'append'],
      ['func literal does not escape', 'does-not-escape', 'func literal'],
    ];
    const out = lines.map(([m], i) => `./a.go:${i + 1}:3: ${m}`).join('\n');
    const { records, unknown } = parseOutput(out);
    assert.equal(unknown, 0);
    assert.deepEqual(records.map((r) => [r.message, r.kind, r.subject]), lines);
  });

  it('reads paths as printed: absolute, relative, //line names, <autogenerated> without column, _testmain.go', () => {
    const out = [
      '/home/u/p/a.go:1:2: moved to heap: a',
      '../p/b.go:3:4: moved to heap: b',
      'gen.tmpl:100: moved to heap: c',
      '<autogenerated>:1: inlining call to (*T).Get',
      '_testmain.go:37:6: can inline init.0',
      'C:\\work\\p\\w.go:5:6: moved to heap: w',
    ].join('\n');
    const { records } = parseOutput(out);
    assert.deepEqual(records.map((r) => r.pos), [
      { path: '/home/u/p/a.go', line: 1, col: 2 },
      { path: '../p/b.go', line: 3, col: 4 },
      { path: 'gen.tmpl', line: 100 },
      { path: '<autogenerated>', line: 1 },
      { path: '_testmain.go', line: 37, col: 6 },
      { path: 'C:\\work\\p\\w.go', line: 5, col: 6 },
    ]);
  });

  it('keeps compile errors apart, with their continuation lines, when the build failed', () => {
    const out = [
      '# example.com/broken',
      './a.go:3:2: undefined: x',
      './a.go:7:9: cannot use s (variable of type string) as int value in return statement',
      './a.go:9:4: too many arguments in call to f',
      '\thave (number, number)',
      '\twant (int)',
    ].join('\n');
    const { records, errors } = parseOutput(out, { exitCode: 1 });
    assert.deepEqual(records, []);
    assert.equal(errors.length, 3);
    assert.equal(errors[0].message, 'undefined: x');
    assert.equal(errors[2].message, 'too many arguments in call to f\nhave (number, number)\nwant (int)');
  });

  it('keeps go-command errors that have no position', () => {
    const { errors } = parseOutput('go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)\n', { exitCode: 1 });
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /go\.mod requires/);
  });

  it('counts lines of a successful build that match no template, never drops them', () => {
    const { records, unknown } = parseOutput('./a.go:1:1: some future message\n');
    assert.equal(unknown, 1);
    assert.equal(records[0].kind, 'other');
  });

  it('marks explanations truncated by assignment cycles', () => {
    const out = [
      './a.go:4:2: x escapes to heap:',
      './a.go:4:2:   warning: truncated explanation due to assignment cycle; see golang.org/issue/35518',
      './a.go:4:2: moved to heap: x',
    ].join('\n');
    assert.equal(parseOutput(out).records[0].explanations[0].truncated, true);
  });

  it('never throws on malformed output, and keeps every positioned line', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['./a.go:', '1', ':', '2', ': ', 'escapes to heap', ':', '   flow: ', ' ← ', '     from ', ' (', ')', ' at ',
      'moved to heap: ', 'x', '\t', '# p', '\u0000', '日本', '{heap}', 'leaking param: ', 'parameter ', ' leaks to ', ' with derefs=', '\n'];
    for (let i = 0; i < 300; i++) {
      let text = '';
      for (let j = 0; j < 200; j++) text += pieces[Math.floor(rnd() * pieces.length)];
      for (const exitCode of [0, 1]) {
        const r = parseOutput(text, { exitCode });
        assert.ok(Array.isArray(r.records) && Array.isArray(r.errors));
      }
    }
  });

  it('splits lines with and without columns', () => {
    assert.deepEqual(splitPositioned('./a.go:1:2: m: n'), { pos: { path: './a.go', line: 1, col: 2 }, text: 'm: n' });
    assert.deepEqual(splitPositioned('<autogenerated>:1: m'), { pos: { path: '<autogenerated>', line: 1 }, text: 'm' });
    assert.equal(splitPositioned('# pkg'), undefined);
  });
});
