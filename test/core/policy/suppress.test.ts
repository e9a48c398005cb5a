// `//escape:ignore` on the line, the line above, or a function's doc comment, on sources parsed by the
// real Go parser.
import * as assert from 'node:assert/strict';
import { DIRECTIVE, suppressionFor } from '../../../core/policy/suppress';
import { GoSource } from '../../../core/locate/goSource';
import { loadGoParser, type GoParser } from '../../../core/locate/goParser';

const TEXT = [
  'package m',                                          // 1
  '',                                                   // 2
  'import "fmt"',                                       // 3
  '',                                                   // 4
  '// Hot is called once per request.',                 // 5
  '//escape:ignore the caller pools these',             // 6
  'func Hot(n int) string {',                           // 7
  '\treturn fmt.Sprint(n)',                             // 8
  '}',                                                  // 9
  '',                                                   // 10
  'func Cold(n int) string {',                          // 11
  '\ts := fmt.Sprint(n) //escape:ignore  logged once ', // 12
  '\t//escape:ignore',                                  // 13
  '\ts += fmt.Sprint(n)',                               // 14
  '\ts += fmt.Sprint(n) //escape:ignored not ours',     // 15
  '\treturn s + fmt.Sprint(n)',                         // 16
  '}',                                                  // 17
  '',
].join('\n');

describe('policy/suppress suppressionFor', function () {
  this.timeout(60_000);
  let src: GoSource;
  before(async () => { src = new GoSource('/m/a.go', TEXT, await loadGoParser()); });
  const offsetOfLine = (line: number) => src.lines.lineStart(line - 1) + 1;

  it('reads the reason on the finding’s own line, trimmed', () => {
    assert.equal(DIRECTIVE, '//escape:ignore');
    assert.equal(suppressionFor(src, 12, offsetOfLine(12)), 'logged once');
  });

  it('reads a directive on the line above, with a stand-in when it gives no reason', () => {
    assert.equal(suppressionFor(src, 14, offsetOfLine(14)), 'no reason given');
  });

  it('ignores words that only start like the directive', () => {
    assert.equal(suppressionFor(src, 15, undefined), undefined);
  });

  it('applies a doc-comment directive to the whole function, and only to it', () => {
    assert.equal(suppressionFor(src, 8, offsetOfLine(8)), 'the caller pools these');
    assert.equal(suppressionFor(src, 16, offsetOfLine(16)), undefined);
    // Without an offset the enclosing function is unknown: only the line and the line above count.
    assert.equal(suppressionFor(src, 8, undefined), undefined);
  });

  it('has nothing to say in a file without the directive', async () => {
    const plain = new GoSource('/m/b.go', TEXT.replace(/\/\/escape:ignore/g, '// note'), await loadGoParser());
    assert.equal(suppressionFor(plain, 12, plain.lines.lineStart(11) + 1), undefined);
  });
});
