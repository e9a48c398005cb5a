// gcassert (github.com/jordanlewis/gcassert) as the reference for its own directives: built once per test
// process from the pinned module in test/gcassert (go.mod and go.sum), through the module proxy. Its own
// go.mod pins golang.org/x/tools v0.17.0, which no longer builds with Go 1.26 (and whose go/packages
// cannot read Go 1.27's export data): the pin here takes a current x/tools.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO, tempDir } from './goEnv';

const run = promisify(execFile);

/** gcassert's noescape check matches `escapes to heap:`, which Go 1.24 changed: the last Go it works with. */
export const GCASSERT_LAST_WORKING_GO = 'go1.23.12';

let built: Promise<string> | undefined;
let cache: string | undefined;

function build(): Promise<string> {
  built ??= (async () => {
    const dir = tempDir('gel-gcassert-');
    for (const f of ['go.mod', 'go.sum', 'tools.go']) fs.copyFileSync(path.join(REPO, 'test/gcassert', f), path.join(dir, f));
    const bin = path.join(dir, 'gcassert');
    await run('go', ['build', '-mod=readonly', '-o', bin, 'github.com/jordanlewis/gcassert/cmd/gcassert'], { cwd: dir, env: { ...process.env, GOFLAGS: '' } });
    return bin;
  })();
  return built;
}

/**
 * gcassert's verdicts on the package in `dir`: `file.go:LINE: MESSAGE` for each failed assertion (the
 * message as gcassert prints it, after the node's source). `toolchain` sets GOTOOLCHAIN for its go runs.
 */
export async function gcassertVerdicts(dir: string, toolchain?: string): Promise<string[]> {
  const bin = await build();
  // gcassert leaves a log file in the temp dir on every run: give it one that is removed.
  const tmp = tempDir('gel-gcassert-run-');
  // Its own build cache: on a hit the go command replays the compiler's output with paths relative to
  // wherever the same source was first built (another clone of this repository, say), which gcassert
  // cannot match to its files, and it then reports every assertion as failed.
  cache ??= tempDir('gel-gcassert-cache-');
  const env = { ...process.env, TMPDIR: tmp, GOCACHE: cache, GOFLAGS: '', ...(toolchain ? { GOTOOLCHAIN: toolchain } : {}) };
  let stderr: string;
  try {
    ({ stderr } = await run(bin, ['.'], { cwd: dir, env }));
  } catch (e) {
    // Exit status 1 when an assertion fails: its report is on stderr. Anything else is gcassert failing.
    stderr = (e as { stderr?: string }).stderr ?? '';
    if ((e as { code?: number }).code !== 1 || !/^[\w./-]+\.go:\d+:\t/m.test(stderr)) throw e;
  }
  const entries = stderr.split(/\n(?=[\w./-]+\.go:\d+:\t)/).filter((s) => /^[\w./-]+\.go:\d+:\t/.test(s));
  return entries.map((e) => {
    const [, file, line] = /^([\w./-]+\.go):(\d+):\t/.exec(e)!;
    const body = e.trimEnd();
    const m = /(unknown directive "[^"]*"|[^:\s]+ escapes to heap(?: in \S+)?:|Found Is\w+|call was not inlined)$/.exec(body);
    if (!m) throw new Error(`unrecognised gcassert output: ${e}`);
    return `${path.basename(file)}:${line}: ${m[1]}`;
  });
}
