// The cold-code rules on real Go sources: which allocations are drawn as hints because the path runs rarely.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGoParser } from '../../../core/locate/goParser';
import { SourceCache } from '../../../core/locate/sourceCache';
import { sourceContext } from '../../../core/present/codeContext';
import { coldRule } from '../../../core/present/coldCode';
import { DEFAULT_PRESENT } from '../../../core/present/rules';
import { finding } from '../../helpers/finding';
import { tempModule } from '../../helpers/goEnv';

const SRC = `package m

import (
	"errors"
	"fmt"
	"log"
)

var table = make([]int, 10)

func init() { _ = fmt.Sprint(1) }

func Work(n int) (string, error) {
	if n < 0 {
		return "", fmt.Errorf("negative: %d", n)
	}
	if n > 99 {
		panic(fmt.Sprint("too big ", n))
	}
	log.Printf("n=%d", n)
	return fmt.Sprint(n), errors.New("x")
}
`;

describe('present: cold code', () => {
  let file: string;
  let ctx: ReturnType<typeof sourceContext>;
  before(async () => {
    const dir = tempModule({ 'm.go': SRC });
    file = path.join(dir, 'm.go');
    const sources = new SourceCache(await loadGoParser());
    ctx = sourceContext((p) => sources.peek(p) ?? sources.get(p));
  });

  /** A finding on the last occurrence of `text` on the line holding `marker`. */
  const at = (marker: string, text: string, over = {}) => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(marker));
    const character = lines[line].lastIndexOf(text);
    return finding({ file, pos: { path: './m.go', line: line + 1, col: character + 1 }, range: { start: { line, character }, end: { line, character: character + text.length } }, function: 'Work', ...over });
  };

  it('an error built for a return, a panic argument, a log argument: each its own rule', () => {
    assert.equal(coldRule(at('negative', 'n'), DEFAULT_PRESENT, ctx), 'cold-error');
    assert.equal(coldRule(at('too big', 'n'), DEFAULT_PRESENT, ctx), 'cold-panic');
    assert.equal(coldRule(at('log.Printf', 'n'), DEFAULT_PRESENT, ctx), 'cold-logging');
  });

  it('init functions and package-level initialisers run once', () => {
    assert.equal(coldRule(at('func init', '1', { function: 'init' }), DEFAULT_PRESENT, ctx), 'cold-init');
    assert.equal(coldRule(at('var table', 'make([]int, 10)', { function: undefined }), DEFAULT_PRESENT, ctx), 'cold-init');
  });

  it('an ordinary return value is not cold, and a rule turned off no longer applies', () => {
    assert.equal(coldRule(at('return fmt.Sprint(n)', 'n'), DEFAULT_PRESENT, ctx), undefined);
    const noPanic = { ...DEFAULT_PRESENT, cold: { ...DEFAULT_PRESENT.cold, panic: false } };
    assert.equal(coldRule(at('too big', 'n'), noPanic, ctx), undefined);
  });
});
