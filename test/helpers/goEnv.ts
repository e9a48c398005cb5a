// Facts about the Go toolchain the tests run against, and temp dirs that are always cleaned up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

export const GOROOT = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
export const GOVERSION = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
export { REPO } from './repo';
import { REPO } from './repo';
/**
 * Recorded `-m=2` output of older Go releases on their own escape tests (test/transcripts/README.md): kept
 * in the repository, so that a clone anywhere runs the parser's cross-version tests.
 */
export const TRANSCRIPTS = path.join(REPO, 'test', 'transcripts');

// Every test bundle carries its own copy of this module: one list and one exit hook per process.
const shared = globalThis as typeof globalThis & { __gelTempDirs?: string[] };
const made: string[] = shared.__gelTempDirs ??= (() => {
  const list: string[] = [];
  process.on('exit', () => { for (const d of list) fs.rmSync(d, { recursive: true, force: true }); });
  return list;
})();

/** A fresh dir in the OS temp dir, removed when the test process exits. */
export function tempDir(prefix = 'gel-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Writes a one-package module into a fresh temp dir. */
export function tempModule(files: Record<string, string>, goLine = '1.24', module = 'example.com/m'): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'go.mod'), `module ${module}\n\ngo ${goLine}\n`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
