// The go command's argument array (core/run/flags.ts): one merged -gcflags, nothing written, no link —
// `go list -export` compiles what `go build` would, and `-test` adds the test variants.
import * as assert from 'node:assert/strict';
import { goArgs, splitFlags } from '../../../core/run/flags';
import { withoutShadowedSections } from '../../../core/run/testSections';

describe('go command arguments', () => {
  it('merges user gcflags and -gcflags hidden in build flags into one -gcflags, drops -o', () => {
    const args = goArgs({ mode: 'build', gcflags: ['-l -d=zerocopy'], buildFlags: ['-tags=x', '-gcflags=-N', '-o', 'out.bin'] });
    assert.deepEqual(args, ['list', '-export', '-f', '{{""}}', '-gcflags=-m=2 -N -l -d=zerocopy', '-tags=x', '.']);
  });

  it('gives each named package its own pattern -gcflags, so dependencies compile without them', () => {
    assert.deepEqual(goArgs({ mode: 'build', gcflags: ['-l'], packages: ['example.com/a', 'example.com/b/...'] }),
      ['list', '-export', '-f', '{{""}}', '-gcflags=example.com/a=-m=2 -l', '-gcflags=example.com/b/...=-m=2 -l', 'example.com/a', 'example.com/b/...']);
  });

  it('keeps its own escape level when the user passes -m; tests through -test', () => {
    assert.deepEqual(goArgs({ mode: 'test', gcflags: ['-m', '-l'] }), ['list', '-export', '-test', '-f', '{{""}}', '-gcflags=-m=2 -l', '.']);
  });

  it('passes the overlay', () => {
    assert.deepEqual(goArgs({ mode: 'build', overlayFile: '/tmp/o.json' }), ['list', '-export', '-f', '{{""}}', '-gcflags=-m=2', '-overlay=/tmp/o.json', '.']);
  });

  it('splits flags like the go command (cmd/internal/quoted): quotes around whole fields only', () => {
    assert.deepEqual(splitFlags(`-l  "-d=a b" 'c d' -x="y`), ['-l', '-d=a b', 'c d', '-x="y']);
  });
});

describe('a test build\'s output', () => {
  it('drops a package\'s plain section where its test variant has one, whatever the order', () => {
    const out = ['# p', './a.go:1:1: moved to heap: x', '# q', './q.go:2:2: moved to heap: y',
      '# p [p.test]', './a.go:1:1: moved to heap: x', '# p_test [p.test]', './b_test.go:3:3: moved to heap: z', '# p.test', ''].join('\n');
    assert.equal(withoutShadowedSections(out), ['# q', './q.go:2:2: moved to heap: y', '# p [p.test]', './a.go:1:1: moved to heap: x',
      '# p_test [p.test]', './b_test.go:3:3: moved to heap: z', '# p.test', ''].join('\n'));
  });

  it('leaves an output without test variants as it is', () => {
    const out = 'go: note\n# p\n./a.go:1:1: moved to heap: x\n';
    assert.equal(withoutShadowedSections(out), out);
  });
});
