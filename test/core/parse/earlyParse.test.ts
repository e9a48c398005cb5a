// The early parse: blocks of real -m=2 output parsed as they arrive give what one parse of the whole
// output gives; the check against what the go command printed (text or bytes); a restart makes a
// pending end moot.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EarlyParse, withoutDownloads } from '../../../core/parse/earlyParse';
import { OutputParser, parseOutput } from '../../../core/parse/parse';
import { CancelledError } from '../../../core/util/cancel';
import { tempModule } from '../../helpers/goEnv';

describe('parse/earlyParse EarlyParse', function () {
  this.timeout(120_000);
  let output: string;
  before(() => {
    const dir = tempModule({ 'a.go': 'package m\n\nimport "fmt"\n\n// é in a comment, ← in a string\nfunc F(n int) string { return fmt.Sprint(n, "←") }\n\nfunc G() *int { x := 1; return &x }\n' });
    const r = spawnSync('go', ['build', '-gcflags=-m=2', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    output = r.stderr;
    assert.ok(output.includes('moved to heap: x'));
  });
  /** The output cut into blocks at arbitrary points, lines split across blocks. */
  const blocks = () => { const out: string[] = []; for (let i = 0; i < output.length; i += 97) out.push(output.slice(i, i + 97)); return out; };

  it('parses blocks as they come to what one parse of the whole output gives', async () => {
    const e = new EarlyParse(() => new OutputParser(), 0);
    for (const b of blocks()) e.add(b);
    const done = await e.end();
    assert.deepEqual(done.parsed, parseOutput(output));
    assert.equal(done.text(), output);
  });

  it('matches the printed text or its bytes exactly, and nothing else', async () => {
    const e = new EarlyParse(() => new OutputParser());
    for (const b of blocks()) e.add(b);
    const done = await e.end();
    assert.ok(done.matches({ output }));
    assert.ok(!done.matches({ output: output + '\n' }));
    assert.ok(!done.matches({ output: output.slice(0, -1) }));
    const bytes = Buffer.from(output, 'utf8');
    // Chunks cut inside a multi-byte character still hash as the same bytes.
    const cut = bytes.indexOf(Buffer.from('←')) + 1;
    assert.ok(cut > 0);
    assert.ok(done.matches({ output: '', raw: () => [bytes.subarray(0, cut), bytes.subarray(cut)] }));
    assert.ok(!done.matches({ output, raw: () => [bytes.subarray(1)] }));
  });

  it('matches the printed output when the go command printed its downloads first (a cold module cache)', async () => {
    const e = new EarlyParse(() => new OutputParser());
    for (const b of blocks()) e.add(b);
    const done = await e.end();
    const downloads = 'go: downloading github.com/gorilla/mux v1.8.1\ngo: downloading golang.org/x/sys v0.30.0\n';
    assert.ok(done.matches({ output: downloads + output }));
    const chunks = [Buffer.from(downloads), Buffer.from(output, 'utf8')];
    assert.ok(done.matches({ output: downloads + output, raw: () => chunks }));
    // Only download lines are left out: any other line the tee did not see is a difference.
    assert.ok(!done.matches({ output: 'go: finding something\n' + output }));
    assert.equal(withoutDownloads(downloads + output), output);
  });

  it('rejects an end that a restart overtook, and parses everything again after it', async () => {
    let parsers = 0;
    const e = new EarlyParse(() => { parsers++; return new OutputParser(); }, 0);
    for (const b of blocks()) e.add(b);
    const first = e.end();
    e.restart();
    await assert.rejects(first, CancelledError);
    const again = await e.end();
    assert.deepEqual(again.parsed, parseOutput(output));
    assert.equal(parsers, 2);
  });

  it('holds nothing after dispose', async () => {
    const e = new EarlyParse(() => new OutputParser());
    for (const b of blocks()) e.add(b);
    e.dispose();
    const done = await e.end();
    assert.equal(done.text(), '');
    assert.deepEqual(done.parsed.records, []);
  });
});
