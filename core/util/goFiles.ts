// The one reader of a package directory's Go files: which `.go` files it holds, with or without its
// `_test.go` files. An unreadable or vanished directory has none (the go command reports why).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GoFilesOptions {
  /** Include `_test.go` files (default true). */
  tests?: boolean;
  /** Only `_test.go` files. */
  onlyTests?: boolean;
}

/** Absolute paths of the directory's Go files, in directory order. */
export function goFilesIn(dir: string, options: GoFilesOptions = {}): string[] {
  const tests = options.tests ?? true;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith('.go') && (options.onlyTests ? f.endsWith('_test.go') : tests || !f.endsWith('_test.go')))
    .map((f) => path.join(dir, f));
}
