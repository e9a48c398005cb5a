// Command-line options of go-escape-lens. parseArgs is Node's own; the help text lists every option.
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { splitFlags } from '../core/run/flags';
import { MAX_TIMER_MS } from '../core/platform';

export interface CliOptions {
  targets: string[];
  json: boolean;
  all: boolean;
  gcflags: string[];
  buildFlags: string[];
  input?: string;
  cwd: string;
  tests: boolean;
  goCommand: string;
  timeoutMs: number;
  color?: boolean;
  failOnFindings: boolean;
  baseline?: string;
  sarif?: string;
  profile?: string;
  deep: boolean;
  graph?: 'mermaid' | 'dot';
  at?: { file: string; line: number };
  /** --bench PATTERN: measure the benchmarks matching it (implies --tests). */
  bench?: string;
  /** --compare OLD NEW: two --json reports made with --bench. */
  compare?: [string, string];
  /** A policy file instead of the nearest .escapelens.json; `false` with --no-policy. */
  policy?: string | false;
  markdown?: string;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const HELP = `Usage: go-escape-lens [options] [package dirs | ./...]

Runs the Go compiler's escape analysis (go build -gcflags=-m=2) on each package and prints every heap
escape with its exact location, cause and tier (L1 syntax, L2 call context, L3 dynamic).

Options:
  --json                 print findings as JSON (schemaVersion 2, see docs/cli.md)
  --all                  list every finding as printed (default: what the editor draws, see docs/editor.md),
                         with non-escaping values, inlining decisions, notes and suppressed findings
  --gcflags=FLAGS        extra compiler flags, space-separated, e.g. --gcflags='-l -d=zerocopy'
  --build-flags=FLAGS    extra go build flags, space-separated, e.g. --build-flags='-tags=integration'
  --tests                include _test.go files (runs go test -c instead of go build)
  --input FILE|-         analyse a saved compiler log (e.g. from CI) instead of running go
  --cwd DIR              directory the log's relative paths are relative to (default: current dir)
  --go PATH              the go command to run (default: go)
  --timeout SECONDS      deadline of every go process it starts (go list, each build, pprof; default: 300)
  --fail                 exit with status 1 when any unsuppressed heap finding is reported (CI gate)
  --baseline FILE        a previous --json report: its findings are "known", only new ones are listed
                         and counted by --fail
  --sarif FILE           also write the findings as SARIF 2.1.0 (code scanning), paths relative to --cwd
  --profile FILE         a heap profile (go test -memprofile, pprof heap): weight findings by what was
                         allocated on their lines, and list the costliest
  --deep                 follow each path that ends at a call into the callee's own package output,
                         to its sink (one go command per dependency package, cached)
  --graph mermaid|dot    print the path of the finding at --at FILE:LINE as a graph (with --deep and
                         no --at: every followed finding's)
  --at FILE:LINE         the finding --graph draws
  --bench PATTERN        run the benchmarks matching PATTERN (a go test -bench regexp) with
                         -memprofilerate=1 and charge each finding its bytes and allocations per
                         operation; implies --tests (see docs/measuring.md)
  --compare OLD NEW      compare two --json --bench reports: per benchmark and per finding,
                         "1,204 → 688 B/op, 9 → 5 allocs/op"
  --policy FILE          the policy (tier/cause -> ignore|log|warn|fail) instead of the nearest
                         .escapelens.json above each package; --no-policy ignores any
  --markdown FILE        also write a Markdown summary for a pull-request comment: broken contracts,
                         new escapes (with --baseline), policy failures, costliest findings (--profile)
  --color / --no-color   force colour on or off (default: on when writing to a terminal)
  -h, --help             show this help
  -v, --version          show the version

Exit status:
  0  analysis done (findings or not, unless --fail)
  1  a contract (//escape:noheap, //gcassert:) is broken; or the policy says fail for a finding
     (with --baseline: a new one); or --fail was given and heap findings (new ones) were reported
  2  bad usage: unknown option, missing directory, log or baseline, --input empty or not compiler
     output (or a line longer than 8 MiB), an invalid --bench regexp, --sarif not writable
  3  a package does not build, go cannot load the packages (go.mod, go.work, GOCACHE: go's own error
     is printed), or the --input log shows a failed build (its errors are printed)
  4  the go command could not run: not found, timed out, or failed
  5  internal error
  129/130/143  stopped by SIGHUP/SIGINT/SIGTERM (every process it started has been ended)
  141  its output was closed early (a pipe into head): ended quietly, as SIGPIPE ends a filter
`;

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        gcflags: { type: 'string', multiple: true, default: [] },
        'build-flags': { type: 'string', multiple: true, default: [] },
        tests: { type: 'boolean', default: false },
        input: { type: 'string' },
        cwd: { type: 'string' },
        go: { type: 'string', default: 'go' },
        timeout: { type: 'string', default: '300' },
        fail: { type: 'boolean', default: false },
        baseline: { type: 'string' },
        sarif: { type: 'string' },
        profile: { type: 'string' },
        deep: { type: 'boolean', default: false },
        graph: { type: 'string' },
        at: { type: 'string' },
        bench: { type: 'string' },
        compare: { type: 'boolean', default: false },
        policy: { type: 'string' },
        'no-policy': { type: 'boolean', default: false },
        markdown: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const timeout = Number(v.timeout);
  if (v.graph !== undefined && v.graph !== 'mermaid' && v.graph !== 'dot') throw new UsageError(`--graph takes mermaid or dot, got "${v.graph}"`);
  const at = v.at === undefined ? undefined : /^(.+):(\d+)$/.exec(v.at);
  if (v.at !== undefined && !at) throw new UsageError(`--at takes FILE:LINE, got "${v.at}"`);
  if (v.graph !== undefined && !at && !v.deep) throw new UsageError('--graph needs --at FILE:LINE, or --deep to draw every followed finding');
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout takes a number of seconds, got "${v.timeout}"`);
  if (v.bench !== undefined && v.input !== undefined) throw new UsageError('--bench runs benchmarks: it cannot be combined with --input');
  if (v.bench !== undefined) checkBenchPattern(v.bench);
  if (v.compare && parsed.positionals.length !== 2) throw new UsageError('--compare takes two report files: --compare OLD.json NEW.json');
  return {
    // --at names a file: its package is the one to analyse when no package is given.
    targets: parsed.positionals.length ? parsed.positionals : at ? [dirnameOf(at[1])] : ['.'],
    json: v.json!,
    all: v.all!,
    gcflags: v.gcflags!.flatMap(splitFlags),
    buildFlags: v['build-flags']!.flatMap(splitFlags),
    input: v.input,
    cwd: v.cwd ?? process.cwd(),
    goCommand: goCommandFrom(v.go!),
    // Node's timers hold at most 2^31 - 1 ms: a longer deadline is as good as none, and is clamped to it.
    timeoutMs: Math.min(timeout * 1000, MAX_TIMER_MS),
    color: v['no-color'] ? false : v.color,
    failOnFindings: v.fail!,
    baseline: v.baseline,
    sarif: v.sarif,
    profile: v.profile,
    deep: v.deep!,
    graph: v.graph as CliOptions['graph'],
    at: at ? { file: at[1], line: Number(at[2]) } : undefined,
    bench: v.bench,
    compare: v.compare ? [parsed.positionals[0], parsed.positionals[1]] : undefined,
    tests: v.tests! || v.bench !== undefined,
    policy: v['no-policy'] ? false : v.policy,
    markdown: v.markdown,
    help: v.help!,
    version: v.version!,
  };
}

/**
 * `--go ./mygo` names a file from where the user typed it, as a shell would run it; `--go go` (no
 * separator) is looked up on PATH. Every go command runs in a package's dir, so a relative path is made
 * absolute here.
 */
function goCommandFrom(go: string): string {
  return /[\\/]/.test(go) && !path.isAbsolute(go) ? path.resolve(go) : go;
}

/**
 * `go test -bench` reads its pattern as slash-separated regexps, each checked by the test binary only when
 * a package has benchmarks to match: a bad one is refused here, for every package. JavaScript reads the
 * RE2 syntax go uses, except for named groups spelt `(?P<name>…)` (translated) and constructs RE2 lacks
 * (lookaround, back-references: refused, as go would).
 */
function checkBenchPattern(pattern: string): void {
  for (const part of splitBenchPattern(pattern)) {
    const bad = /\(\?<?[=!]|\\[1-9]|\\k</.exec(part);
    if (bad) throw new UsageError(`--bench: invalid regexp ${JSON.stringify(part)}: ${JSON.stringify(bad[0])} is not RE2 syntax`);
    try {
      new RegExp(part.replace(/\(\?P</g, '(?<'));
    } catch (e) {
      throw new UsageError(`--bench: invalid regexp ${JSON.stringify(part)}: ${(e as Error).message}`);
    }
  }
}

/** The pattern's parts as the testing package splits them: at each `/` outside brackets and parentheses. */
function splitBenchPattern(pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let brackets = 0;
  let parens = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') brackets++;
    else if (c === ']' && brackets > 0) brackets--;
    else if (c === '(' && brackets === 0) parens++;
    else if (c === ')' && brackets === 0) parens--;
    else if (c === '/' && brackets === 0 && parens === 0) { parts.push(pattern.slice(start, i)); start = i + 1; }
  }
  return [...parts, pattern.slice(start)];
}

function dirnameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '.' : file.slice(0, i) || '/';
}
