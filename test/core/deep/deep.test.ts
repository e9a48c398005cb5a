// Paths across package boundaries, against the live compiler: the fixture module fixtures/deep (two
// packages) and the standard library. Each finding's path is followed into the callee's own output.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzePackage } from '../../../core/analysis/analyzePackage';
import { DeepCache } from '../../../core/deep/cache';
import { parseCall, parseEdge, argumentIndex, splitCallee } from '../../../core/deep/callText';
import { signatureAt, paramForArgument } from '../../../core/deep/signature';
import { explainDeep } from '../../../core/deep/walk';
import { buildGraph, toDot, toMermaid, type FlowGraph } from '../../../core/deep/graph';
import { LspClient } from '../../helpers/lspClient';
import { parseOutput } from '../../../core/parse/parse';
import { spawnSync } from 'node:child_process';
import type { DeepPath } from '../../../core/model/deep';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import type { Finding } from '../../../core/model';
import { GOROOT, GOVERSION, REPO } from '../../helpers/goEnv';

const APP = path.join(REPO, 'fixtures', 'deep', 'app');

describe('deep paths: printed forms', () => {
  it('reads calls, edges and argument positions', () => {
    assert.deepEqual(parseCall('fmt.Fprintln(os.Stdout, fmt.a...)'), { callee: 'fmt.Fprintln', args: ['os.Stdout', 'fmt.a...'], methodExpr: false });
    assert.deepEqual(parseCall("(*pp).printArg(p, arg, 'v')")?.args, ['p', 'arg', "'v'"]);
    assert.equal(parseCall('(*decodeState).literalStore(d, d.data[start:~r0], v, false)')?.args.length, 4);
    assert.equal(parseCall('p.arg = arg'), undefined);
    // Long string literals are printed shortened, without their closing quote.
    assert.deepEqual(parseCall('debugPrint("[WARNING] Headers were already written. Wanted to override status co..., ... argument...)')?.args,
      ['"[WARNING] Headers were already written. Wanted to override status co...', '... argument...']);
    assert.deepEqual(parseCall('f("a(b", x)')?.args, ['"a(b"', 'x']);
    assert.deepEqual(parseEdge('{heap} ← *fmt.a'), { dst: '{heap}', src: 'fmt.a', derefs: 1 });
    assert.deepEqual(parseEdge('{heap} ← &c'), { dst: '{heap}', src: 'c', derefs: -1 });
    assert.equal(argumentIndex(['os.Stdout', 'fmt.a...'], 'fmt.a'), 1);
    assert.equal(argumentIndex(['b', '&c'], 'c', '&c'), 1);
    assert.deepEqual(splitCallee('(*bytes.Buffer).Write'), { qualifier: 'bytes', key: '(*Buffer).Write', rest: [] });
    assert.deepEqual(splitCallee('json.Unmarshal'), { qualifier: 'json', key: 'Unmarshal', rest: ['Unmarshal'] });
  });

  it('reads a leak into the storage of an allocation as one destination', () => {
    const out = ['# p', './p.go:3:9: parameter msg leaks to {storage for &scanner.Error{...}} for (*parser).error with derefs=0:',
      './p.go:3:9:   flow: {storage for &scanner.Error{...}} ← msg:', './p.go:3:9:     from scanner.Error{...} (struct literal element) at ./p.go:4:2',
      './p.go:3:9: leaking param: msg'].join('\n');
    const e = parseOutput(out).records[0].explanations[0];
    assert.equal(e.to, '{storage for &scanner.Error{...}}');
    assert.equal(e.function, '(*parser).error');
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
    const chain = d.hops.map((h) => `${h.pkg}.${h.function}:${h.param}`);
    assert.deepEqual(chain.slice(0, 3), ['fmt.Fprintln:a', 'fmt.(*pp).doPrintln:a', 'fmt.(*pp).printArg:arg']);
    assert.equal(d.hops[0].message, 'leaking param content: a');
    assert.equal(d.hops[0].file, path.join(GOROOT, 'src', 'fmt', 'print.go'));
    assert.equal(d.sink?.pkg, 'fmt');
    assert.equal(d.sink?.file, path.join(GOROOT, 'src', 'fmt', 'print.go'));
    if (GOVERSION.startsWith('go1.26')) {
      // Go 1.26's fmt keeps the argument in its printer (pp.arg); 1.27's explanation ends at formatter.Format.
      assert.equal(chain.length, 3);
      assert.equal(d.sink?.kind, 'stored');
      assert.equal(d.sink?.where, 'p.arg = arg');
    } else {
      assert.ok(['stored', 'interface-call'].includes(d.sink!.kind), d.sink!.text);
    }
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
    // Go 1.26: inside encoding/json; Go 1.27's encoding/json hands it to encoding/json/v2 first.
    assert.match(d.sink!.pkg, /^encoding\/json/);
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

  it('draws one finding\'s whole path as a graph: package clusters, allocation, sink, possible implementations', async () => {
    const f = at(33, 'moved to heap: y');
    const g = buildGraph(f, await deep(f));
    assert.deepEqual(g.packages, ['example.com/deep/app', 'example.com/deep/store']);
    assert.equal(g.nodes[0].kind, 'allocation');
    const sink = g.nodes.find((n) => n.kind === 'sink')!;
    assert.equal(sink.label, 's.Put(p)');
    assert.equal(g.nodes.filter((n) => n.kind === 'possible').length, 2);
    for (const e of g.edges) assert.ok(g.nodes.some((n) => n.id === e.from) && g.nodes.some((n) => n.id === e.to));
    const mermaid = toMermaid(g);
    assert.match(mermaid, /^flowchart TD\n/);
    assert.match(mermaid, /subgraph p1\["example\.com\/deep\/store"\]/);
    assert.match(mermaid, /-\.->\|possible\|/);
    assert.match(mermaid, /class n\d+ sink/);
    const dot = toDot(g);
    assert.match(dot, /subgraph cluster_1 \{\n {4}label="example\.com\/deep\/store";/);
    assert.match(dot, /shape=doubleoctagon/);
  });

  it('CLI: --deep adds the stitched path to the JSON, --graph prints one finding\'s graph', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args],
      { cwd: path.dirname(APP), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const j = cli(['--deep', '--json', './app']);
    assert.equal(j.status, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.equal(doc.schemaVersion, 2);
    const c = doc.findings.find((x: Finding) => x.message === 'moved to heap: c');
    assert.equal(c.deep.stop, 'sink');
    assert.equal(c.deep.refinedCause, 'reflection');
    assert.equal(c.deep.hops[0].steps[0].pkg, 'encoding/json');
    assert.ok(path.isAbsolute(c.deep.hops[0].steps[0].file));
    const human = cli(['--deep', './app']);
    assert.match(human.stdout, /→ fmt\.Fprintln: leaking param content: a \(print\.go:\d+\) → fmt\.\(\*pp\)\.doPrintln/);
    assert.match(human.stdout, /possible: store\.\(\*Last\)\.Put \(store\.go:\d+\): leaking param: p — l\.p = p \(assign\)/);
    const dot = cli(['--graph', 'dot', '--at', 'app/app.go:20']);
    assert.equal(dot.status, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph escape \{/);
    assert.match(dot.stdout, /label="encoding\/json";/);
    const bad = cli(['--graph', 'svg', '--at', 'app/app.go:20']);
    assert.equal(bad.status, 2);
  });

  it('reuses every dependency output from the in-memory cache', async () => {
    const d = await deep(at(15, 'n escapes to heap'));
    assert.equal(d.goRuns, 0);
  });
});

describe('deep paths in the language server', function () {
  let c: LspClient | undefined;
  afterEach(async () => { await c?.stop(); c = undefined; });

  it('continues the hover\'s path across packages, refines the cause, and answers the graph request', async () => {
    c = await LspClient.start();
    const file = path.join(APP, 'app.go');
    const uri = c.open(file);
    await c.settled(file);
    // `var c Config` (line 20): the first hover starts the walk and waits for it (an editor cannot update a
    // hover once shown, so a note asking to hover again would never change).
    const md = ((await c.hover(file, 19, 5))?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(md, /\*\*Beyond this package\*\*/, 'the first hover shows the path across packages');
    assert.doesNotMatch(md, /hover again|still being followed/);
    // decode.go in Go 1.26, v2_decode.go in 1.27.
    assert.match(md, /→ `json\.Unmarshal`: `leaking param: v` \(\[(v2_)?decode\.go:\d+\]\(file:\/\/.*encoding\/json\/(v2_)?decode\.go#L\d+,\d+\)\)/);
    assert.match(md, /⇒ \*\*handed to reflection\*\*/);
    assert.match(md, /Cause refined by the sink: \*\*passed to reflection\*\* \(`reflection`, L3\)/);
    assert.match(md, /\[Show the path as a graph\]\(command:goEscapeLens\.showGraph\?/);
    const g = await c.conn.sendRequest<FlowGraph | null>('goEscapeLens/graph', { uri, position: { line: 19, character: 5 } });
    assert.ok(g);
    assert.deepEqual(g.packages.slice(0, 2), ['example.com/deep/app', 'encoding/json']);
    assert.match(g.nodes.find((n) => n.kind === 'sink')!.pkg, /^encoding\/json/);
  });

  it('with goEscapeLens.deepPaths off, the hover does not follow the path', async () => {
    c = await LspClient.start(() => ({ deepPaths: false }));
    const file = path.join(APP, 'app.go');
    c.open(file);
    await c.settled(file);
    const first = await c.hover(file, 19, 5);
    await new Promise((r) => setTimeout(r, 500));
    const again = ((await c.hover(file, 19, 5))?.contents as { value: string }).value;
    assert.match((first!.contents as { value: string }).value, /the callee keeps it beyond the call/);
    assert.doesNotMatch(again, /Beyond this package|still being followed/);
    // The graph is still one click away: the command follows the path itself.
    assert.match(again, /\[Show the path as a graph\]\(command:goEscapeLens\.showGraph\?/);
  });
});
