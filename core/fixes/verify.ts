// Verifies quick fixes against the compiler before any is offered: the rewritten package (through
// -overlay, nothing on disk) must build, stay gofmt-clean, and the targeted escapes must be gone with no
// new one in that function — or, for a preallocation (whose slice still escapes), allocations per call
// measured before and after must drop. For fmt rewrites and preallocations the compiler first tells the
// types of the values they depend on (one probe build for all).
import * as path from 'node:path';
import { spawnTracked } from '../run/spawn';
import { analyzePackage, type AnalyzePackageOptions } from '../analysis/analyzePackage';
import type { GoSource } from '../locate/goSource';
import type { Finding } from '../model';
import { HEAP_KINDS } from '../model';
import { importEdit } from './imports';
import { applyEdits, type FixAll, type FixCandidate, type ProbedValue, type TextEditOffsets } from './model';
import { strconvFor } from './candidates';
import { concatenation } from './rewrites';
import { allocsPerCall } from './measureAllocs';
import { executable } from '../platform';

export interface VerifiedFix {
  kind: FixCandidate['kind'];
  target: string;
  /** Other findings the same edits remove (a grouped call's members). */
  also?: string[];
  title: string;
  /** Edits against the texts the fix was verified on. */
  edits: TextEditOffsets[];
  /** What was verified, for combining with others of its kind (fixAll.ts). */
  candidate: FixCandidate;
  /** The verified fix-alls of its kind that include it: its file's, its package's (set by the caller). */
  all?: FixAll[];
}

export interface VerifyOptions extends Omit<AnalyzePackageOptions, 'all'> {
  /** `overlay`: unsaved buffers of the package the fixes are verified against (each rewrite is added to it). */
  /** The current text of each file a candidate edits (open buffers or disk), with its parsed source. */
  sources: AnalyzePackageOptions['sources'];
  files: Map<string, GoSource>;
  baseline: readonly Finding[];
  /** Upper bound on compiler runs for one verification round. */
  maxBuilds?: number;
}

const PROBE = /^cannot convert .* \((?:variable|value|constant[^)]*?) of type (.+)\) to type struct\{\}$/;

export async function verifyFixes(candidates: FixCandidate[], opts: VerifyOptions): Promise<VerifiedFix[]> {
  let builds = 0;
  const maxBuilds = opts.maxBuilds ?? 12;
  const ready = await resolveProbes(candidates, opts, () => builds++);
  const verified: VerifiedFix[] = [];
  for (const c of ready) {
    if (builds >= maxBuilds || opts.signal?.aborted) break;
    const src = opts.files.get(c.edits[0].file)!;
    let removeImports: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const edits = withImports(src, c, removeImports);
      if (!edits) break;
      const text = applyEdits(src.text, edits);
      builds++;
      const r = await analyzePackage({ ...opts, overlay: new Map([...(opts.overlay ?? []), [src.path, text]]) });
      const unused = r.errors.map((e) => /^"([^"]+)" imported and not used$/.exec(e.message)?.[1]).filter((p): p is string => !!p);
      if (r.errors.length > 0 && attempt === 0 && unused.length === r.errors.length
        && unused.every((p) => c.maybeUnusedImports?.includes(p))) {
        removeImports = unused;
        continue;
      }
      if (r.errors.length > 0) break;
      let title = c.title;
      if (c.measure) {
        builds += 2;
        const before = await allocsPerCall(src, c.measure.function, opts.overlay ?? new Map(), opts);
        const after = before === undefined ? undefined : await allocsPerCall(src, c.measure.function, new Map([...(opts.overlay ?? []), [src.path, text]]), opts);
        if (before === undefined || after === undefined || after >= before) break;
        title = `Preallocate ${c.measure.name} — ${round(before)} → ${round(after)} allocations per call (measured)`;
      } else if (!escapeGone(c, opts.baseline, r.findings)) break;
      if (!(await gofmtClean(text, opts))) break;
      verified.push({ kind: c.kind, target: c.target, ...(c.also?.length ? { also: c.also } : {}), title, edits, candidate: c });
      break;
    }
  }
  return verified;
}

/**
 * Asks the compiler, in one build, the type of every value a candidate depends on (each fmt argument, each
 * ranged value): each is wrapped in `struct{}(…)`, and the conversion error names its type. Then picks each
 * exact rewrite; a candidate with a value of no exact rewrite is dropped.
 */
async function resolveProbes(candidates: FixCandidate[], opts: VerifyOptions, counted: () => void): Promise<FixCandidate[]> {
  const valuesOf = (c: FixCandidate): ProbedValue[] => c.probe?.values ?? (c.measure ? [c.measure.ranged] : []);
  const probed = candidates.filter((c) => valuesOf(c).length > 0);
  const rest = candidates.filter((c) => valuesOf(c).length === 0);
  if (probed.length === 0) return rest;
  const overlay = new Map<string, string>(opts.overlay ?? []);
  const onLine = new Map<string, number[]>();
  for (const [file, src] of opts.files) {
    const values = [...new Map(probed.filter((c) => c.edits[0]?.file === file || c.probe?.file === file)
      .flatMap(valuesOf).map((v) => [v.start, v] as const)).values()];
    if (values.length === 0) continue;
    overlay.set(file, applyEdits(src.text, values.flatMap((v) => [
      { start: v.start, end: v.start, newText: 'struct{}(' },
      { start: v.end, end: v.end, newText: ')' },
    ])));
    for (const v of values) {
      const key = `${file}:${src.lines.positionAt(v.start).line}`;
      onLine.set(key, [...(onLine.get(key) ?? []), v.start].sort((a, b) => a - b));
    }
  }
  counted();
  const r = await analyzePackage({ ...opts, gcflags: [...(opts.gcflags ?? []), '-e'], overlay });
  // The errors of one line in column order are its values in source order (or the line says nothing).
  const errs = new Map<string, string[]>();
  for (const e of [...r.errors].sort((a, b) => (a.pos?.col ?? 0) - (b.pos?.col ?? 0))) {
    const m = PROBE.exec(e.message);
    // The compiler's line: the range is placed in the unprobed text, whose line may be shorter.
    const key = e.file && e.pos ? `${e.file}:${e.pos.line - 1}` : undefined;
    if (key && onLine.has(key)) errs.set(key, [...(errs.get(key) ?? []), m ? m[1] : '']);
  }
  const types = new Map<string, string>();
  for (const [key, starts] of onLine) {
    const found = errs.get(key) ?? [];
    if (found.length !== starts.length) continue;
    starts.forEach((start, i) => { if (found[i]) types.set(`${key.slice(0, key.lastIndexOf(':'))}:${start}`, found[i]); });
  }
  for (const c of probed) {
    const file = c.probe?.file ?? c.edits[0].file;
    const typeOf = (v: ProbedValue) => types.get(`${file}:${v.start}`);
    const resolved = c.measure ? (RANGED_LEN.test(typeOf(c.measure.ranged) ?? '') ? c : undefined) : fmtRewrite(c, opts.files.get(file)!, typeOf);
    if (resolved) rest.push(resolved);
  }
  return rest;
}

/** Types whose `len` bounds a range loop's iterations: slices, arrays (and pointers to them), maps, strings. */
const RANGED_LEN = /^(\[|\*\[\d|map\[|string$)/;

function fmtRewrite(c: FixCandidate, src: GoSource, typeOf: (v: ProbedValue) => string | undefined): FixCandidate | undefined {
  const p = c.probe!;
  const rewrites = p.values.map((v) => {
    const type = typeOf(v);
    return type === undefined ? undefined : { type, ...strconvFor(type, v.verb, src.text.slice(v.start, v.end)) };
  });
  if (rewrites.some((w) => w?.text === undefined)) return undefined;
  const ws = rewrites as { type: string; text: string; imports: string[] }[];
  const imports = [...new Set(ws.flatMap((w) => w.imports))];
  const edit = (newText: string) => [{ file: src.path, start: p.call.start, end: p.call.end, newText }];
  if (c.kind === 'fmt-boxing') {
    const [w] = ws;
    return {
      ...c, probe: undefined,
      // Single-byte values box without allocating (a static table): then the fix saves the conversion only.
      title: SINGLE_BYTE.test(w.type) ? `Use ${w.text} — no boxing (a ${w.type} does not allocate)` : `Use ${w.text} — removes 1 heap allocation`,
      edits: edit(w.text), addImports: imports, maybeUnusedImports: ['fmt'],
    };
  }
  const text = concatenation(p.parts!, ws.map((w) => w.text), !!p.parenthesize);
  const boxed = ws.filter((w) => !SINGLE_BYTE.test(w.type)).length;
  if (boxed === 0) return undefined;
  const what = text.length <= 60 ? `Use ${text}` : 'Concatenate with strconv';
  return {
    ...c, probe: undefined,
    title: `${what} — removes ${boxed} boxing allocation${boxed === 1 ? '' : 's'}`,
    edits: edit(text), addImports: imports, maybeUnusedImports: ['fmt'],
    concatenates: true,
  };
}

const SINGLE_BYTE = /^(bool|byte|u?int8)$/;

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function withImports(src: GoSource, c: Pick<FixCandidate, 'edits' | 'addImports'>, remove: string[]): TextEditOffsets[] | undefined {
  const add = c.addImports ?? [];
  if (add.length === 0 && remove.length === 0) return c.edits;
  const imp = importEdit(src, add, remove);
  if (!imp) return add.every((p) => src.text.includes(`"${p}"`)) && remove.length === 0 ? c.edits : undefined;
  return [...c.edits, imp];
}

/**
 * Each target's message is gone from its function (as many fewer as there are targets with it), and no
 * message there is new or more frequent — but a concatenation's own result where a Sprintf was.
 */
export function escapeGone(c: FixCandidate, baseline: readonly Finding[], after: readonly Finding[]): boolean {
  const keys = [c.target, ...(c.also ?? [])];
  const targets = keys.map((k) => baseline.find((f) => `${f.file}:${f.pos.line}:${f.pos.col ?? 0}:${f.message}` === k));
  const target = targets[0];
  if (!target || targets.some((t) => !t)) return false;
  // The rest of the function is unchanged (its lines may move with the imports): a new concatenation is the rewrite's.
  const allowed = (f: Finding) => !!c.concatenates && / \+ /.test(f.message);
  const count = (list: readonly Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) {
      // A parameter flowing to a result is not an allocation: `return s` may turn a leak into one.
      if (f.file !== target.file || f.function !== target.function || !HEAP_KINDS.has(f.kind) || f.kind === 'leaking-param-result' || allowed(f)) continue;
      m.set(f.message, (m.get(f.message) ?? 0) + 1);
    }
    return m;
  };
  const before = count(baseline);
  const now = count(after);
  const removed = new Map<string, number>();
  for (const t of targets) removed.set(t!.message, (removed.get(t!.message) ?? 0) + 1);
  for (const [msg, n] of removed) if ((now.get(msg) ?? 0) > (before.get(msg) ?? 0) - n) return false;
  for (const [msg, n] of now) if (n > (before.get(msg) ?? 0)) return false;
  return true;
}

const gofmtPath = new Map<string, Promise<string | undefined>>();

/** Is the text exactly as gofmt would print it? (gofmt from the same Go installation.) */
export async function gofmtClean(text: string, opts: VerifyOptions): Promise<boolean> {
  const go = opts.goCommand || 'go';
  if (!gofmtPath.has(go)) {
    const goroot = spawnTracked(go, ['env', 'GOROOT'], { env: opts.env, timeoutMs: opts.timeoutMs ?? 30_000 });
    gofmtPath.set(go, goroot.then((r) =>
      r.exitCode === 0 ? path.join(r.stdout.trim(), 'bin', executable('gofmt')) : undefined, () => undefined));
  }
  const gofmt = await gofmtPath.get(go);
  if (!gofmt) return false;
  const r = await spawnTracked(gofmt, [], { input: text, timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal, what: 'gofmt' });
  return r.exitCode === 0 && r.stdout === text;
}
