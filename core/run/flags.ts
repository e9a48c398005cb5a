// Builds the go command's argument array. The go command keeps only the last -gcflags, so the escape
// flags, the user's gcflags and any -gcflags hidden in the user's build flags are merged into one.
//
// The compiles run through `go list -export`: it compiles every named package (commands and, with
// `-test`, test variants included) exactly as `go build` does, prints the compiler's output under the same
// `# importpath` headers, replays it from the build cache, fails with the same errors and exit status, and
// never links (a diagnostics build has no use for an executable, and `go build -o /dev/null` links every
// command again on every run). Without `-e` on purpose: with it, a package that fails to compile exits 0
// and its errors go to the template instead of the output.

export interface CommandSpec {
  /** `build` compiles the package; `test` also compiles its _test.go files (`go list -export -test`). */
  mode: 'build' | 'test';
  /** Escape flags: `-m=2` (explanations) by default. */
  escapeFlags?: string[];
  gcflags?: string[];
  buildFlags?: string[];
  overlayFile?: string;
  /**
   * Also name every package the build compiled and its export file, on stdout (EXPORTS_TEMPLATE): what
   * a reader of the compiled code (core/compiled) needs, without a second go command after the build.
   */
  exports?: boolean;
  /**
   * Import paths (or patterns) to analyse instead of the package in the working directory: each gets
   * the flags through a `-gcflags=PATTERN=...` of its own, so their dependencies compile without them.
   */
  packages?: string[];
}

/** Splits a flag string the way the go command splits -gcflags: on spaces, honouring quotes. */
export function splitFlags(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function isEscapeLevel(f: string): boolean {
  return /^-m(=\d+)?$/.test(f);
}

/** One line per package, dependencies first: import path, package name, export file, error (tab-separated). */
export const EXPORTS_TEMPLATE = '{{.ImportPath}}\t{{.Name}}\t{{.Export}}\t{{if .Error}}{{.Error}}{{end}}';

export function goArgs(spec: CommandSpec): string[] {
  // The template prints nothing (or, asked, the export files on stdout): the compiler's output comes on
  // stderr as from go build.
  const template = spec.exports ? ['-deps', '-f', EXPORTS_TEMPLATE] : ['-f', '{{""}}'];
  const args = ['list', '-export', ...(spec.mode === 'test' ? ['-test'] : []), ...template];
  const { gcflags, build } = compileFlags(spec);
  args.push(...gcflags);
  if (spec.overlayFile) args.push(`-overlay=${spec.overlayFile}`);
  args.push(...build, ...(spec.packages?.length ? spec.packages : ['.']));
  return args;
}

/**
 * The -gcflags arguments (one, or one per analysed pattern) and the other build flags of a build: what
 * decides its compiles' cache keys, so another command given the same compiles nothing again.
 */
export function compileFlags(spec: Pick<CommandSpec, 'escapeFlags' | 'gcflags' | 'buildFlags' | 'packages'>): { gcflags: string[]; build: string[] } {
  const gc: string[] = [...(spec.escapeFlags ?? ['-m=2'])];
  const build: string[] = [];
  const flags = spec.buildFlags ?? [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    const m = /^--?gcflags(?:=(.*))?$/.exec(f);
    if (m) {
      const value = m[1] ?? flags[++i] ?? '';
      gc.push(...splitFlags(value.replace(/^all=/, '')));
      continue;
    }
    // Nothing is written: a user's -o (a `go build` flag `go list` does not take) would write into their tree.
    if (f === '-o') { i++; continue; }
    if (f.startsWith('-o=')) continue;
    build.push(f);
  }
  for (const f of spec.gcflags ?? []) gc.push(...splitFlags(f));
  const merged = gc.filter((f, i) => !(i >= (spec.escapeFlags ?? ['-m=2']).length && isEscapeLevel(f)));
  const value = merged.map(quoteFlag).join(' ');
  const gcflags = spec.packages?.length ? spec.packages.map((p) => `-gcflags=${p}=${value}`) : [`-gcflags=${value}`];
  return { gcflags, build };
}

function quoteFlag(f: string): string {
  return /\s/.test(f) ? `'${f}'` : f;
}
