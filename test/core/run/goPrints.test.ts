// The go command's rewriting of a tool's output: the package directory and its parents as relative paths
// where a path starts; the header and final newline of what it shows.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { asGoPrints, goLineRewriter } from '../../../core/run/goPrints';

describe('run/goPrints', function () {
  if (process.platform === 'win32') return;
  const rewrite = goLineRewriter('/home/dev/src/m/p');

  it('writes the directory as . and a parent as .. where a path starts, when that is shorter', () => {
    assert.equal(rewrite('/home/dev/src/m/p/a.go:3:2: moved to heap: x\n'), './a.go:3:2: moved to heap: x\n');
    assert.equal(rewrite('/home/dev/src/m/q/b.go:1:1: x\n'), '../q/b.go:1:1: x\n');
    assert.equal(rewrite('/home/dev/src/m/p/a.go:1:1:     from f() (call parameter) at /home/dev/src/m/p/a.go:4:5\n'),
      './a.go:1:1:     from f() (call parameter) at ./a.go:4:5\n');
    // A line's leading tab counts as a path start, as in the go command.
    assert.equal(rewrite('x\n\t/home/dev/src/m/p/a.go\n'), 'x\n\t./a.go\n');
  });

  it('leaves paths alone where a path cannot start, and parents whose relative path is no shorter', () => {
    assert.equal(rewrite('x=/home/dev/src/m/p/a.go\n'), 'x=/home/dev/src/m/p/a.go\n');
    assert.equal(rewrite('a \t/home/dev/src/m/p/a.go\n'), 'a \t/home/dev/src/m/p/a.go\n');
    // `/home` as `../../../..` would be longer: kept.
    assert.equal(rewrite('/home/other/a.go:1: x\n'), '/home/other/a.go:1: x\n');
    assert.equal(rewrite('no paths here\n'), 'no paths here\n');
  });

  it('prints the header above the rewritten output, ends it with a newline, and nothing for an empty output', () => {
    const dir = path.resolve('/home/dev/src/m/p');
    assert.equal(asGoPrints(`# example.com/m/p\n${dir}/a.go:1:1: x`, dir), '# example.com/m/p\n./a.go:1:1: x\n');
    assert.equal(asGoPrints('# example.com/m/p\n', dir), '');
  });
});
