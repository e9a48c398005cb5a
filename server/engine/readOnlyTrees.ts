// Files that are not the user's to change: the standard library (GOROOT), downloaded modules (the module
// cache, downloaded toolchains included) and vendored copies. Opened from a graph node or "Go to
// Definition", they are read, never analysed: the best extensions publish nothing for them, so the
// Problems panel lists only the user's code.
import * as path from 'node:path';
import { goEnvOnce } from '../../core/run/goEnv';
import { isVendored } from '../../core/run/module';
import type { Settings } from '../settings';

/** Why `file` is read-only code (`GOROOT`, `the module cache`, `vendored code`), or undefined if it is the user's. */
export async function readOnlyTree(file: string, s: Pick<Settings, 'goCommand' | 'env'>): Promise<string | undefined> {
  if (isVendored(file)) return 'vendored code';
  const run = { dir: path.dirname(file), goCommand: s.goCommand, env: s.env };
  const [goroot, modcache] = await Promise.all([goEnvOnce(run, 'GOROOT', false).answer, goEnvOnce(run, 'GOMODCACHE', false).answer]);
  if (goroot && inside(file, goroot)) return 'GOROOT (the standard library)';
  if (modcache && inside(file, modcache)) return 'the module cache';
  return undefined;
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
