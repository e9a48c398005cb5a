// What a build parsed as it runs keeps of its output for the case it fails: everything but escape analysis,
// and an escape line only where an indented continuation line needs it.
import * as assert from 'node:assert/strict';
import { FailureText } from '../../../core/parse/failureText';

describe('parse: failure text', () => {
  it('keeps the lines that are not escape analysis, in order', () => {
    const t = new FailureText();
    t.keep('# example.com/m', false);
    t.drop('./a.go:3:2: moved to heap: x');
    t.keep('./a.go:9:1: undefined: y');
    assert.equal(t.text(''), '# example.com/m\n./a.go:9:1: undefined: y');
  });

  it('puts back the escape line before an indented line that continues it', () => {
    const t = new FailureText();
    t.drop('./a.go:3:2: cannot use x (variable of type int) as string value');
    t.keep('\thave int');
    assert.equal(t.text(''), './a.go:3:2: cannot use x (variable of type int) as string value\n\thave int');
  });

  it('the unfinished last line is included, with its held line when it is a continuation', () => {
    const t = new FailureText();
    t.keep('./a.go:1:1: first');
    t.drop('./a.go:2:1: held');
    assert.equal(t.text('\twant string'), './a.go:1:1: first\n./a.go:2:1: held\n\twant string');
    assert.equal(t.text('./a.go:5:1: other'), './a.go:1:1: first\n./a.go:5:1: other');
  });
});
