// Verifies quick fixes against the compiler before any is offered: the rewritten package (through
// -overlay, nothing on disk) must build, stay gofmt-clean, and the targeted escape must be gone with no
// new one in that function. For fmt boxing the compiler also tells the argument's type first.
import * as path from 'node:path';
import { spawnTracked } from '../run/spawn';
import { analyzePackage, type AnalyzePackageOptions } from '../analysis/analyzePackage';
import type { GoSource } from '../locate/goSource';
import type { Finding } from '../model';
import { HEAP_KINDS } from '../model';
import { importEdit } from './imports';
import { applyEdits, type FixCandidate, type TextEditOffsets } from './model';
import { strconvFor } from './candidates';
import { executable } from '../platform';

export interface VerifiedFix {
  kind: FixCandidate['kind'];
  target: string;
  title: string;
  /** Edits against the texts the fix was verified on. */
  edits: TextEditOffsets[];
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
      if (!escapeGone(c, opts.baseline, r.findings)) break;
      if (!(await gofmtClean(text, opts))) break;
      verified.push({ kind: c.kind, target: c.target, title: c.title, edits });
      break;
    }
  }
  return verified;
}

/** Asks the compiler the type of every fmt argument in one build, then picks each exact rewrite. */
async function resolveProbes(candidates: FixCandidate[], opts: VerifyOptions, counted: () => void): Promise<FixCandidate[]> {
  const probes = candidates.filter((c) => c.probe);
  const rest = candidates.filter((c) => !c.probe);
  if (probes.length === 0) return rest;
  const overlay = new Map<string, string>(opts.overlay ?? []);
  const byLine = new Map<string, FixCandidate>();
  for (const [file, src] of opts.files) {
    const mine = probes.filter((c) => c.probe!.file === file);
    if (mine.length === 0) continue;
    overlay.set(file, applyEdits(src.text, mine.flatMap((c) => [
      { start: c.probe!.start, end: c.probe!.start, newText: 'struct{}(' },
      { start: c.probe!.end, end: c.probe!.end, newText: ')' },
    ])));
    for (const c of mine) byLine.set(`${file}:${src.lines.positionAt(c.probe!.start).line}`, c);
  }
  counted();
  const r = await analyzePackage({ ...opts, gcflags: [...(opts.gcflags ?? []), '-e'], overlay });
  for (const e of r.errors) {
    const m = PROBE.exec(e.message);
    const c = e.file && e.range && byLine.get(`${e.file}:${e.range.start.line}`);
    if (!m || !c) continue;
    const src = opts.files.get(c.probe!.file)!;
    const expr = src.text.slice(c.probe!.start, c.probe!.end);
    const rewrite = strconvFor(m[1], c.probe!.verb, expr);
    if (!rewrite) continue;
    rest.push({
      ...c,
      probe: undefined,
      // Single-byte values box without allocating (a static table): then the fix saves the conversion only.
      title: /^(bool|byte|u?int8)$/.test(m[1])
        ? `Use ${rewrite.text} — no boxing (a ${m[1]} does not allocate)`
        : `Use ${rewrite.text} — removes 1 heap allocation`,
      edits: [{ file: src.path, start: c.probe!.call.start, end: c.probe!.call.end, newText: rewrite.text }],
      addImports: rewrite.imports,
      maybeUnusedImports: ['fmt'],
    });
  }
  return rest;
}

function withImports(src: GoSource, c: FixCandidate, remove: string[]): TextEditOffsets[] | undefined {
  const add = c.addImports ?? [];
  if (add.length === 0 && remove.length === 0) return c.edits;
  const imp = importEdit(src, add, remove);
  if (!imp) return add.every((p) => src.text.includes(`"${p}"`)) && remove.length === 0 ? c.edits : undefined;
  return [...c.edits, imp];
}

/** The target's message is gone from its function, and no message there is new or more frequent. */
function escapeGone(c: FixCandidate, baseline: readonly Finding[], after: readonly Finding[]): boolean {
  const target = baseline.find((f) => `${f.file}:${f.pos.line}:${f.pos.col ?? 0}:${f.message}` === c.target);
  if (!target) return false;
  const count = (list: readonly Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) {
      // A parameter flowing to a result is not an allocation: `return s` may turn a leak into one.
      if (f.file !== target.file || f.function !== target.function || !HEAP_KINDS.has(f.kind) || f.kind === 'leaking-param-result') continue;
      m.set(f.message, (m.get(f.message) ?? 0) + 1);
    }
    return m;
  };
  const before = count(baseline);
  const now = count(after);
  if ((now.get(target.message) ?? 0) >= (before.get(target.message) ?? 0)) return false;
  for (const [msg, n] of now) if (n > (before.get(msg) ?? 0)) return false;
  return true;
}

const gofmtPath = new Map<string, Promise<string | undefined>>();

/** Is the text exactly as gofmt would print it? (gofmt from the same Go installation.) */
async function gofmtClean(text: string, opts: VerifyOptions): Promise<boolean> {
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
