// The CLI's options as a shell user means them, read without running anything: a relative --go from the
// current dir, deadlines clamped to what a timer holds, --bench patterns checked as go test splits them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseCli, UsageError } from '../../cli/args';
import { MAX_TIMER_MS } from '../../core/platform';

describe('CLI options', () => {
  it('--go: a path with a separator is resolved from the current dir; a bare name is left to PATH', () => {
    assert.equal(parseCli(['--go', './mygo']).goCommand, path.resolve('mygo'));
    assert.equal(parseCli(['--go', 'bin/go']).goCommand, path.resolve('bin/go'));
    assert.equal(parseCli(['--go', '/usr/bin/go']).goCommand, '/usr/bin/go');
    assert.equal(parseCli(['--go', 'go1.24']).goCommand, 'go1.24');
  });

  it('--timeout: seconds, clamped to the longest delay a Node timer holds', () => {
    assert.equal(parseCli(['--timeout', '2']).timeoutMs, 2000);
    assert.equal(parseCli(['--timeout', '3000000']).timeoutMs, MAX_TIMER_MS);
    assert.throws(() => parseCli(['--timeout', '0']), UsageError);
  });

  it('--bench: each slash-separated part must be an RE2 regexp; brackets and groups keep their slashes', () => {
    for (const ok of ['.', 'BenchmarkX', 'A/B', 'A[/]B', '(a/b)', '(?P<n>x)', 'a\\/b']) assert.equal(parseCli(['--bench', ok]).bench, ok);
    for (const bad of ['(', 'x/[', 'a(?=b)', 'a(?<!b)', '(a)\\1']) assert.throws(() => parseCli(['--bench', bad]), UsageError, bad);
  });
});
