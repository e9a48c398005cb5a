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
  line: string;
  samples: Record<string, string[]>;
}

export function auditFindings(r: PackageAnalysis): Audit {
  const samples: Record<string, string[]> = { unclassified: [], noFlow: [], mismatch: [], unsafe: [], offLine: [] };
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
    if (f.cause === 'unsafe-pointer') {
      const line = fs.readFileSync(f.file, 'utf8').split('\n')[f.pos.line - 1] ?? '';
      if (!line.includes('unsafe.')) { unsafe++; samples.unsafe.push(show(f)); }
    }
  }
  const allocations = r.findings.filter(isHeapAllocation).length;
  const pct = exact ? ((100 * mismatch) / exact).toFixed(2) : '0';
  const line = `${heap.length} heap findings (${allocations} allocations), ${unclassified} unclassified, ${noFlow} without a flow where a block was printed, `
    + `${mismatch}/${exact} exact ranges not matching the subject (${pct} %), ${unsafe} unsafe-pointer without unsafe., ${offLine} ranges off the compiler's line`;
  return { heap: heap.length, allocations, unclassified, noFlow, exact, exactMismatch: mismatch, unsafeWithoutUnsafe: unsafe, offLine, line, samples };
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
  // A method value on an inlined call's result: `(~r0).M`.
  if (/^\(~[rR]\d+\)\.[\p{L}_][\p{L}\p{N}_]*$/u.test(s)) return compact.endsWith(s.slice(s.indexOf('.')));
  return patternOf(s).test(compact);
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

function show(f: Finding): string {
  let text = '';
  try { text = rangeText(f).slice(0, 80); } catch { /* not on disk */ }
  return `${path.basename(f.file)}:${f.pos.line}:${f.pos.col} ${f.cause} "${f.message}" → "${text}"`;
}
