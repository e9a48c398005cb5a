// Where a package's module is: the nearest go.mod (or go.work) above its directory, and its `go` line.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findUp(dir: string, names: readonly string[]): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (names.some((n) => fs.existsSync(path.join(d, n)))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The directory of the nearest go.mod above `dir`. */
export function moduleRoot(dir: string): string | undefined {
  return findUp(dir, ['go.mod']);
}

/** The module path a go.mod declares (`module example.com/m`), or undefined. */
export function modulePath(root: string): string | undefined {
  try {
    return /^module\s+"?([^\s"]+)"?/m.exec(fs.readFileSync(path.join(root, 'go.mod'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The directory of each package a log's `# pkg` headers name, where it lies in the module around `dir`
 * (`std` included, as in GOROOT/src). The external test package `p_test` is in p's directory. Packages
 * elsewhere (other modules, the module cache) are left out.
 */
export function packageDirsIn(dir: string, importPaths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const root = moduleRoot(dir);
  const mod = root && modulePath(root);
  if (!root || !mod) return out;
  const isDir = (d: string): boolean => { try { return fs.statSync(d).isDirectory(); } catch { return false; } };
  for (const header of importPaths) {
    const ip = header.replace(/ \[.*\]$/, '');
    if (out.has(ip)) continue;
    for (const p of ip.endsWith('_test') ? [ip, ip.slice(0, -'_test'.length)] : [ip]) {
      const rest = p === mod ? '' : p.startsWith(`${mod}/`) ? p.slice(mod.length + 1)
        : mod === 'std' && !p.split('/')[0].includes('.') ? p : undefined;
      if (rest === undefined) continue;
      const d = path.join(root, ...rest.split('/'));
      if (isDir(d)) { out.set(ip, d); break; }
    }
  }
  return out;
}

/** Is `dir` inside a module or workspace? If not, the go command must build it in GOPATH mode. */
export function insideModule(dir: string): boolean {
  return findUp(dir, ['go.mod', 'go.work']) !== undefined;
}

/** The minor version of the module's `go 1.N` line (loop-variable semantics change at 22). */
export function moduleGoMinor(dir: string): number | undefined {
  const root = moduleRoot(dir);
  if (!root) return undefined;
  const m = /^go\s+1\.(\d+)/m.exec(fs.readFileSync(path.join(root, 'go.mod'), 'utf8'));
  return m ? Number(m[1]) : undefined;
}

/**
 * Is `file` vendored code: inside a `vendor` directory that sits in a module root (next to go.mod) or a
 * workspace root (next to go.work)? A module that merely lives under some `vendor` folder
 * (`/home/me/vendor/app/`) is not.
 */
export function isVendored(file: string): boolean {
  for (let d = path.dirname(file); path.dirname(d) !== d; d = path.dirname(d)) {
    if (path.basename(d) !== 'vendor') continue;
    const root = path.dirname(d);
    if (fs.existsSync(path.join(root, 'go.mod')) || fs.existsSync(path.join(root, 'go.work'))) return true;
  }
  return false;
}
