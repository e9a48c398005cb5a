// Typed facts of one package, on request: which files the build takes and what the package imports come
// from `go list` (with the user's build flags), the dependencies' types from the export data the go
// command already built (`go list -export` of the imports: a build-cache replay), and the check itself
// from the goast helper's -types mode (typeChecker.ts). Kept per package and re-checked only when the
// package's own texts (saved or unsaved), build flags or toolchain change.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Toolchain } from '../gohelper/goHelper';
import { watchDownloads, type DownloadNotice } from '../run/downloads';
import { spawnTracked } from '../run/spawn';
import { GoNotFoundError } from '../run/runGo';
import { CancelledError } from '../util/cancel';
import { goFilesIn } from '../util/goFiles';
import { typeChecker, type CheckRequest, type WireImpls } from './typeChecker';
import { TypedFacts } from './typedFacts';

export interface TypedOptions {
  toolchain?: Toolchain;
  buildFlags?: readonly string[];
  /** Check the package with its in-package `_test.go` files. */
  tests?: boolean;
  /** Unsaved texts by absolute path: they replace what is on disk. */
  overlay?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  /** For each go command and the check itself (default 60 s). */
  timeoutMs?: number;
  /** Told when one of its go commands downloads a toolchain or a module first (it may be the first to). */
  onDownload?: (notice: DownloadNotice) => void;
}

export type Implementations = WireImpls;

/** An interface by package path and name, or the interface whose method is called at a byte offset. */
export type InterfaceRef = { pkg: string; name: string } | { file: string; at: number };

interface ListedPackage {
  ImportPath: string;
  Dir: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  Imports?: string[];
  TestImports?: string[];
  ImportMap?: Record<string, string>;
}

const LISTED_FIELDS = 'ImportPath,Dir,GoFiles,CgoFiles,TestGoFiles,Imports,TestImports,ImportMap';

interface Entry { key: string; facts: Promise<TypedFacts> }

/** How many packages' facts are kept (an editor session moves between a few dozen). */
const MAX_PACKAGES = 64;
const cache = new Map<string, Entry>();
const requests = new WeakMap<TypedFacts, { req: CheckRequest; toolchain: Toolchain }>();
const goarchOf = new Map<string, Promise<string>>();

/**
 * The typed facts of the package in `dir`. Throws when the package cannot be listed or no file parses;
 * a package with type errors still answers (its `errors` say what did not check).
 */
export async function typedFacts(dir: string, opts: TypedOptions = {}): Promise<TypedFacts> {
  const toolchain = opts.toolchain ?? {};
  const flags = [...(opts.buildFlags ?? [])];
  const pkgKey = JSON.stringify([path.resolve(dir), !!opts.tests, flags, toolchain.goCommand || 'go', toolchain.env ?? {}]);
  const texts = readTexts(dir, !!opts.tests, opts.overlay);
  const key = contentKey(pkgKey, texts);
  const hit = cache.get(pkgKey);
  if (hit && hit.key === key) {
    // Most recently used last.
    cache.delete(pkgKey);
    cache.set(pkgKey, hit);
    return hit.facts;
  }
  const facts = check(dir, key, texts, flags, toolchain, opts);
  cache.delete(pkgKey);
  cache.set(pkgKey, { key, facts });
  if (cache.size > MAX_PACKAGES) cache.delete(cache.keys().next().value!);
  // A failed or cancelled check is not kept: the next request tries again.
  facts.catch(() => { if (cache.get(pkgKey)?.facts === facts) cache.delete(pkgKey); });
  return facts;
}

/**
 * The named types of the package and of every package its check loaded that implement an interface
 * (go/types' Implements, for T and *T).
 */
export async function implementations(facts: TypedFacts, iface: InterfaceRef, opts: Pick<TypedOptions, 'signal' | 'timeoutMs'> = {}): Promise<Implementations> {
  const asked = requests.get(facts);
  if (!asked) throw new Error('these facts were not made by typedFacts()');
  const r = await typeChecker(asked.toolchain).ask({ ...asked.req, op: 'implements', iface }, { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal });
  if (r.error || !r.impls) throw new Error(r.error ?? 'the Go type checker gave no implementations');
  return r.impls;
}

/** Forgets every package's facts (tests; a changed toolchain). */
export function clearTypedFacts(): void { cache.clear(); }

async function check(dir: string, key: string, texts: Map<string, Buffer>, flags: string[], toolchain: Toolchain, opts: TypedOptions): Promise<TypedFacts> {
  const run = { toolchain, dir, timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal, onDownload: opts.onDownload };
  // The imports the texts name are asked for beside the listing (not after it): what the listing then
  // says the build imports and was not asked (an import map's vendored path) is asked after.
  const guessed = exportsOf(run, flags, importsIn(texts.values())).catch(() => ({} as Record<string, string>));
  const [pkg, goarch] = await Promise.all([listPackage(run, flags), goarchFor(run)]);
  // Paths under the directory as the caller names it (go list resolves symbolic links): the facts are asked
  // by the paths the caller knows.
  const base = path.resolve(dir);
  const names = new Set([...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? []), ...(opts.tests ? pkg.TestGoFiles ?? [] : [])]);
  // A file that exists only in the editor so far (never saved) is not listed: it is part of the package too.
  for (const p of texts.keys()) if (!fs.existsSync(p)) names.add(path.basename(p));
  const files = [...names].map((n) => path.join(base, n)).map((p) => opts.overlay?.has(p) ? { path: p, text: opts.overlay.get(p)! } : { path: p });
  const importMap = pkg.ImportMap ?? {};
  const imports = [...new Set([...(pkg.Imports ?? []), ...(opts.tests ? pkg.TestImports ?? [] : []).map((p) => importMap[p] ?? p)])];
  const exports: Record<string, string> = {};
  const known = await guessed;
  for (const p of imports) if (known[p]) exports[p] = known[p];
  Object.assign(exports, await exportsOf(run, flags, imports.filter((p) => !(p in exports) && p !== 'unsafe' && p !== 'C')));
  const req: CheckRequest = { op: 'check', key, importPath: pkg.ImportPath, files, exports, importMap, goarch };
  const checker = typeChecker(toolchain);
  const ask = { timeoutMs: run.timeoutMs, signal: opts.signal };
  let r = await checker.ask(req, ask);
  if (r.missing?.length) {
    // The unsaved text imports a package the saved files do not: its export data, then once more.
    Object.assign(req.exports, await exportsOf(run, flags, r.missing));
    req.key = `${key}+${r.missing.join(',')}`;
    r = await checker.ask(req, ask);
  }
  if (r.error || !r.facts) throw new Error(r.error ?? 'the Go type checker gave no facts');
  const checked = new Map(files.map((f) => [f.path, texts.get(f.path) ?? Buffer.from(f.text ?? fs.readFileSync(f.path, 'utf8'), 'utf8')]));
  const facts = new TypedFacts(pkg.ImportPath, r.errors ?? [], r.facts, checked);
  requests.set(facts, { req, toolchain });
  return facts;
}

/** The texts that decide the answer: every `.go` file of the directory, unsaved buffers first. */
function readTexts(dir: string, tests: boolean, overlay: ReadonlyMap<string, string> | undefined): Map<string, Buffer> {
  const abs = path.resolve(dir);
  const out = new Map<string, Buffer>();
  for (const p of goFilesIn(abs, { tests })) {
    const text = overlay?.get(p);
    if (text !== undefined) out.set(p, Buffer.from(text, 'utf8'));
    else try { out.set(p, fs.readFileSync(p)); } catch { /* removed meanwhile: go list decides */ }
  }
  for (const [p, text] of overlay ?? []) {
    if (path.dirname(p) === abs && p.endsWith('.go') && (tests || !p.endsWith('_test.go'))) out.set(p, Buffer.from(text, 'utf8'));
  }
  return out;
}

function contentKey(pkgKey: string, texts: Map<string, Buffer>): string {
  const h = crypto.createHash('sha256').update(pkgKey);
  for (const p of [...texts.keys()].sort()) h.update('\0').update(p).update('\0').update(texts.get(p)!);
  return h.digest('hex').slice(0, 32);
}

interface Run { toolchain: Toolchain; dir: string; timeoutMs: number; signal?: AbortSignal; onDownload?: (notice: DownloadNotice) => void }

async function goOutput(run: Run, args: string[]): Promise<string> {
  const command = run.toolchain.goCommand || 'go';
  const r = await spawnTracked(command, args, { cwd: run.dir, env: run.toolchain.env as Record<string, string> | undefined, timeoutMs: run.timeoutMs, signal: run.signal, what: `${command} ${args[0]}`,
    onStderr: run.onDownload && ((s) => watchDownloads(s, run.onDownload!)) });
  if (r.notFound) throw new GoNotFoundError(command);
  if (run.signal?.aborted) throw new CancelledError();
  if (r.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

async function listPackage(run: Run, flags: string[]): Promise<ListedPackage> {
  // -e: a package with errors is still listed (its files and imports are what the check needs). Only the
  // fields read (Go 1.19+): the go command then skips loading the dependencies for fields nobody reads.
  return JSON.parse(await goOutput(run, ['list', '-e', `-json=${LISTED_FIELDS}`, ...flags, '.'])) as ListedPackage;
}

/** Export data files of the given packages, from the build cache (built there first if they are not). */
async function exportsOf(run: Run, flags: string[], imports: readonly string[]): Promise<Record<string, string>> {
  const wanted = imports.filter((p) => p !== 'C' && p !== 'unsafe');
  if (wanted.length === 0) return {};
  const out = await goOutput(run, ['list', '-e', '-export', '-f', '{{.ImportPath}}\t{{.Export}}', ...flags, ...wanted]);
  const exports: Record<string, string> = {};
  for (const line of out.split(/\r?\n/)) {
    const tab = line.indexOf('\t');
    if (tab > 0 && tab < line.length - 1) exports[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return exports;
}

/**
 * The standard-library import paths the texts' import declarations name (files their build constraints
 * exclude count too), read without parsing. Only those: a module path that only an excluded file imports
 * may be one the module does not require, and the go command may be set to add what is missing to go.mod
 * (GOFLAGS=-mod=mod); the listing's own imports are asked for after it.
 */
export function importsIn(texts: Iterable<Buffer>): string[] {
  const out = new Set<string>();
  for (const b of texts) {
    const text = b.toString('utf8');
    for (const m of text.matchAll(/^import\s*(?:\(([^)]*)\)|(?:[\w.]+\s+)?"([^"\n]+)")/gm)) {
      if (m[2] !== undefined) out.add(m[2]);
      else for (const q of m[1].matchAll(/"([^"\n]+)"/g)) out.add(q[1]);
    }
  }
  // The standard library imports what it vendors under `vendor/` (its import map says so).
  return [...out].map((p) => (p.split('/')[0].includes('.') ? `vendor/${p}` : p));
}

/** The architecture the package is built for (sizes: which types are zero-size, word size). */
function goarchFor(run: Run): Promise<string> {
  const k = JSON.stringify([run.toolchain.goCommand || 'go', run.toolchain.env ?? {}]);
  let p = goarchOf.get(k);
  if (!p) {
    p = goOutput({ ...run, signal: undefined }, ['env', 'GOARCH']).then((s) => s.trim());
    goarchOf.set(k, p);
    p.catch(() => goarchOf.delete(k));
  }
  return p;
}
