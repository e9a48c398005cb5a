// The analysis of a compile's output while the backend still runs (the language server, see docs/architecture.md "How it
// reads the compiler"): the parser helper tees the compile's output as the compiler prints it
// (run/earlyOutput.ts), it is parsed as it arrives (parse/earlyParse.ts), analysed once it stops, and the
// result is kept only if the go command then prints exactly that text. Anything else (go's own lines,
// `$WORK` paths, a failed build, more output after the analysis began) leaves the printed text to the
// ordinary analysis: results stay a function of what the go command prints.
import * as fs from 'node:fs';
import type { AnalysisResult } from '../model';
import type { SourceCache } from '../locate/sourceCache';
import { goEnvOnce } from '../run/goEnv';
import { OutputParser, type ParsedOutput } from '../parse/parse';
import { EarlyParse, type Printed } from '../parse/earlyParse';
import { openEarlyOutput, type EarlyOutput } from '../run/earlyOutput';
import { goLineRewriter } from '../run/goPrints';
import type { RunOptions, RunResult } from '../run/runGo';

/** What an early analysis reads of the package analysis' options. */
export interface EarlyOptions extends Pick<RunOptions, 'dir' | 'goCommand' | 'env' | 'mode' | 'buildFlags' | 'overlay' | 'packages' | 'signal'> {
  sources: Pick<SourceCache, 'helperBinary'>;
  all?: boolean;
}

/** The files the parser names, handed to the parser helper as it names them (SourceCache.preloadAsNamed). */
export type NamedPreload = ReturnType<SourceCache['preloadAsNamed']>;

/** An analysis and what the caller's `prepare` made of it. */
export interface Analysed { result: AnalysisResult; prepared?: unknown }

export interface EarlyWork {
  /** Preloads the files the parser names (as the ordinary analysis does). */
  named(): NamedPreload;
  /** The parsed early text → the analysis (and its preparation), as the ordinary path would make it. */
  analyse(parsed: ParsedOutput, named: NamedPreload, text: () => string, signal: AbortSignal): Promise<Analysed>;
}

/** How long the early output must stop growing before it is analysed (the backend prints nothing). */
const QUIET_MS = 50;

/**
 * Below this much source the compile is over in a few hundred milliseconds and its analysis in a few
 * tens: the tee's two extra processes would cost about what the early analysis saves.
 */
const MIN_SOURCE = 64_000;

/**
 * Above this much source the early copy (two bytes per character of output, held until go prints its own)
 * would count against the server's memory on the biggest packages (their -m=2 output is some twenty times their source), where
 * the analysis after go exits is a small part of a compile of many seconds anyway.
 */
const MAX_SOURCE = 1_000_000;

export class EarlyAnalysis {
  /** `used`: the early analysis was kept; `redone`: the printed output differed. Unset when nothing came early. */
  outcome: 'used' | 'redone' | undefined;
  private speculation: { matches: Promise<(printed: Printed) => boolean>; controller: AbortController; result: Promise<Analysed> } | undefined;
  private feed: EarlyParse | undefined;

  private constructor(private readonly output: EarlyOutput, opts: EarlyOptions, work: EarlyWork) {
    const named = work.named();
    const feed = this.feed = new EarlyParse(() => {
      const parser = new OutputParser({ exitCode: 0, heapOnly: !opts.all });
      parser.onPath = named.onPath;
      return parser;
    });
    let ended = false;
    output.onLines = (block) => feed.add(block);
    output.onQuiet = () => {
      this.drop();
      this.outcome = 'redone';
      ended = true;
      const controller = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
      const ready = feed.end();
      const s = {
        matches: ready.then((r) => r.matches),
        controller,
        result: ready.then((r) => work.analyse(r.parsed, named, r.text, signal)),
      };
      s.matches.catch(() => undefined);
      s.result.catch(() => undefined);
      this.speculation = s;
    };
    output.onMore = () => {
      this.drop();
      if (ended) { ended = false; feed.restart(); }
    };
  }

  /**
   * An early analysis for this build, when it applies: one package of some size (not the biggest) built
   * (not tested) as it is on disk, with the parser helper already built (it is the tee), and no -toolexec
   * of the user's. Test builds compile several variants, an overlay's temp names are replaced in the
   * printed output only, and `gcassert:bce` contracts print during the backend.
   */
  static async open(opts: EarlyOptions, files: ReadonlyMap<string, string>, extraFlags: readonly string[], work: EarlyWork): Promise<EarlyAnalysis | undefined> {
    const goflags = goFlagsKnown(opts);
    // GOFLAGS of the environment or of the go env file: a -toolexec of the user's is never replaced.
    if (goflags === undefined || [...(opts.buildFlags ?? []), goflags].some(userOwned)) return undefined;
    if (opts.packages?.length || opts.mode === 'test' || (opts.overlay && opts.overlay.size > 0) || extraFlags.length > 0) return undefined;
    let size = 0;
    for (const text of files.values()) size += text.length;
    if (size < MIN_SOURCE || size > MAX_SOURCE) return undefined;
    const helper = opts.sources.helperBinary();
    if (!helper) return undefined;
    // The go command names the directory as getcwd() does: the real path, symbolic links resolved.
    let dir: string;
    try { dir = fs.realpathSync(opts.dir); } catch { return undefined; }
    const output = await openEarlyOutput(helper, QUIET_MS, goLineRewriter(dir)).catch(() => undefined);
    return output && new EarlyAnalysis(output, opts, work);
  }

  /** The value of the go command's -toolexec flag. */
  get toolexec(): string {
    return this.output.toolexec;
  }

  /** Stops listening (the go command exited). */
  close(): void {
    this.output.close();
  }

  /**
   * The early analysis if the go command printed exactly its text (and the build succeeded), else
   * undefined. Everything early is let go of: a finding's strings never point into it.
   */
  async take(run: RunResult, signal?: AbortSignal): Promise<Analysed | undefined> {
    const s = this.speculation;
    try {
      // The text first (ready at once): an analysis of another text is not waited for.
      if (!s || run.exitCode !== 0 || !(await s.matches)(run)) return undefined;
      const kept = await s.result;
      this.outcome = 'used';
      return kept;
    } catch (e) {
      // The caller's cancellation is the caller's; any other failure leaves the printed text to analyse.
      if (signal?.aborted) throw e;
      return undefined;
    } finally {
      this.drop();
      this.output.onLines = this.output.onQuiet = this.output.onMore = undefined;
      this.feed?.dispose();
      this.feed = undefined;
    }
  }

  private drop(): void {
    this.speculation?.controller.abort();
    this.speculation = undefined;
  }
}

/** A -toolexec of the user's (in the flags, GOFLAGS or the go env file): never replaced by the tee. */
function userOwned(flags: string): boolean {
  return /(^|\s)--?toolexec\b/.test(flags);
}

/**
 * `go env GOFLAGS` of the go command (the environment's, else the go env file's: the same for every
 * module), once it is known: asked in the background the first time, undefined until it has answered.
 */
function goFlagsKnown(opts: EarlyOptions): string | undefined {
  return goEnvOnce(opts, 'GOFLAGS', false).value;
}
