// The stitched deep path in words, as the hover and the CLI print it.
import * as assert from 'node:assert/strict';
import { at, deepPathText, hopName, implementationLines } from '../../../core/deep/text';
import type { DeepHop, DeepPath } from '../../../core/model/deep';

const hop = (over: Partial<DeepHop>): DeepHop => ({
  pkg: 'fmt', function: 'Fprintln', param: 'a', message: 'leaking param content: a', derefs: 1,
  file: '/go/src/fmt/print.go', line: 303, call: 'fmt.Fprintln(os.Stdout, fmt.a...)', steps: [], ...over,
});

describe('deep/text', () => {
  it('names a hop by the last element of its import path', () => {
    assert.equal(hopName({ pkg: 'encoding/json', function: '(*encodeState).marshal' }), 'json.(*encodeState).marshal');
    assert.equal(hopName({ pkg: 'fmt', function: 'Sprint' }), 'fmt.Sprint');
    assert.equal(hopName({ pkg: 'example.com/m/internal/db', function: 'Put' }), 'db.Put');
  });

  it('writes a place as file base name and line, or ? without a file', () => {
    assert.equal(at('/go/src/fmt/print.go', 683), 'print.go:683');
    assert.equal(at('', 12), '?');
  });

  it('joins hops with arrows and ends in the sink, else the note, else nothing', () => {
    const hops = [hop({}), hop({ function: '(*pp).doPrintln', message: 'leaking param content: a', line: 1207 })];
    const withSink = { hops, sink: { kind: 'stored', text: 'stored in a heap object: p.arg = arg', pkg: 'fmt', function: '(*pp).printArg', where: 'p.arg = arg', why: 'assign', file: '/go/src/fmt/print.go', line: 683 } } as DeepPath;
    assert.equal(deepPathText(withSink),
      '→ fmt.Fprintln: leaking param content: a (print.go:303) → fmt.(*pp).doPrintln: leaking param content: a (print.go:1207) ⇒ stored in a heap object: p.arg = arg (print.go:683)');
    assert.equal(deepPathText({ hops: [hop({})], note: 'no export data for fmt' } as DeepPath),
      '→ fmt.Fprintln: leaking param content: a (print.go:303) ⇒ no export data for fmt');
    assert.equal(deepPathText({ hops: [hop({})] } as DeepPath), '→ fmt.Fprintln: leaking param content: a (print.go:303)');
  });

  it('writes one line per possible implementation, with a stand-in when it has no summary', () => {
    const d = { hops: [], implementations: [
      { pkg: 'example.com/m/store', method: '(*Mem).Put', file: '/m/store/mem.go', line: 9, verdict: 'leaks', message: 'leaking param: v', detail: 'stored' },
      { pkg: 'example.com/m/store', method: 'Disk.Put', file: '/m/store/disk.go', line: 4, verdict: 'unknown' },
    ] } as unknown as DeepPath;
    assert.deepEqual(implementationLines(d), [
      'possible: store.(*Mem).Put (mem.go:9): leaking param: v — stored',
      'possible: store.Disk.Put (disk.go:4): no summary for this parameter',
    ]);
    assert.deepEqual(implementationLines({ hops: [] } as unknown as DeepPath), []);
  });
});
