// Files that are not the user's to change: the standard library (GOROOT), downloaded modules (the module
// cache, downloaded toolchains included) and vendored copies. Opened from a graph node or "Go to
// Definition", they are read, never analysed: the best extensions publish nothing for them, so the
// Problems panel lists only the user's code.
import * as path from 'node:path';
import { goEnvOnce } from '../../core/run/goEnv';
import { isVendored } from '../../core/run/module';
import type { Settings } from '../settings';

/** How long the first file of a session waits for `go env` to say where GOROOT and the module cache are. */
const ENV_WAIT_MS = 2000;

/** Why `file` is read-only code (`GOROOT`, `the module cache`, `vendored code`), or undefined if it is the user's. */
export async function readOnlyTree(file: string, s: Pick<Settings, 'goCommand' | 'env'>): Promise<string | undefined> {
  if (isVendored(file)) return 'vendored code';
  // GOTOOLCHAIN=local: this question never downloads the toolchain a go.mod asks for (the build does, and
  // says so); a downloaded toolchain's own sources are in the module cache, which is asked about too.
  const run = { dir: path.dirname(file), goCommand: s.goCommand, env: { ...s.env, GOTOOLCHAIN: 'local' } };
  const answers = Promise.all([goEnvOnce(run, 'GOROOT', false).answer, goEnvOnce(run, 'GOMODCACHE', false).answer]);
  // A go command slow to answer (downloading the toolchain go.mod asks for, or hung) never holds up the
  // analysis of the user's own files: past ENV_WAIT_MS the file is taken as the user's.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ENV_WAIT_MS); });
  const known = await Promise.race([answers, late]).finally(() => clearTimeout(timer));
  if (!known) return undefined;
  const [goroot, modcache] = known;
  if (goroot && inside(file, goroot)) return 'GOROOT (the standard library)';
  if (modcache && inside(file, modcache)) return 'the module cache';
  return undefined;
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
