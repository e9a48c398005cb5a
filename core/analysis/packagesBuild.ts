// The one go command of a many-packages analysis, started at once, before the packages are listed: the
// go command loads the package graph itself, so waiting for `go list` would only add its time. Its output
// is kept until someone reads it.
import { runGo, type RunOptions, type RunResult } from '../run/runGo';

/** A go command started early (beside `go list`), whose output is kept until someone reads it. */
export interface StartedBuild {
  root: string;
  gcflags: readonly string[];
  run: Promise<RunResult>;
  /** Receives the output seen so far, then each chunk as it comes. */
  read(sink: (chunk: string) => void): void;
  /** Ends the go command (it was started with flags that turned out wrong, or is not needed). */
  cancel(): void;
}

export interface BuildStart extends Pick<RunOptions, 'goCommand' | 'gcflags' | 'buildFlags' | 'env' | 'timeoutMs' | 'signal' | 'onDownload'> {
  /** The directory the pattern is relative to. */
  root: string;
  /** The package pattern: `./...`. */
  pattern: string;
}

/**
 * Starts the compile of PATTERN with `-gcflags=PATTERN=-m=2` in root. Contract flags are known after the
 * listing: analyzePackages restarts the build in the rare case they are needed.
 */
export function startPackagesBuild(opts: BuildStart): StartedBuild {
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let chunks: string[] | undefined = [];
  let sink: ((chunk: string) => void) | undefined;
  const gcflags = [...(opts.gcflags ?? [])];
  const run = runGo({
    dir: opts.root, packages: [opts.pattern], goCommand: opts.goCommand, mode: 'build', gcflags, buildFlags: opts.buildFlags,
    env: opts.env, timeoutMs: opts.timeoutMs, signal: abort.signal, onDownload: opts.onDownload,
    onOutput: (s) => { if (sink) sink(s); else chunks!.push(s); },
  });
  void run.finally(() => opts.signal?.removeEventListener('abort', onAbort)).catch(() => undefined);
  return {
    root: opts.root, gcflags, run,
    read(to) {
      for (const c of chunks ?? []) to(c);
      chunks = undefined;
      sink = to;
    },
    cancel() { abort.abort(); run.catch(() => undefined); },
  };
}
