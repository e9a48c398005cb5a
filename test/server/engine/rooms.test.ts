// The engine's rooms on their own, without the go command: line arithmetic, covered texts, status counts,
// the package registry and the open-file answers, fix lookup and waiting, the log's wording, and that the
// forced collections stay out of a small server's way.
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../core/model';
import { pathToUri } from '../../../core/platform';
import type { Item, Presentation } from '../../../core/present/present';
import { drain } from '../../../core/util/steps';
import { firstError, mb, stallMonitor } from '../../../server/engine/analysisLog';
import { fixesFor, fixesReady, type FixState } from '../../../server/engine/fixVerification';
import { toPath } from '../../../server/engine/host';
import { addLines, itemRanges, linesIndex, onLines, textAt } from '../../../server/engine/lines';
import { ForcedCollections } from '../../../server/engine/memory';
import { OpenFiles } from '../../../server/engine/openFiles';
import { Packages, type PackageState } from '../../../server/engine/packages';
import { coveredTexts } from '../../../server/engine/prepare';
import { Publisher } from '../../../server/engine/publisher';
import { Status, statusCounts } from '../../../server/engine/status';
import { SourceCache } from '../../../core/locate/sourceCache';
import { DEFAULTS } from '../../../server/settings';
import { MemoryHost } from './memoryHost';

const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

function finding(file: string, range: ReturnType<typeof r>, message = 'moved to heap: x'): Finding {
  return {
    file, range, exact: true, kind: 'moved-to-heap', message, subject: 'x', cause: 'returned-address', tier: 'L1', allocates: true,
    flow: [], otherPaths: 0, pos: { path: file, line: range.start.line + 1, col: range.start.character + 1 },
  };
}

function item(f: Finding, display: Item['display'], members = [f]): Item {
  return { id: f.message, finding: f, members, message: f.message, range: f.range, display, severity: 'information', rules: [], allocates: true, tier: f.tier, bytes: 0, measured: 0 };
}

const FILE = '/m/a.go';
const TEXT = 'package a\n\nfunc F() *int {\n\tx := 1\n\treturn &x\n}\n';

describe('engine rooms', () => {
  describe('lines', () => {
    it('textAt gives the text a range covers, over lines too, and nothing past the end', () => {
      const lines = TEXT.split('\n');
      assert.equal(textAt(lines, finding(FILE, r(3, 1, 3, 2))), 'x');
      assert.equal(textAt(lines, finding(FILE, r(2, 14, 3, 2))), '{\n\tx');
      assert.equal(textAt(lines, finding(FILE, r(40, 0, 40, 1))), '');
    });

    it('indexes things by every line their ranges cover, once per line, and answers a span in the given order', () => {
      const a = { id: 'a', ranges: [r(1, 0, 3, 0)] };
      const b = { id: 'b', ranges: [r(2, 0, 2, 4), r(2, 6, 2, 8)] };
      const index = linesIndex([a, b], (t) => t.ranges);
      assert.deepEqual([...index.keys()], [1, 2, 3]);
      assert.deepEqual(index.get(2)!.map((t) => t.id), ['a', 'b']);
      assert.deepEqual(onLines(index, 2, 2, [a, b]).map((t) => t.id), ['a', 'b']);
      assert.deepEqual(onLines(index, 0, 3, [b, a]).map((t) => t.id), ['b', 'a']);
      addLines(index, b, [r(5, 0, 5, 1)]);
      assert.deepEqual(index.get(5), [b]);
    });

    it('an item is found on its drawn range and on each member\'s', () => {
      const f = finding(FILE, r(4, 8, 4, 10));
      const g = finding(FILE, r(6, 1, 6, 2));
      assert.deepEqual(itemRanges(item(f, 'squiggle', [f, g])), [f.range, f.range, g.range]);
    });
  });

  it('coveredTexts groups findings by file and keeps one string per distinct text', () => {
    const x1 = finding(FILE, r(3, 1, 3, 2));
    const x2 = finding(FILE, r(4, 9, 4, 10));
    const other = finding('/m/b.go', r(0, 0, 0, 7));
    const nowhere = finding('', r(0, 0, 0, 1));
    const reads: string[] = [];
    const { findings, covered } = drain(coveredTexts([x1, other, x2, nowhere], (p) => { reads.push(p); return p === FILE ? TEXT : 'package b\n'; }));
    assert.deepEqual([...findings.keys()], [FILE, '/m/b.go']);
    assert.deepEqual(findings.get(FILE), [x1, x2]);
    assert.equal(covered.get(x1), 'x');
    assert.equal(covered.get(x2), 'x');
    assert.equal(covered.get(other), 'package');
    assert.equal(covered.has(nowhere), false);
    assert.deepEqual(reads, [FILE, '/m/b.go'], 'each file read once');
  });

  it('statusCounts counts squiggles, hints, findings and suppressed per open file, and the package totals', () => {
    const f = finding(FILE, r(3, 1, 3, 2));
    const g = { ...finding(FILE, r(4, 8, 4, 10)), suppressed: 'hot path checked' };
    const h = finding('/m/b.go', r(0, 0, 0, 1));
    const items = [item(f, 'squiggle', [f, f]), item(g, 'hint'), item(h, 'squiggle')];
    const counts = statusCounts({ items } as Presentation, [FILE]);
    assert.deepEqual(counts.byFile.get(FILE), { heap: 1, hints: 1, findings: 3, suppressed: 1 });
    assert.equal(counts.byFile.has('/m/b.go'), false);
    assert.equal(counts.packageSquiggles, 2);
    assert.equal(counts.packageFindings, 4);
    assert.equal(statusCounts(undefined, [FILE]).packageFindings, 0);
  });

  describe('packages and open files', () => {
    function setup(): { host: MemoryHost; packages: Packages; openFiles: OpenFiles; pkg: PackageState; uri: string; f: Finding } {
      const host = new MemoryHost();
      const packages = new Packages(host, async () => undefined);
      const uri = pathToUri(FILE);
      host.documents = () => [{ uri, version: 1, text: TEXT }, { uri: pathToUri('/other/b.go'), version: 1, text: '' }];
      const pkg = packages.of(FILE);
      const f = finding(FILE, r(3, 1, 3, 2));
      pkg.findings = new Map([[FILE, [f]]]);
      pkg.covered = new Map([[f, 'x']]);
      return { host, packages, openFiles: new OpenFiles(packages), pkg, uri, f };
    }

    it('a package is made once per directory and holds its open Go files', () => {
      const { packages, pkg, uri } = setup();
      assert.equal(packages.of('/m/c.go'), pkg);
      assert.equal(packages.at(uri), pkg);
      assert.equal(toPath(uri), FILE);
      assert.deepEqual(packages.openIn('/m').map((d) => d.uri), [uri]);
      packages.closed(uri);
      assert.equal(packages.get('/m'), pkg, 'kept while a file of it is open');
    });

    it('answers only findings whose text is still in place in the buffer', () => {
      const { openFiles, uri, f } = setup();
      assert.deepEqual(openFiles.findingsFor(uri, TEXT), [f]);
      assert.deepEqual(openFiles.findingsOnLines(uri, TEXT, { start: { line: 3 }, end: { line: 3 } }), [f]);
      assert.deepEqual(openFiles.findingsOnLines(uri, TEXT, { start: { line: 4 }, end: { line: 4 } }), []);
      const edited = TEXT.replace('x := 1', 'y := 1');
      assert.deepEqual(openFiles.findingsFor(uri, edited), []);
      assert.ok(openFiles.lastAsked > 0, 'a question on a line is noted (the forced collections wait for a quiet editor)');
    });

    it('answers items of the presentation published, on their line and as signatures', () => {
      const { openFiles, pkg, uri, f } = setup();
      const sig = finding(FILE, r(2, 5, 2, 6), 'leaking param: p');
      pkg.covered.set(sig, 'F');
      const presentation = { items: [item(f, 'squiggle'), item(sig, 'signature')] } as Presentation;
      pkg.presentation = presentation;
      pkg.stale = true;
      assert.deepEqual(openFiles.itemsOnLine(uri, TEXT, 3).items.map((i) => i.finding), [f]);
      assert.equal(openFiles.itemsOnLine(uri, TEXT, 3).stale, true);
      assert.equal(openFiles.itemsFor(uri, TEXT).items.length, 2);
      assert.deepEqual(openFiles.signatureItems(uri, TEXT, 0, 2).map((i) => i.finding), [sig]);
      assert.deepEqual(openFiles.signatureItems(uri, TEXT, 3, 9), []);
      openFiles.forget(uri);
      openFiles.published(uri, presentation, [presentation.items[0]]);
      assert.equal(openFiles.itemsFor(uri, TEXT).items.length, 1, 'the items a publish handed over');
    });
  });

  it('a publish goes to every open file of the package, the one last saved first, then the status; a newer publish makes an older one moot', async () => {
    const host = new MemoryHost();
    const [a, b, other] = ['/m/a.go', '/m/b.go', '/n/c.go'].map((p) => pathToUri(p));
    host.documents = () => [a, b, other].map((uri) => ({ uri, version: 3, text: 'package m\n' }));
    const packages = new Packages(host, async () => undefined);
    const status = new Status(host, packages);
    const publisher = new Publisher(host, packages, new OpenFiles(packages), status, new SourceCache());
    const pkg = packages.of('/m/b.go');
    pkg.lastFile = '/m/b.go';
    await Promise.all([publisher.publish(pkg, DEFAULTS, 'off', 'first'), publisher.publish(pkg, DEFAULTS, 'off', 'second')]);
    assert.deepEqual(host.events.map((e) => (e.kind === 'publish' ? `publish ${e.uri} v${e.version} ${e.diagnostics.length}` : e.kind === 'status' ? `status ${e.params.state} ${e.params.message}` : e.kind)),
      [`publish ${b} v3 0`, `publish ${a} v3 0`, 'status off second']);
    assert.deepEqual(host.statuses(a)[0].uris, [a, b]);
    assert.equal(pkg.presentation, undefined);
  });

  it('fixes hold only for the text they were verified on; waiting is bounded and only for a candidate', async () => {
    const pkg: FixState = { dir: '/m', fixes: { byTarget: new Map(), texts: new Map([[FILE, TEXT]]) } };
    assert.equal(fixesFor(pkg, FILE, TEXT), pkg.fixes);
    assert.equal(fixesFor(pkg, FILE, TEXT + '\n'), undefined);
    assert.equal(fixesFor(undefined, FILE, TEXT), undefined);
    pkg.verifying = { targets: new Set(['t1']), done: new Promise(() => undefined) };
    let t0 = performance.now();
    await fixesReady(pkg, ['t2'], 2000);
    assert.ok(performance.now() - t0 < 500, 'no wait for a finding without a candidate');
    t0 = performance.now();
    await fixesReady(pkg, ['t1'], 100);
    const waited = performance.now() - t0;
    assert.ok(waited >= 90 && waited < 1500, `waited ${waited} ms`);
  });

  it('the log words a build error as file:line:col and measures stalls', async () => {
    assert.equal(firstError({ message: 'undefined: nope\nmore', file: '/m/a.go', range: r(9, 27, 9, 31) }), 'a.go:10:28: undefined: nope');
    assert.equal(firstError({ message: 'go: no module' }), 'go: no module');
    assert.match(mb(), /^\d+\/\d+$/);
    const stalls = stallMonitor();
    await new Promise((res) => setTimeout(res, 20));
    const until = performance.now() + 60;
    while (performance.now() < until) { /* a stall */ }
    await new Promise((res) => setTimeout(res, 20));
    const longest = stalls.stop();
    assert.ok(longest >= 40, `longest stall ${longest} ms`);
    assert.equal(stalls.stop(), longest);
  });

  it('forced collections leave a small heap alone, during and after an analysis', async () => {
    const log: string[] = [];
    // A heap of 10 MB, whatever this test process holds: under every threshold.
    const collections = new ForcedCollections((m) => log.push(m), () => 0, () => 10 * 1048576);
    const watched = collections.start('/m');
    await new Promise((res) => setTimeout(res, 60));
    watched.published(() => true);
    await new Promise((res) => setImmediate(res));
    watched.end();
    assert.deepEqual(log, []);
  });

  it('forced collections bound the first analysis of a big package too (nothing was kept before it)', async () => {
    const log: string[] = [];
    // 300 MB in use and no collection of ours yet: past the threshold within an analysis.
    const collections = new ForcedCollections((m) => log.push(m), () => 0, () => 300 * 1048576);
    const watched = collections.start('/m');
    await new Promise((res) => setTimeout(res, 60));
    watched.end();
    assert.ok(log.length >= 1 && log.every((l) => /^\[\/m\] full collection \d+ ms \(within the analysis\): heap 300 → /.test(l)), log.join('\n'));
  });
});
