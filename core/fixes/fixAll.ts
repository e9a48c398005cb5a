// "Fix all" of one kind, per file and per package: the verified fixes of that kind applied together are
// verified again as a whole, because fixes proven one at a time may not combine (two fmt rewrites each
// leave fmt used by the other; together they leave it unused; two files may pick the same sentinel name).
// The combination must build, stay gofmt-clean, and each escape-proven fix must still remove its escapes;
// a measured fix keeps its measurement (its function is not changed by the others of its kind).
import * as path from 'node:path';
import { analyzePackage } from '../analysis/analyzePackage';
import { importEdit } from './imports';
import { applyEdits, type FixAll, type FixKind, type TextEditOffsets } from './model';
import { escapeGone, gofmtClean, type VerifiedFix, type VerifyOptions } from './verify';

export type { FixAll };


const WORDS: Partial<Record<FixKind, string>> = {
  'fmt-boxing': 'fmt boxing rewrites', 'sprintf-concat': 'Sprintf concatenations', 'sentinel-error': 'error hoists',
  'preallocate': 'preallocations', 'loop-var-copy': 'loop-variable copies',
};

/** Every per-file (two fixes or more of a kind in a file) and per-package fix-all that verifies as a whole. */
export async function verifyFixAll(verified: readonly VerifiedFix[], opts: VerifyOptions & { packageName?: string }): Promise<FixAll[]> {
  const groups = new Map<string, VerifiedFix[]>();
  const add = (key: string, v: VerifiedFix) => groups.set(key, [...(groups.get(key) ?? []), v]);
  for (const v of verified) {
    add(`${v.kind}\0${v.edits[0].file}`, v);
    add(`${v.kind}\0`, v);
  }
  const out: FixAll[] = [];
  for (const [key, fixes] of groups) {
    const [kind, file] = key.split('\0') as [FixKind, string];
    const files = new Set(fixes.map((f) => f.edits[0].file));
    // A package's fix-all is worth offering only beside the per-file ones: when it spans several files.
    if (fixes.length < 2 || (!file && files.size < 2) || opts.signal?.aborted) continue;
    const edits = await combined(fixes, opts);
    if (!edits) continue;
    const where = file ? 'in this file' : `in package ${opts.packageName ?? path.basename(opts.dir)}`;
    const changes = edits.map((e) => ({ file: e.file, range: opts.files.get(e.file)!.rangeOf(e.start, e.end), newText: e.newText }));
    out.push({ kind, ...(file ? { file } : {}), title: `Fix all ${fixes.length} ${WORDS[kind] ?? kind} ${where} (each proven)`, changes, count: fixes.length });
  }
  return out;
}

async function combined(fixes: readonly VerifiedFix[], opts: VerifyOptions): Promise<TextEditOffsets[] | undefined> {
  const byFile = new Map<string, VerifiedFix[]>();
  for (const f of fixes) byFile.set(f.edits[0].file, [...(byFile.get(f.edits[0].file) ?? []), f]);
  let remove = new Map<string, string[]>();
  for (let attempt = 0; attempt < 2; attempt++) {
    const edits: TextEditOffsets[] = [];
    const overlay = new Map(opts.overlay ?? []);
    for (const [file, mine] of byFile) {
      const src = opts.files.get(file);
      if (!src) return undefined;
      const body = mine.flatMap((f) => f.candidate.edits);
      const addImports = [...new Set(mine.flatMap((f) => f.candidate.addImports ?? []))];
      const imp = addImports.length || remove.get(file)?.length ? importEdit(src, addImports, remove.get(file) ?? []) : undefined;
      if ((addImports.length || remove.get(file)?.length) && !imp && !addImports.every((p) => src.text.includes(`"${p}"`))) return undefined;
      const fileEdits = imp ? [...body, imp] : body;
      edits.push(...fileEdits);
      overlay.set(file, applyEdits(src.text, fileEdits));
    }
    const r = await analyzePackage({ ...opts, overlay });
    const unused = r.errors.map((e) => ({ file: e.file, pkg: /^"([^"]+)" imported and not used$/.exec(e.message)?.[1] }));
    const removable = (u: { file?: string; pkg?: string }) => !!u.file && !!u.pkg
      && (byFile.get(u.file) ?? []).some((f) => f.candidate.maybeUnusedImports?.includes(u.pkg!));
    if (r.errors.length > 0 && attempt === 0 && unused.every(removable)) {
      remove = new Map();
      for (const u of unused) remove.set(u.file!, [...(remove.get(u.file!) ?? []), u.pkg!]);
      continue;
    }
    if (r.errors.length > 0) return undefined;
    if (!fixes.every((f) => f.candidate.measure || escapeGone(f.candidate, opts.baseline, r.findings))) return undefined;
    for (const file of byFile.keys()) if (!(await gofmtClean(overlay.get(file)!, opts))) return undefined;
    return edits;
  }
  return undefined;
}
