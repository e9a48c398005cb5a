// The house rules of docs/architecture.md, checked on the source itself (as rust-analyzer's tidy tests do):
// rooms are ranked, and a room imports only rooms ranked below it; the model is a leaf; the core imports no
// editor, server or CLI code; no file imports itself back through others; no source file is over 400
// lines; every core module is imported by a unit test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers/repo';

/** Each room and its rank: an import must go to a room of lower rank, or stay in its own room. */
const RANKS: Record<string, number> = {
  'core/model': 0,
  'core/util': 0,
  'core/platform': 0,
  'core/run': 1,
  'core/gohelper': 2,
  'core/parse': 3,
  'core/locate': 3,
  'core/typed': 3,
  'core/classify': 4,
  'core/measure': 5,
  'core/contracts': 5,
  'core/deep': 5,
  'core/compiled': 5,
  'core/policy': 6,
  'core/present': 7,
  'core/analysis': 8,
  'core/fixes': 9,
  server: 10,
  cli: 10,
  client: 11,
};

const SOURCE_ROOTS = ['core', 'server', 'cli', 'client'];
const EDITOR_MODULES = /^(vscode|vscode-languageserver|vscode-languageserver-textdocument|vscode-languageclient)(\/|$)/;

function tsFiles(dir: string, ext = '.ts'): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(rel, ext));
    else if (e.name.endsWith(ext)) out.push(rel);
  }
  return out;
}

/** The import specifiers of a file: static imports and re-exports, `import()` and `import x = require()`. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const re = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.normalize(path.join(path.dirname(from), spec));
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(path.join(REPO, c))) return c;
  return undefined;
}

function roomOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === 'core' ? `core/${parts[1]}` : parts[0];
}

const files = SOURCE_ROOTS.flatMap((d) => tsFiles(d));
const edges = new Map(files.map((f) => [f, specifiers(f).map((s) => ({ spec: s, target: resolveImport(f, s) }))]));

describe('architecture (docs/architecture.md)', () => {
  it('every source file lives in a ranked room', () => {
    const unranked = [...new Set(files.map(roomOf))].filter((r) => RANKS[r] === undefined);
    assert.deepEqual(unranked, [], 'a new room needs a rank here and a line in docs/architecture.md');
  });

  it('a room imports only rooms ranked below it', () => {
    const wrong: string[] = [];
    for (const [file, imports] of edges) {
      const from = roomOf(file);
      for (const { spec, target } of imports) {
        if (spec.startsWith('.') && !target && !spec.endsWith('.json')) wrong.push(`${file}: unresolved ${spec}`);
        if (!target) continue;
        const to = roomOf(target);
        if (to !== from && !(RANKS[to] < RANKS[from])) wrong.push(`${file} (${from}, rank ${RANKS[from]}) → ${target} (${to}, rank ${RANKS[to]})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the model is a leaf, and the core imports no editor, server or CLI code', () => {
    const wrong: string[] = [];
    for (const [file, imports] of edges) {
      if (!file.startsWith(`core${path.sep}`)) continue;
      for (const { spec, target } of imports) {
        if (EDITOR_MODULES.test(spec)) wrong.push(`${file} imports ${spec}`);
        if (target && !target.startsWith(`core${path.sep}`)) wrong.push(`${file} imports ${target}`);
        if (roomOf(file) === 'core/model' && target && roomOf(target) !== 'core/model') wrong.push(`${file} (the model) imports ${target}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('no import circles', () => {
    // Tarjan's strongly connected components over the file graph: any component of two or more is a circle.
    let next = 0;
    const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string): void => {
      index.set(v, next); low.set(v, next); next++;
      stack.push(v); onStack.add(v);
      for (const { target: w } of edges.get(v) ?? []) {
        if (!w) continue;
        if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
        if (scc.length > 1) circles.push(scc.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    assert.deepEqual(circles, []);
  });

  it('no source file over 400 lines (the Go helper\'s Go files included)', () => {
    const goFiles = SOURCE_ROOTS.flatMap((d) => tsFiles(d, '.go'));
    assert.ok(goFiles.some((f) => f.endsWith('goast/main.go')), 'the Go helper is checked');
    const big = [...files, ...tsFiles('bench'), ...tsFiles('scripts'), ...goFiles]
      .map((f) => ({ f, n: fs.readFileSync(path.join(REPO, f), 'utf8').split('\n').length - 1 }))
      .filter(({ n }) => n > 400).map(({ f, n }) => `${f}: ${n} lines`);
    assert.deepEqual(big, []);
  });

  it('every core module is imported by a unit test', () => {
    const tested = new Set<string>();
    for (const t of tsFiles('test').filter((f) => !f.includes(`${path.sep}transcripts${path.sep}`))) {
      for (const spec of specifiers(t)) {
        const target = resolveImport(t, spec);
        if (!target) continue;
        tested.add(target);
        // A room's index re-exports its modules: a test that imports the room imports them.
        if (path.basename(target) === 'index.ts') {
          for (const s of specifiers(target)) { const r = resolveImport(target, s); if (r) tested.add(r); }
        }
      }
    }
    const untested = files.filter((f) => f.startsWith(`core${path.sep}`) && !tested.has(f)
      // Type-only modules hold nothing to run: the modules that use them are tested.
      && /\b(function|class|const|let)\b/.test(fs.readFileSync(path.join(REPO, f), 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    assert.deepEqual(untested, []);
  });
});
