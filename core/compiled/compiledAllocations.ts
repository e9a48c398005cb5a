// The entry point: the heap allocations each function of a package can make, read from its compiled
// code. `go list -export -deps` compiles the package (same build flags as a normal build, so it shares
// the build cache with the user's builds and the dependencies are already there) and names every
// package's export file; objdump reads them. Export files are content-addressed in the build cache,
// so what was read from one is kept for the life of the process. A callee with no code in the export
// files (a body the runtime provides through //go:linkname, compiler-generated equality and hash
// functions) is judged by the runtime table alone: listed there, it allocates; otherwise it does not.
import * as fs from 'node:fs';
import { EXPORTS_TEMPLATE } from '../run/flags';
import { moduleRoot } from '../run/module';
import { writeOverlay } from '../run/runGo';
import { removeTempDir } from '../run/processes';
import { spawnTracked } from '../run/spawn';
import { disassemble, escapeRegExp, type CompiledFunction } from './objdump';
import type { CompiledAllocations, FunctionAllocations } from '../model/allocations';
import { followed, sitesOf, type CodeBase } from './reach';
export type { CompiledAllocations, FunctionAllocations };

export interface CompiledAllocationsOptions {
  /** The package's directory. */
  dir: string;
  goCommand?: string;
  env?: Record<string, string>;
  /** The user's build flags (tags, -gcflags such as -N -l that change the code); never the escape flags. */
  buildFlags?: readonly string[];
  /** Unsaved contents: absolute path → text. */
  overlay?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Functions to judge as declared (`F`, `T.M`, `(*T).M`); every function of the package by default. */
  functions?: readonly string[];
  /** Count allocations on paths that end in a panic too (excluded by default). */
  includeCold?: boolean;
  /** How deep a chain of calls is followed (default 32). */
  maxDepth?: number;
  /**
   * What the build already printed with EXPORTS_TEMPLATE (core/run/flags.ts) for this package: its
   * packages and export files, so no go command is run again to ask.
   */
  exports?: string;
}

const CODE = new Map<string, CompiledFunction | null>();
const WHOLE = new Map<string, Map<string, CompiledFunction>>();
const CACHE_LIMIT = 50_000;
/** Whole user packages: one per saved version, so only the last few are worth keeping. */
const WHOLE_LIMIT = 8;

export async function compiledAllocations(opts: CompiledAllocationsOptions): Promise<CompiledAllocations> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const listed = opts.exports !== undefined ? parseListed(opts.exports) : await listExports(opts, timeoutMs);
  const own = listed[listed.length - 1];
  if (!own?.export) throw new Error(`no compiled code for the package in ${opts.dir}${own?.error ? `: ${own.error}` : ''}`);
  const dump = { objdump: await objdumpPath(opts, timeoutMs), env: opts.env, timeoutMs, signal: opts.signal };

  // A command's symbols are named `main.F`, whatever its import path.
  const exportOf = new Map(listed.map((p) => [p === own && p.name === 'main' ? 'main' : pathToPrefix(p.importPath), p.export]));
  const packageOf = (symbol: string): string | undefined => {
    const s = withoutTypeArgs(symbol);
    if (/^(type|go):/.test(s)) return undefined;
    const dot = s.indexOf('.', s.lastIndexOf('/') + 1);
    return dot < 0 ? undefined : s.slice(0, dot);
  };
  const prefix = `${own.name === 'main' ? 'main' : pathToPrefix(own.importPath)}.`;
  const wanted = opts.functions && new Set(opts.functions);
  // Only the functions under contract are disassembled first (with their closures, their type's other
  // methods and their generic instances, which the pattern cannot tell apart); what they call in their
  // own package is asked for as any callee is.
  const pattern = wanted && rootsPattern(prefix, [...wanted]);
  const wholeKey = `${own.export}\0${pattern ?? ''}`;
  let whole = WHOLE.get(wholeKey);
  if (!whole) { whole = await disassemble(own.export, pattern === undefined ? undefined : { pattern }, dump); remember(WHOLE, wholeKey, whole, WHOLE_LIMIT); }
  const functions = new Map<string, CompiledFunction>(whole);
  const roots = [...whole.keys()].filter((s) => s.startsWith(prefix) && (!wanted || wanted.has(declaredName(s.slice(prefix.length)))));
  const walk = { includeCold: opts.includeCold === true, maxDepth: opts.maxDepth ?? 32, maxSites: 200 };

  // Waves: the callees the functions seen so far name, disassembled per export file, until none is new.
  const asked = new Set<string>(roots);
  let frontier = roots.map((s) => functions.get(s)!);
  for (let depth = 0; frontier.length && depth < walk.maxDepth; depth++) {
    const requests = new Map<string, Set<string>>();
    const ask = (file: string | undefined, symbol: string): void => {
      if (!file || functions.has(symbol)) return;
      const cached = CODE.get(`${file}\0${symbol}`);
      if (cached) functions.set(symbol, cached);
      else if (cached === undefined) {
        let set = requests.get(file);
        if (!set) requests.set(file, set = new Set());
        set.add(symbol);
      }
    };
    const next: string[] = [];
    for (const fn of frontier) {
      const caller = packageOf(fn.symbol);
      for (const c of fn.calls) {
        const target = c.target!;
        if ((c.cold && !walk.includeCold) || !followed(c, packageOf) || asked.has(target)) continue;
        asked.add(target);
        next.push(target);
        const pkg = packageOf(target);
        ask(pkg === undefined ? undefined : exportOf.get(pkg), target);
        // A generic instance or a wrapper may be compiled into the caller's package only (dupok).
        if (caller !== undefined && caller !== pkg) ask(exportOf.get(caller), target);
      }
    }
    await Promise.all([...requests].map(async ([file, symbols]) => {
      const got = await disassemble(file, [...symbols], dump);
      for (const s of symbols) {
        const f = got.get(s) ?? null;
        remember(CODE, `${file}\0${s}`, f);
        if (f && !functions.has(s)) functions.set(s, f);
      }
    }));
    frontier = next.filter((s) => functions.has(s)).map((s) => functions.get(s)!);
  }

  const code: CodeBase = { functions, packageOf };
  const out = new Map<string, FunctionAllocations>();
  for (const symbol of roots) {
    const name = declaredName(symbol.slice(prefix.length));
    let entry = out.get(name);
    if (!entry) out.set(name, entry = { name, file: functions.get(symbol)!.file, symbols: [], sites: [] });
    entry.symbols.push(symbol);
    entry.sites.push(...sitesOf(symbol, code, walk));
  }
  return { importPath: own.importPath, functions: out };
}

/**
 * An objdump symbol pattern for the declared names `names` (`F`, `T.M`, `(*T).M`) of the package whose
 * symbols start with `prefix`: each name's first identifier, so a generic instance (`F[go.shape.int]`,
 * `(*T[go.shape.int]).M`) matches too. A superset: the exact roots are picked by declaredName.
 */
export function rootsPattern(prefix: string, names: readonly string[]): string {
  const first = [...new Set(names.map((n) => n.replace(/^\(\*?/, '').split(/[.[)]/)[0]))];
  return `^${escapeRegExp(prefix)}\\(?\\*?(?:${first.map(escapeRegExp).join('|')})(?:[.[)]|$)`;
}

const OBJDUMP = new Map<string, string>();

/**
 * The toolchain's objdump: `go tool -n objdump` names it (building it into the build cache the first
 * time, as releases since Go 1.24 ship it unbuilt); asked again if the cache lost it.
 */
async function objdumpPath(opts: CompiledAllocationsOptions, timeoutMs: number): Promise<string> {
  const key = `${opts.goCommand ?? 'go'}\0${JSON.stringify(opts.env ?? {})}\0${moduleRoot(opts.dir) ?? opts.dir}`;
  const known = OBJDUMP.get(key);
  if (known && fs.existsSync(known)) return known;
  const r = await spawnTracked(opts.goCommand || 'go', ['tool', '-n', 'objdump'], { cwd: opts.dir, env: opts.env, timeoutMs: Math.max(timeoutMs, 300_000), signal: opts.signal, what: 'go tool -n objdump' });
  const tool = r.stdout.trim().split('\n').pop() ?? '';
  if (r.exitCode !== 0 || !tool) throw new Error(`go tool -n objdump failed: ${r.stderr.trim().split('\n')[0] ?? r.exitCode}`);
  OBJDUMP.set(key, tool);
  return tool;
}

interface Listed { importPath: string; name: string; export: string; error: string }

/** `go list -e -export -deps`: every package the build needs, dependencies first, the package last. */
async function listExports(opts: CompiledAllocationsOptions, timeoutMs: number): Promise<Listed[]> {
  const tmp = opts.overlay && opts.overlay.size > 0 ? writeOverlay(opts.overlay) : undefined;
  try {
    const args = ['list', '-e', '-export', '-deps', '-f', EXPORTS_TEMPLATE,
      ...(opts.buildFlags ?? []), ...(tmp ? [`-overlay=${tmp.file}`] : []), '.'];
    const r = await spawnTracked(opts.goCommand || 'go', args, { cwd: opts.dir, env: opts.env, timeoutMs, signal: opts.signal, what: 'go list -export' });
    if (r.notFound) throw new Error(`the go command "${opts.goCommand || 'go'}" was not found`);
    if (r.exitCode !== 0) throw new Error(`go list -export failed: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    return parseListed(r.stdout);
  } finally {
    if (tmp) removeTempDir(tmp.dir);
  }
}

/** EXPORTS_TEMPLATE's lines, dependencies first and the package last. */
function parseListed(stdout: string): Listed[] {
  return stdout.split('\n').filter(Boolean).map((l) => {
    const [importPath, name = '', exp = '', error = ''] = l.split('\t');
    return { importPath, name, export: exp, error: error.replace(/\s+/g, ' ') };
  });
}

/** The linker's name prefix of an import path (cmd/internal/objabi.PathToPrefix). */
export function pathToPrefix(s: string): string {
  const slash = s.lastIndexOf('/');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 0x20 || (c === 0x2e && i > slash) || c === 0x25 || c === 0x22 || c >= 0x7f ? `%${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return out;
}

/** `G[go.shape.int]` → `G`, `(*T[go.shape.int]).M` → `(*T).M`: a symbol without its type arguments. */
function withoutTypeArgs(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** A package-local symbol as its declaration names it: type arguments dropped. */
function declaredName(local: string): string {
  return withoutTypeArgs(local);
}

function remember<V>(cache: Map<string, V>, key: string, value: V, limit = CACHE_LIMIT): void {
  if (cache.size >= limit) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}
