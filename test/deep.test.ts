// Paths across package boundaries, against the live compiler: the fixture module fixtures/deep (two
// packages) and the standard library. Each finding's path is followed into the callee's own output.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../core/analyzePackage';
import { DeepCache } from '../core/deep/cache';
import { parseCall, parseEdge, argumentIndex, splitCallee } from '../core/deep/callText';
import { signatureAt, paramForArgument } from '../core/deep/signature';
import { explainDeep } from '../core/deep/walk';
import type { DeepPath } from '../core/deep/model';
import { loadGoParser } from '../core/locate/goParser';
import { SourceCache } from '../core/locate/sourceCache';
import type { Finding } from '../core/model';
import { GOROOT, REPO } from './helpers/goEnv';

const APP = path.join(REPO, 'fixtures', 'deep', 'app');

describe('deep paths: printed forms', () => {
  it('reads calls, edges and argument positions', () => {
    assert.deepEqual(parseCall('fmt.Fprintln(os.Stdout, fmt.a...)'), { callee: 'fmt.Fprintln', args: ['os.Stdout', 'fmt.a...'], methodExpr: false });
    assert.deepEqual(parseCall("(*pp).printArg(p, arg, 'v')")?.args, ['p', 'arg', "'v'"]);
    assert.equal(parseCall('(*decodeState).literalStore(d, d.data[start:~r0], v, false)')?.args.length, 4);
    assert.equal(parseCall('p.arg = arg'), undefined);
    assert.deepEqual(parseEdge('{heap} ← *fmt.a'), { dst: '{heap}', src: 'fmt.a', derefs: 1 });
    assert.deepEqual(parseEdge('{heap} ← &c'), { dst: '{heap}', src: 'c', derefs: -1 });
    assert.equal(argumentIndex(['os.Stdout', 'fmt.a...'], 'fmt.a'), 1);
    assert.equal(argumentIndex(['b', '&c'], 'c', '&c'), 1);
    assert.deepEqual(splitCallee('(*bytes.Buffer).Write'), { qualifier: 'bytes', key: '(*Buffer).Write', rest: [] });
    assert.deepEqual(splitCallee('json.Unmarshal'), { qualifier: 'json', key: 'Unmarshal', rest: ['Unmarshal'] });
  });

  it('reads signatures with grouped, unnamed and variadic parameters', () => {
    const text = 'package p\n\nfunc (p *pp) doPrintln(a []any) {}\nfunc F(a, b int, c ...string) {}\nfunc G(int, chan int) {}\n';
    const m = signatureAt(text, 3, 6)!;
    assert.equal(m.receiver?.name, 'p');
    assert.deepEqual(m.params.map((x) => [x.name, x.line, x.col]), [['a', 3, 24]]);
    const f = signatureAt(text, 4, 6)!;
    assert.deepEqual(f.params.map((x) => x.name), ['a', 'b', 'c']);
    assert.equal(paramForArgument(f, 5, false)?.name, 'c');
    assert.deepEqual(signatureAt(text, 5, 6)!.params.map((x) => x.name), [undefined, undefined]);
  });
});

describe('deep paths against the live compiler', function () {
  let sources: SourceCache;
  let findings: Finding[];
  const cache = new DeepCache();
  const at = (line: number, message: string): Finding => {
    const f = findings.find((x) => x.pos.line === line && x.message === message);
    assert.ok(f, `no finding "${message}" on line ${line}: ${findings.map((x) => `${x.pos.line} ${x.message}`).join('; ')}`);
    return f;
  };
  const deep = async (f: Finding, limits?: { maxCalls?: number }): Promise<DeepPath> => {
    const d = await explainDeep(f, { dir: APP, cache, limits });
    assert.ok(d, 'the finding is a deep candidate');
    console.log(`        ${f.message} (${f.cause}): ${d.hops.map((h) => `${h.pkg}.${h.function}`).join(' → ')} ⇒ ${d.sink?.text ?? d.note}`);
    return d;
  };

  before(async () => {
    sources = new SourceCache(await loadGoParser());
    const r = await analyzePackage({ dir: APP, sources });
    assert.deepEqual(r.errors, []);
    findings = r.findings;
  });

  it('follows a value passed to fmt.Println into fmt, to where it is stored', async () => {
    const d = await deep(at(15, 'n escapes to heap'));
    assert.equal(d.stop, 'sink');
    assert.deepEqual(d.hops.map((h) => `${h.pkg}.${h.function}:${h.param}`),
      ['fmt.Fprintln:a', 'fmt.(*pp).doPrintln:a', 'fmt.(*pp).printArg:arg']);
    assert.equal(d.hops[0].message, 'leaking param content: a');
    assert.equal(d.hops[0].file, path.join(GOROOT, 'src', 'fmt', 'print.go'));
    assert.equal(d.sink?.kind, 'stored');
    assert.equal(d.sink?.where, 'p.arg = arg');
    assert.equal(d.sink?.file, path.join(GOROOT, 'src', 'fmt', 'print.go'));
    // An interface conversion stays one: the boxing is what allocates.
    assert.equal(d.refinedCause, undefined);
    for (const s of d.hops.flatMap((h) => h.steps)) assert.ok(s.file.startsWith(GOROOT), s.file);
  });

  it('follows a value passed to json.Unmarshal until it is handed to reflect', async () => {
    const d = await deep(at(20, 'moved to heap: c'));
    assert.equal(d.stop, 'sink');
    assert.equal(d.hops[0].pkg, 'encoding/json');
    assert.equal(d.hops[0].function, 'Unmarshal');
    assert.equal(d.hops[0].param, 'v');
    assert.equal(d.sink?.kind, 'reflection');
    assert.equal(d.sink?.pkg, 'encoding/json');
    assert.equal(d.refinedCause, 'reflection', `cause was ${at(20, 'moved to heap: c').cause}`);
  });

  it('follows a value into another package of the same module, through an unexported callee', async () => {
    const d = await deep(at(27, 'moved to heap: x'));
    assert.equal(d.stop, 'sink');
    assert.deepEqual(d.hops.map((h) => `${h.pkg}.${h.function}`), ['example.com/deep/store.Keep', 'example.com/deep/store.remember']);
    assert.equal(d.sink?.kind, 'append');
    assert.equal(path.basename(d.sink!.file), 'store.go');
    assert.equal(d.refinedCause, 'append');
  });

  it('lists the module\'s implementations of an interface call as possible', async () => {
    const d = await deep(at(33, 'moved to heap: y'));
    assert.equal(d.stop, 'sink');
    assert.equal(d.sink?.kind, 'interface-call');
    assert.match(d.sink!.where, /s\.Put\(p\)/);
    assert.equal(d.refinedCause, 'dynamic-call');
    const impls = Object.fromEntries((d.implementations ?? []).map((i) => [i.method, i]));
    assert.deepEqual(Object.keys(impls).sort(), ['(*Last).Put', 'Discard.Put']);
    assert.equal(impls['(*Last).Put'].verdict, 'leaks');
    assert.equal(impls['(*Last).Put'].detail, 'l.p = p (assign)');
    assert.equal(impls['Discard.Put'].verdict, 'does-not-escape');
  });

  it('says so honestly when the callee chain is beyond the limit', async () => {
    const f = at(39, 'moved to heap: z');
    const short = await deep(f, { maxCalls: 2 });
    assert.equal(short.stop, 'depth');
    assert.equal(short.sink, undefined);
    assert.equal(short.hops.length, 2);
    assert.match(short.note!, /Stopped after 2 calls \(the limit\): the path goes on into example\.com\/deep\/store\.deep2/);
    const full = await deep(f);
    assert.equal(full.stop, 'sink');
    assert.equal(full.hops.length, 4);
  });

  it('reuses every dependency output from the in-memory cache', async () => {
    const d = await deep(at(15, 'n escapes to heap'));
    assert.equal(d.goRuns, 0);
  });
});
