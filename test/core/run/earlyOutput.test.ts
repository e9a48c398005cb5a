// The early output's -toolexec value: the helper's path as one word of the go command's quoting
// (cmd/internal/quoted: words split on spaces, each may be wrapped in '…' or "…").
import * as assert from 'node:assert/strict';
import { toolexecWord } from '../../../core/run/earlyOutput';

describe('run/earlyOutput toolexecWord', () => {
  it('keeps a plain path, quotes one with spaces, and gives up when both quotes are in it', () => {
    assert.equal(toolexecWord('/home/dev/.cache/goast'), '/home/dev/.cache/goast');
    assert.equal(toolexecWord('/Users/Dev Name/goast'), '"/Users/Dev Name/goast"');
    assert.equal(toolexecWord('/tmp/say "hi"/goast'), `'/tmp/say "hi"/goast'`);
    assert.equal(toolexecWord(`/tmp/it's/goast`), `"/tmp/it's/goast"`);
    assert.equal(toolexecWord(`/tmp/"a" 'b'/goast`), undefined);
  });
});
