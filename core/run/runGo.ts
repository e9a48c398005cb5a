// Runs the go command for one package directory: an argument array (never a shell), a hard timeout,
// cancellation that ends the whole process tree, unsaved buffers through -overlay in the OS temp dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTempDir, removeTempDir } from './processes';
import { CancelledError, lazyProperty, spawnTracked } from './spawn';
import { goArgs, type CommandSpec } from './flags';
import { withoutShadowedSections } from './testSections';
import { watchDownloads, type DownloadNotice } from './downloads';

export interface RunOptions {
  /** The package directory; the go command runs here so relative paths are relative to it. */
  dir: string;
  goCommand?: string;
  mode?: CommandSpec['mode'];
  escapeFlags?: string[];
  gcflags?: string[];
  buildFlags?: string[];
  env?: Record<string, string>;
  /** Unsaved contents: absolute file path → text. */
  overlay?: ReadonlyMap<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Import paths to analyse from `dir` instead of the package in `dir` (see CommandSpec.packages). */
  packages?: string[];
  /** Largest output accepted, in bytes. */
  maxOutputBytes?: number;
  /** Told while the go command runs when it downloads a toolchain or a module first. */
  onDownload?: (notice: DownloadNotice) => void;
  /**
   * Sees the output as the go command prints it (stdout and stderr interleaved, as in `output`). Not
   * called with an overlay (its temp file names are replaced in the whole output only); a test build's
   * is passed on whole once it ends (see testSections.ts).
   */
  onOutput?: (chunk: string) => void;
  /** With onOutput: the caller keeps what it needs of the output; `output` is empty (see spawnTracked). */
  onlyOnOutput?: boolean;
  /** Also list every compiled package's export file (CommandSpec.exports), in the result's `exports`. */
  exports?: boolean;
}

export interface RunResult {
  /** stdout and stderr interleaved, decoded when first read. */
  output: string;
  /** The same bytes undecoded; undefined when the text was rewritten (an overlay's temp names). */
  raw?: () => readonly Buffer[];
  exitCode: number;
  args: string[];
  durationMs: number;
  /** With RunOptions.exports: what the go command printed on stdout (EXPORTS_TEMPLATE lines). */
  exports?: string;
}

export class GoNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`The go command "${command}" was not found. Install Go or set goEscapeLens.goCommand (CLI: --go) to its path.`);
  }
}
export { CancelledError, GoEnvironmentError, TimeoutError } from './spawn';
export class OutputTooLargeError extends Error {
  constructor(readonly limit: number) { super(`the compiler printed more than ${Math.round(limit / 1e6)} MB; not analysed`); }
}

export async function runGo(opts: RunOptions): Promise<RunResult> {
  const command = opts.goCommand || 'go';
  if (opts.signal?.aborted) throw new CancelledError();
  if (!fs.existsSync(opts.dir) || !fs.statSync(opts.dir).isDirectory()) throw new Error(`not a directory: ${opts.dir}`);
  const tmp = opts.overlay && opts.overlay.size > 0 ? writeOverlay(opts.overlay) : undefined;
  try {
    const args = goArgs({
      mode: opts.mode ?? 'build',
      escapeFlags: opts.escapeFlags,
      gcflags: opts.gcflags,
      buildFlags: opts.buildFlags,
      overlayFile: tmp?.file,
      packages: opts.packages,
      exports: opts.exports,
    });
    // A test build's output is filtered as a whole (its sections come in any order): passed on at the end.
    const tests = opts.mode === 'test';
    const started = performance.now();
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const maxBuffer = opts.maxOutputBytes ?? 256 * 1024 * 1024;
    const result = await spawnTracked(command, args, { cwd: opts.dir, env: opts.env, all: true, maxBuffer, timeoutMs, signal: opts.signal,
      onStderr: opts.onDownload && ((s) => watchDownloads(s, opts.onDownload!)), onOutput: tmp || tests ? undefined : opts.onOutput,
      onlyOnOutput: !tmp && !tests && opts.onlyOnOutput, stdoutApart: opts.exports });
    const exports = opts.exports ? { exports: result.stdout } : {};
    if (result.notFound) throw new GoNotFoundError(command);
    if (result.tooLarge) throw new OutputTooLargeError(maxBuffer);
    const durationMs = performance.now() - started;
    if (tmp || tests) {
      let output = tests ? withoutShadowedSections(result.all) : result.all;
      // Compile errors name the overlay's temp file; findings and users want the real file. The go
      // command prints a path relative to its dir when that is shorter (`../go-escape-lens-…/0-a.go`
      // for a package beside the temp dir), so the relative form is replaced too, after the absolute.
      for (const [tmpFile, real] of tmp?.paths ?? []) {
        output = output.split(tmpFile).join(real);
        const rel = path.relative(opts.dir, tmpFile);
        if (rel !== tmpFile) output = output.split(rel).join(real);
      }
      if (tests && !tmp) opts.onOutput?.(output);
      return { output, exitCode: result.exitCode, args, durationMs, ...exports };
    }
    // Decoded only if read: an early analysis compares the bytes (core/analysis/earlyAnalysis.ts), and a
    // big output decoded for nothing is a string in V8's old generation on every save.
    const run = { output: '', raw: () => result.raw(), exitCode: result.exitCode, args, durationMs, ...exports };
    lazyProperty(run, 'output', () => result.all);
    return run;
  } finally {
    if (tmp) removeTempDir(tmp.dir);
  }
}

/** Unsaved contents as a go command -overlay file in a temp dir (the caller removes the dir). */
export function writeOverlay(files: ReadonlyMap<string, string>): { dir: string; file: string; paths: Map<string, string> } {
  const dir = makeTempDir();
  const replace: Record<string, string> = {};
  const paths = new Map<string, string>();
  let i = 0;
  for (const [abs, text] of files) {
    const tmp = path.join(dir, `${i++}-${path.basename(abs)}`);
    fs.writeFileSync(tmp, text);
    replace[abs] = tmp;
    paths.set(tmp, abs);
  }
  const file = path.join(dir, 'overlay.json');
  fs.writeFileSync(file, JSON.stringify({ Replace: replace }));
  return { dir, file, paths };
}

/** Files of the package that its build constraints exclude (`go list`), for telling users why a file is silent. */
export async function ignoredGoFiles(opts: Pick<RunOptions, 'dir' | 'goCommand' | 'env' | 'buildFlags' | 'timeoutMs' | 'signal'>): Promise<string[]> {
  const flags = (opts.buildFlags ?? []).filter((f) => /^-?-tags(=|$)/.test(f));
  const r = await spawnTracked(opts.goCommand || 'go', ['list', '-e', '-f', '{{join .IgnoredGoFiles " "}}', ...flags, '.'], {
    cwd: opts.dir, env: opts.env, timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal,
  });
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}
