// Edits on source text: applied in any order without shifting each other; the target key of a finding.
import * as assert from 'node:assert/strict';
import { applyEdits, targetKey } from '../../../core/fixes/model';

describe('fixes/model', () => {
  it('applies non-overlapping edits given in any order, offsets all against the original text', () => {
    const text = 'return fmt.Sprint(n)';
    const edits = [
      { start: 7, end: 20, newText: 'strconv.Itoa(n)' },
      { start: 0, end: 0, newText: '\t' },
      { start: 20, end: 20, newText: ' // ok' },
    ];
    assert.equal(applyEdits(text, edits), '\treturn strconv.Itoa(n) // ok');
    assert.equal(applyEdits(text, [...edits].reverse()), '\treturn strconv.Itoa(n) // ok');
    assert.deepEqual(edits[0], { start: 7, end: 20, newText: 'strconv.Itoa(n)' }, 'the caller’s list is not reordered');
    assert.equal(applyEdits(text, []), text);
  });

  it('keys a finding by file, line, column (0 when absent) and message', () => {
    assert.equal(targetKey({ file: '/m/a.go', pos: { line: 4, col: 13 }, message: 'n escapes to heap' }), '/m/a.go:4:13:n escapes to heap');
    assert.equal(targetKey({ file: '/m/a.go', pos: { line: 4 }, message: 'moved to heap: x' }), '/m/a.go:4:0:moved to heap: x');
  });
});
