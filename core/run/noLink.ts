// Builds for the compiler's diagnostics need no linking: `go build -o /dev/null` links every command of a
// tree again on each run (the go command does not cache the executables it builds), and on a warm build
// cache that is nearly all of its time (golang.org/x/tools: 0.3 s of replayed compiles, then 6.5 s of
// links). With `-toolexec="<parser helper> -nolink"` the go command runs every tool unchanged but the
// linker, whose output is an empty file it then discards (goast/nolink.go). The compiles, their cache
// entries and their output are the same as without it.
import { toolexecWord } from './earlyOutput';
import { goEnvOnce } from './goEnv';
import type { RunOptions } from './runGo';

/** The first Go release the skipped link is tested with (the go command reads the linker's output back). */
const FIRST_MINOR = 26;

type NoLinkOptions = Pick<RunOptions, 'dir' | 'goCommand' | 'env' | 'buildFlags' | 'onDownload'>;

/**
 * The -toolexec flag that skips linking, when it applies: a release of Go 1.26 or later, no -toolexec or
 * -buildmode of the user's (in the flags, in GOFLAGS or the go env file), the parser helper built, and not
 * on Windows (the wrapper is untried there). What go says and the helper's build are waited for up to
 * `waitMs` (asked once per module; the helper is built once per toolchain and machine): a first build that
 * did not wait would link, and a command whose link fails would show that error once and never again.
 */
export async function noLinkFlag(opts: NoLinkOptions, helper: () => string | undefined | Promise<string | undefined>, waitMs: number, signal?: AbortSignal): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  if ((opts.buildFlags ?? []).some(userOwned)) return undefined;
  const goflags = goEnvOnce(opts, 'GOFLAGS', false);
  const version = goEnvOnce(opts, 'GOVERSION', true);
  const answers = Promise.all([goflags.answer, version.answer, helper()]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
    onAbort = () => resolve(undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const known = await Promise.race([answers, late]);
    if (!known) return undefined;
    const [flags, goVersion, bin] = known;
    if (flags === undefined || userOwned(flags) || !supported(goVersion) || !bin) return undefined;
    const word = toolexecWord(bin);
    return word && `-toolexec=${word} -nolink`;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A flag that makes the build the user's own: their -toolexec (never replaced), or a build mode whose
 * outputs the linker makes. The tee (core/earlyAnalysis.ts) skips links too, so it asks the same.
 */
export function userOwned(flags: string): boolean {
  return /(^|\s)--?(toolexec|buildmode)\b/.test(flags);
}

/** A Go release (not a development toolchain, whose linker answers with a build ID) of FIRST_MINOR or later. */
export function supported(goVersion: string | undefined): boolean {
  const m = /^go1\.(\d+)(\.\d+)?(\s|$)/.exec(goVersion ?? '');
  return !!m && Number(m[1]) >= FIRST_MINOR;
}
