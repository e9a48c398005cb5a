// What differs between the operating systems a Go developer uses, in one value: path semantics, the null
// device, executable names. Code takes a `Platform` (the host's by default) instead of asking
// `process.platform`, so win32 behaviour is unit-tested on a Linux machine with `path.win32` injected.
import * as os from 'node:os';
import * as path from 'node:path';

export interface Platform {
  /** `process.platform` of the system this describes. */
  readonly name: NodeJS.Platform;
  readonly windows: boolean;
  /** `path.win32` or `path.posix`: never the host's `path` when describing another system. */
  readonly path: path.PlatformPath;
  /**
   * What `go build -o` gets to throw the binary away. Go's own `os.DevNull` (`NUL` on Windows, not Node's
   * `\\.\nul`): the go command compares `-o` with it and then skips writing anything at all.
   */
  readonly nullDevice: string;
  /** Suffix of executables (`gofmt.exe`). */
  readonly exeSuffix: string;
  /**
   * Whether file names differ only by case on the usual file system (NTFS, APFS): only drive letters are
   * normalised (see `normalizePath`); other case differences are left as the OS reported them.
   */
  readonly caseInsensitive: boolean;
}

export function platformFor(name: NodeJS.Platform): Platform {
  const windows = name === 'win32';
  return {
    name,
    windows,
    path: windows ? path.win32 : path.posix,
    nullDevice: windows ? 'NUL' : '/dev/null',
    exeSuffix: windows ? '.exe' : '',
    caseInsensitive: windows || name === 'darwin',
  };
}

export const HOST: Platform = platformFor(process.platform);
export const WIN32: Platform = platformFor('win32');
export const LINUX: Platform = platformFor('linux');
export const DARWIN: Platform = platformFor('darwin');

/** `name` as an executable file name on `p` (`gofmt` → `gofmt.exe` on Windows). */
export function executable(name: string, p: Platform = HOST): string {
  return p.windows && !name.toLowerCase().endsWith('.exe') ? name + p.exeSuffix : name;
}

/**
 * One spelling per file, so that paths from URIs (VS Code writes `c:`), from the compiler (`C:`) and from
 * `path.resolve` compare equal: on Windows the drive letter is upper-cased and separators are `\`.
 * UNC paths (`\\server\share\…`) keep their case. POSIX paths are returned as they are.
 */
export function normalizePath(p: string, plat: Platform = HOST): string {
  if (!plat.windows) return p;
  const s = p.replace(/\//g, '\\');
  return /^[a-z]:/.test(s) ? s[0].toUpperCase() + s.slice(1) : s;
}

/** A path with a drive letter (`C:\x`, `c:/x`) or a UNC share (`\\server\share\x`). */
export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || /^[\\/]{2}[^\\/]+[\\/]+[^\\/]+/.test(p);
}

/**
 * The user's cache directory, as Go's os.UserCacheDir decides it: %LocalAppData% on Windows,
 * ~/Library/Caches on macOS, $XDG_CACHE_HOME (when absolute) or ~/.cache elsewhere.
 */
export function userCacheDir(
  plat: Platform = HOST, env: Readonly<Record<string, string | undefined>> = process.env, home: string = os.homedir(),
): string {
  const p = plat.path;
  if (plat.windows) return env.LocalAppData || env.LOCALAPPDATA || p.join(home, 'AppData', 'Local');
  if (plat.name === 'darwin') return p.join(home, 'Library', 'Caches');
  const xdg = env.XDG_CACHE_HOME;
  return xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.cache');
}
