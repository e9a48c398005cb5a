// The interner: one copy per distinct string, equal in value to the original, for ASCII and non-Latin-1 text.
import * as assert from 'node:assert/strict';
import { flatCopy, Interner } from '../../../core/parse/intern';

describe('Interner', () => {
  it('returns one shared value per distinct string and counts distinct strings', () => {
    const i = new Interner();
    const line = './a.go:3:2: x escapes to heap';
    const a = i.get(line.slice(0, 6));
    const b = i.get('./a.go');
    assert.equal(a, './a.go');
    assert.equal(b, './a.go');
    i.get('flow: ~r0 ← &x');
    i.get('flow: ~r0 ← &x');
    assert.equal(i.size, 2);
  });

  it('copies keep the exact text: ASCII, Latin-1, arrows and astral characters', () => {
    for (const s of ['', 'plain', 'café', '~r0 ← &x', 'x ≡ y', '𝔘nicode 😀', 'ÿ']) assert.equal(flatCopy(s), s);
    // A slice of a longer string comes back as the slice's text alone.
    const big = 'a'.repeat(1000) + 'needle' + 'b'.repeat(1000);
    assert.equal(flatCopy(big.slice(1000, 1006)), 'needle');
  });
});
