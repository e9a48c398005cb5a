// The figures the real-code test prints per package (issue 7's acceptance), with samples of each kind of
// suspicious finding for debugging.
import type { PackageAnalysis } from '../../core/analysis/analyzePackage';
import { isHeapAllocation, HEAP_KINDS, type Finding } from '../../core/model';
import { keysFor } from '../../core/locate/subjectText';
import { rangeText } from './text';
import * as fs from 'node:fs';
import * as path from 'node:path';

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export interface Audit {
  heap: number;
  allocations: number;
  unclassified: number;
  /** Heap findings without a flow although the compiler printed an explanation block at their position. */
  noFlow: number;
  exact: number;
  /** exact: true findings whose text does not match the subject. */
  exactMismatch: number;
  /** unsafe-pointer findings whose line has no `unsafe.`. */
  unsafeWithoutUnsafe: number;
  /** Findings (any kind) whose range starts on another line than the compiler's. */
  offLine: number;
  /** Two heap findings on one range with the same words. */
  sameWords: number;
  /** Issue 22's table: how many findings still show each pattern. */
  patterns: Record<string, number>;
  line: string;
  samples: Record<string, string[]>;
}

export function auditFindings(r: PackageAnalysis): Audit {
  const samples: Record<string, string[]> = { unclassified: [], noFlow: [], mismatch: [], unsafe: [], offLine: [], sameWords: [], patterns: [] };
  const blockPositions = blockPositionsOf(r.output);
  const heap = r.findings.filter((f) => HEAP_KINDS.has(f.kind) && f.tier !== null);
  let unclassified = 0, noFlow = 0, exact = 0, mismatch = 0, unsafe = 0, offLine = 0;
  for (const f of r.findings) {
    if (!HEAP_KINDS.has(f.kind)) continue;
    if (f.cause === 'unclassified') { unclassified++; samples.unclassified.push(show(f)); }
    const block = `${f.pos.path}:${f.pos.line}:${f.pos.col ?? 0}|${f.kind.startsWith('leaking-param') ? 'leak' : 'escape'}`;
    if (f.tier !== null && f.flow.length === 0 && blockPositions.has(block)) { noFlow++; samples.noFlow.push(show(f)); }
    if (!f.file.endsWith('.go') || !fs.existsSync(f.file)) continue;
    if (f.range.start.line !== f.pos.line - 1) { offLine++; samples.offLine.push(show(f)); }
    if (f.exact) {
      exact++;
      if (!textMatches(f)) { mismatch++; samples.mismatch.push(show(f)); }
    }
    // The conversion may be on a later line of the value's path (`str := …` then `unsafe.Pointer(&str)`).
    if (f.cause === 'unsafe-pointer' && !pathLines(f).some((l) => l.includes('unsafe.'))) { unsafe++; samples.unsafe.push(show(f)); }
  }
  const seen = new Set<string>();
  let sameWords = 0;
  for (const f of r.findings) {
    if (!HEAP_KINDS.has(f.kind)) continue;
    const k = `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    if (seen.has(k)) { sameWords++; samples.sameWords.push(show(f)); }
    seen.add(k);
  }
  const patterns = patternCounts(r.findings.filter((f) => HEAP_KINDS.has(f.kind)), samples.patterns);
  const allocations = r.findings.filter(isHeapAllocation).length;
  const pct = exact ? ((100 * mismatch) / exact).toFixed(2) : '0';
  const line = `${heap.length} heap findings (${allocations} allocations), ${unclassified} unclassified, ${noFlow} without a flow where a block was printed, `
    + `${mismatch}/${exact} exact ranges not matching the subject (${pct} %), ${unsafe} unsafe-pointer without unsafe., ${offLine} ranges off the compiler's line, ${sameWords} same words twice on one range`
    + `; issue 22: ${Object.entries(patterns).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  return { heap: heap.length, allocations, unclassified, noFlow, exact, exactMismatch: mismatch, unsafeWithoutUnsafe: unsafe, offLine, sameWords, patterns, line, samples };
}

/**
 * Issue 22's patterns, each read from the finding and its source line without the classifier's facts:
 * an `append` subject with another cause; `inlinedFrom` whose name the line does not say; a stored-in-heap
 * finding whose heap object is its own interface box; unsafe-pointer on no line of the value's path
 * converting; a compiler name (go.shape, a node) in a message; closure-capture on anything but a
 * variable; a parameter's flow to a result that goes to the heap; generic copies stacked on one range.
 */
function patternCounts(findings: readonly Finding[], samples: string[]): Record<string, number> {
  const lineOf = (f: Finding): string => {
    try { return fs.readFileSync(f.file, 'utf8').split('\n')[f.pos.line - 1] ?? ''; } catch { return ''; }
  };
  const n = {
    'append-not-append': 0, 'inlinedFrom-not-written': 0, 'own-box-stored': 0, 'unsafe-not-operand': 0, 'compiler-name': 0,
    'closure-capture-not-variable': 0, 'to-result-flow-elsewhere': 0, 'generic-stacked': 0,
  };
  const genericAt = new Set<string>();
  for (const f of findings) {
    if (f.subject === 'append' && f.cause !== 'append') n['append-not-append']++;
    if (f.inlinedFrom && f.file.endsWith('.go')) {
      const name = /([\p{L}_][\p{L}\p{N}_]*)(?:\[[^\]]*\])?$/u.exec(f.inlinedFrom)?.[1] ?? '';
      if (!lineOf(f).includes(f.inlinedFrom === 'func literal' ? 'func(' : name)) { n['inlinedFrom-not-written']++; samples.push(`${show(f)} inlined ${f.inlinedFrom}`); }
    }
    const last = f.flow[f.flow.length - 1];
    if (f.cause === 'stored-in-heap' && last?.why === 'interface-converted' && last.edge.includes('{storage for ')) n['own-box-stored']++;
    if (f.cause === 'unsafe-pointer' && f.kind !== 'uintptr' && !pathLines(f).some((l) => l.includes('unsafe.Pointer('))) n['unsafe-not-operand']++;
    if (/go\.shape\.|<node /.test(f.message)) n['compiler-name']++;
    if (f.cause === 'closure-capture' && f.kind !== 'moved-to-heap' && !f.kind.startsWith('leaking')) n['closure-capture-not-variable']++;
    // A parameter's flow to a result ends in that result, never in the heap.
    if (f.kind === 'leaking-param-result' && f.flow.some((s) => s.edge.startsWith('{heap}'))) n['to-result-flow-elsewhere']++;
    if (f.subject.includes('go.shape.')) {
      const k = `${f.file}:${f.range.start.line}:${f.range.start.character}:${f.subject.replace(/go\.shape\.[^,\])]+/g, 'T')}`;
      if (genericAt.has(k)) n['generic-stacked']++;
      genericAt.add(k);
    }
  }
  return n;
}

/**
 * Positions at which the compiler printed an explanation block with at least one step, read from the raw
 * output independently of the parser: `POS|escape` for `… escapes to heap:` blocks, `POS|leak` for a
 * parameter's leak to the heap (`leaks to {heap}` / `{storage for …}`).
 */
function blockPositionsOf(output: string): Set<string> {
  const out = new Set<string>();
  let header: string | undefined;
  for (const line of output.split('\n')) {
    const m = /^(.+?):(\d+):(\d+): (.*)$/.exec(line);
    if (!m) { header = undefined; continue; }
    const pos = `${m[1]}:${m[2]}:${m[3]}`;
    const text = m[4];
    if (/^\S.* escapes to heap(?: in .+)?:$/.test(text)) header = `${pos}|escape`;
    else if (/^parameter .+ leaks to \{.* with derefs=-?\d+:$/.test(text)) header = `${pos}|leak`;
    else if (/^parameter /.test(text) || !text.startsWith(' ')) header = undefined;
    else if (header && /^ {5}from .* at /.test(text)) out.add(header);
  }
  return out;
}

/**
 * Does the exact range's text say what the message names? Written independently of the locator: the
 * printed subject is turned into a pattern that tolerates the compiler's known rewrites (folded
 * constants, `(*T).M(x, a)` for `x.M(a)`, `~r0` for an inlined call's result, package-qualified names).
 */
export function textMatches(f: Finding): boolean {
  const text = rangeText(f);
  const compact = text.replace(/\s+/g, '');
  const s = f.subject;
  if (s === 'func literal') return /^(func|for)\b/.test(text);
  if (s === '... argument') return /\)$/.test(text);
  if (s === 'append') return /^append\(/.test(compact);
  if (IDENT.test(s)) return text === s;
  // A literal printed for a named constant (or a constant expression) in the source.
  if (isLiteral(s) || /^-?[0-9]/.test(s)) return true;
  if (keysFor(s).some((k) => compact.startsWith(k))) return true;
  // Promoted fields: `ce.Entry.Message` is written `ce.Message`.
  const chain = /^([\p{L}_][\p{L}\p{N}_]*)(?:\.[\p{L}_][\p{L}\p{N}_]*)*\.([\p{L}_][\p{L}\p{N}_]*)$/u.exec(s);
  if (chain && compact.startsWith(chain[1] + '.') && compact.endsWith('.' + chain[2])) return true;
  // Promoted fields inside a longer path: `rows.mysqlRows.rs.columns[i].x` is written `rows.rs.columns[i].x`.
  if (isPromotedPath(s.replace(/\s+/g, ''), compact)) return true;
  // A method value on an inlined call's result: `(~r0).M`.
  if (/^\(~[rR]\d+\)\.[\p{L}_][\p{L}\p{N}_]*$/u.test(s)) return compact.endsWith(s.slice(s.indexOf('.')));
  return patternOf(s).test(compact);
}

/** Are the written dot-separated parts the printed ones with some middle parts (embedded fields) left out? */
function isPromotedPath(printed: string, written: string): boolean {
  const p = printed.split('.'), w = written.split('.');
  if (w.length >= p.length || w[0] !== p[0] || w[w.length - 1] !== p[p.length - 1]) return false;
  let i = 0;
  for (const part of p) if (part === w[i]) i++;
  return i === w.length;
}

function isLiteral(s: string): boolean {
  return /^(-?[0-9][0-9a-fA-FxXoObB_.eEpP+-]*i?|"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)+'|true|false)$/.test(s)
    || /^"(?:[^"\\]|\\.)*\.\.\.$/.test(s);
}

/** A loose pattern for a printed expression: placeholders, rewritten calls and folded constants match anything. */
function patternOf(subject: string): RegExp {
  let s = subject.replace(/\s+/g, '');
  // A conversion the compiler made explicit: `([]byte)(x)`.
  s = s.replace(/^\(\[\](?:byte|rune)\)\((.*)\)$/, '$1');
  // A composite literal whose type the source elides (`[]*T{{...}}`, `map[K][]V{k: {...}}`) starts at `{`.
  if (/\{(\.\.\.)?\}$/.test(s)) return /^(?:.*?\{|\{)/;
  // `(*T).M(recv, args)`, `pkg.T.M(recv, args)`, `T(123)`: a call rewritten by the compiler; match up to its name.
  const call = /(?:\(\*?[\p{L}_][\p{L}\p{N}_.]*(?:\[[^\]]*\])?\)\.|(?:[\p{L}_][\p{L}\p{N}_]*\.)+)([\p{L}_][\p{L}\p{N}_]*)\(/u.exec(s);
  if (call) s = s.slice(0, call.index) + '\u0001' + call[1] + '\u0002';
  s = s.replace(/[\p{L}_][\p{L}\p{N}_]*\([0-9]+\)/gu, '\u0003');
  const parts = s.split(/(~[rR]\d+|\.autotmp_\d+|\u0001|\u0002|\u0003|"(?:[^"\\]|\\.)*")/);
  const re = parts.map((p) => {
    if (/^~[rR]\d+$|^\.autotmp/.test(p) || p === '\u0001' || p === '\u0003' || p.startsWith('"')) return '.*?';
    if (p === '\u0002') return '\\(.*';
    // Promoted fields: `ce.Entry.Message` is written `ce.Message`.
    return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\./g, '(?:\\.|.*?)');
  }).join('');
  return new RegExp('^\\(*' + re, 'u');
}

/** The source lines of a finding and of its flow's steps in the same file. */
function pathLines(f: Finding): string[] {
  let lines: string[];
  try { lines = fs.readFileSync(f.file, 'utf8').split('\n'); } catch { return []; }
  const at = [f.pos.line, ...f.flow.filter((s) => s.file === f.file).map((s) => s.line)];
  return at.map((l) => lines[l - 1] ?? '');
}

function show(f: Finding): string {
  let text = '';
  try { text = rangeText(f).slice(0, 80); } catch { /* not on disk */ }
  return `${path.basename(f.file)}:${f.pos.line}:${f.pos.col} ${f.cause} "${f.message}" → "${text}"`;
}
