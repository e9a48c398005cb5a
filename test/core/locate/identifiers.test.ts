// The one-pass identifier scan that decides which files of a package can mention or declare a name.
import * as assert from 'node:assert/strict';
import { scanIdentifiers } from '../../../core/locate/identifiers';

describe('locate: identifiers a text spells', () => {
  it('whole words only, Unicode included; substrings and longer identifiers are not the name', () => {
    const { all } = scanIdentifiers('package p\n\nfunc F() { typesX := ĉuy; _ = typesX /* types */ }\nvar 𝒳 = "str"\n');
    for (const w of ['package', 'p', 'func', 'F', 'typesX', 'ĉuy', '_', 'types', 'var', 'str']) assert.ok(all.has(w), w);
    for (const w of ['type', 'ĉu', 'F()', 'pack']) assert.equal(all.has(w), false, w);
  });

  it('declarable: after var, ( , ; a comment or at a line start, never before a dot', () => {
    const { declarable } = scanIdentifiers('package types\n\nimport "go/types"\n\nvar a int\nvar (b, c = 1, 2; d int)\nvar /* x */ e int\nvar\nf int\nfunc G() { types.New(); v.h = 1 }\n');
    for (const w of ['a', 'b', 'c', 'd', 'e', 'f']) assert.ok(declarable.has(w), w);
    // `types` only ever stands after `package`, inside a string or before a dot; `h` after a dot.
    for (const w of ['types', 'New', 'h', 'int']) assert.equal(declarable.has(w), false, w);
  });
});
