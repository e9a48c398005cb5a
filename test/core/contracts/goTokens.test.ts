// The contracts' tokenizer: comments never mistaken inside strings, code lines, bracket pairs, and every
// function with a body found where go/parser (the toolchain's, through the helper) finds it, on real files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nextCode, prevCode, tokenize } from '../../../core/contracts/goTokens';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';
import { GOROOT } from '../../helpers/goEnv';

const TEXT = [
  'package m',                                            // 0
  '',                                                     // 1
  '// Doc of F.',                                          // 2
  'func F(s string) string { return s + "// not a comment" + `/* nor this */` + string(\'/\') }', // 3
  '',                                                     // 4
  'type List[T any] struct{ items []T }',                 // 5
  '',                                                     // 6
  'func (l *List[T]) Push(v T) { l.items = append(l.items, v) }', // 7
  '',                                                     // 8
  'func (List[T]) Len() int { return 0 }',                // 9
  '',                                                     // 10
  'func G() (r struct{ a int }) {',                       // 11
  '\tf := func(x int) { _ = x } /* inline */',            // 12
  '\tf(1)',                                               // 13
  '\treturn',                                             // 14
  '}',                                                    // 15
  '',
].join('\n');

describe('contracts/goTokens', function () {
  this.timeout(300_000);
  const g = tokenize(TEXT);

  it('finds comments only outside strings and runes', () => {
    assert.deepEqual(g.tokens.filter((t) => t.kind === 'comment').map((t) => [t.text, t.line]), [['// Doc of F.', 2], ['/* inline */', 12]]);
    assert.deepEqual(g.tokens.filter((t) => t.kind === 'string' && t.line === 3).map((t) => t.text), ['"// not a comment"', '`/* nor this */`', "'/'"]);
  });

  it('counts as code lines those with a token that is not a comment', () => {
    assert.ok(!g.codeLines.has(2) && !g.codeLines.has(1));
    assert.ok(g.codeLines.has(3) && g.codeLines.has(12) && g.codeLines.has(15));
  });

  it('pairs brackets both ways, and skips comments between code tokens', () => {
    const open = g.tokens.findIndex((t) => t.line === 11 && t.text === '{');
    const close = g.pairs.get(open)!;
    assert.equal(g.tokens[close].text, '}');
    assert.equal(g.pairs.get(close), open);
    const commentIdx = g.tokens.findIndex((t) => t.text === '/* inline */');
    assert.equal(g.tokens[nextCode(g, commentIdx - 1)].text, 'f');
    assert.equal(g.tokens[prevCode(g, commentIdx + 1)].text, '}');
    assert.equal(nextCode(g, g.tokens.length - 1), -1);
    assert.equal(prevCode(g, 0), -1);
  });

  it('names functions as the compiler does, with their parameters and extent', () => {
    assert.deepEqual(g.funcs.map((f) => [f.name, f.simpleName, f.literal, f.line]), [
      ['F', 'F', false, 3],
      ['(*List).Push', 'Push', false, 7],
      ['List.Len', 'Len', false, 9],
      ['G', 'G', false, 11],
      ['func literal', '', true, 12],
    ]);
    const push = g.funcs[1];
    assert.equal(push.params, 'l *List[T], v T');
    const gf = g.funcs[3];
    assert.equal(TEXT.slice(gf.start, gf.end), TEXT.split('\n').slice(11, 16).join('\n'), 'a struct result type is not the body');
  });

  it('finds every function with a body where go/parser does, on real standard-library files', async () => {
    const parser: GoParser = await loadGoParser();
    const files = ['fmt/print.go', 'net/http/server.go', 'encoding/json/decode.go', 'sort/sort.go', 'math/big/nat.go'];
    for (const rel of files) {
      const text = fs.readFileSync(path.join(GOROOT, 'src', rel), 'utf8');
      const tree = await parser.parse(text);
      const want = tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration', 'func_literal'])
        .filter((n) => n.childForFieldName('body'))
        .map((n) => `${n.startIndex}-${n.endIndex}`).sort();
      const got = tokenize(text).funcs.map((f) => `${f.start}-${f.end}`).sort();
      assert.deepEqual(got, want, rel);
    }
  });
});
