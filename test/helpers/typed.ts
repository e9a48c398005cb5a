// A temp module type-checked by core/typed: its directory, one file of it, and that file's package's facts.
import * as path from 'node:path';
import { typedFacts } from '../../core/typed/packageTypes';
import type { TypedFacts } from '../../core/typed/typedFacts';
import { tempModule } from './goEnv';

export interface CheckedModule { root: string; dir: string; file: string; facts: TypedFacts }

/** Writes the module and checks the package of `file` (a path in `files`). */
export async function checkedModule(files: Record<string, string>, file: string): Promise<CheckedModule> {
  const root = tempModule(files);
  const abs = path.join(root, file);
  const dir = path.dirname(abs);
  return { root, dir, file: abs, facts: await typedFacts(dir) };
}
