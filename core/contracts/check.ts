// Checks a package's contracts against one analysis: its located findings and the compiler's raw output.
// `//escape:noheap` reads the package's compiled code when the analysis brings it (core/compiled: every
// call to an allocating runtime function, in the function and in the static callees it reaches, panic
// paths excluded), with a finding on the same line as the explanation of a direct allocation (and its
// cause for allow=); without it, the findings alone (allocating heap escapes: `moved to heap` and
// `escapes to heap` that allocate; a parameter summary such as `leaking param` is not an allocation).
// gcassert's directives read the compiler's lines exactly as gcassert does (same messages, same line and
// column matching).
import * as fs from 'node:fs';
import { HOST } from '../platform';
import { PathResolver } from '../locate/resolvePath';
import type { Finding, Range } from '../model';
import { isHeapAllocation } from '../model';
import { cause, CAUSES, TIER_NAMES } from '../classify/causes';
import type { ContractReport, Directive, DirectiveProblem, Violation } from '../model/contracts';
import { verdict, type AllocationSite, type CompiledAllocations, type DynamicCalls } from '../model/allocations';
import { fileDirectives, mentionsDirective, NOHEAP, offsetOf, pos, type FileDirectives } from './directives';
import { nextCode, prevCode, type GoTokens } from './goTokens';

const ALLOCATING_KINDS = new Set<Finding['kind']>(['moved-to-heap', 'escapes']);
const HEAP_CAUSES = new Set<string>(CAUSES.filter((c) => c.tier).map((c) => c.id));

export const isHeapCause = (id: string): boolean => HEAP_CAUSES.has(id);

export interface ContractInput {
  /** The package's Go files that were compiled: absolute path → text (unsaved buffers included). */
  files: ReadonlyMap<string, string>;
  findings: readonly Finding[];
  /** The compiler's output as printed, for gcassert's directives (a function: made only if they need it). */
  output: string | (() => string);
  /** The package's directory: relative paths in the output, and where a replayed file's name is looked up. */
  cwd: string;
  /**
   * The directory the go command ran in, when it differs from cwd (several packages in one build): a path
   * with a directory (`r/r.go`) is relative to it, unless the go command replayed cached output of a build
   * started elsewhere, which prints paths relative to that first build's directory.
   */
  goDir?: string;
  /** The package's allocations read from its compiled code (for `//escape:noheap`), when the analysis has them. */
  compiled?: CompiledAllocations;
  /**
   * Interface-method and func-value calls under `//escape:noheap`: break it, warn, or pass (default: pass,
   * as checkescape counts them only when asked: their targets are not known from the code).
   */
  dynamic?: DynamicCalls;
}

/** Is the `-d=ssa/check_bce/debug=1` flag needed? Only gcassert:bce reads its (voluminous) output. */
export function needsBoundsCheckOutput(texts: Iterable<string>): boolean {
  for (const t of texts) if (/\/\/ ?gcassert:[\w,]*\bbce\b/.test(t)) return true;
  return false;
}

export function checkContracts(input: ContractInput): ContractReport {
  const report: ContractReport = { directives: [], violations: [], problems: [] };
  const parsed = new Map<string, FileDirectives>();
  for (const [file, text] of input.files) {
    if (!mentionsDirective(text)) continue;
    const d = fileDirectives(file, text, isHeapCause);
    parsed.set(file, d);
    report.directives.push(...d.directives);
    report.problems.push(...d.problems);
  }
  if (report.directives.length === 0) return report;
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) {
    if (!f.file) continue;
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, l = []);
    l.push(f);
  }
  const lines = report.directives.some((d) => d.rule !== 'noheap') ? compilerLines(input) : new Map<string, CompilerLine[]>();
  for (const d of report.directives) {
    const g = parsed.get(d.file)!.tokens;
    const findings = byFile.get(d.file) ?? [];
    switch (d.rule) {
      case 'noheap': {
        const sites = input.compiled && compiledSites(d, input.compiled);
        if (!sites) { report.violations.push(...noheap(d, g, findings)); break; }
        const { breaks, warns } = verdict(d.panics === 'include' ? sites : sites.filter((s) => !s.cold), d.dynamic ?? input.dynamic ?? 'ignore');
        report.violations.push(...noheapCompiled(d, g, findings, breaks));
        report.problems.push(...warns.map((s) => dynamicWarning(d, g, s)));
        break;
      }
      case 'gcassert-noescape': report.violations.push(...noescape(d, g, lines.get(d.file) ?? [], findings)); break;
      case 'gcassert-bce': report.violations.push(...bce(d, g, lines.get(d.file) ?? [])); break;
      case 'gcassert-inline':
        report.violations.push(...(d.scope === 'callsites' ? inlineCallsites(d, parsed, input.files, lines) : inlineLine(d, g, lines.get(d.file) ?? [])));
        break;
    }
  }
  report.violations.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return report;
}

function directiveRef(d: Directive): Violation['directive'] {
  return { file: d.file, range: d.range, text: d.text, scope: d.scope, ...(d.target ? { target: d.target } : {}) };
}

function findingRef(f: Finding): NonNullable<Violation['finding']> {
  return { message: f.message, cause: f.cause, tier: f.tier, ...(f.function ? { function: f.function } : {}) };
}

function noheap(d: Directive, g: GoTokens, findings: readonly Finding[]): Violation[] {
  const out: Violation[] = [];
  for (const f of findings) {
    // Suppressed findings carry an explicit `//escape:ignore <reason>`: the reviewed exception.
    if (!isHeapAllocation(f) || f.suppressed !== undefined) continue;
    if (d.allow?.includes(f.cause)) continue;
    const inside = d.scope === 'function' ? within(g, d, f) : f.range.start.line >= d.lines.first && f.range.start.line <= d.lines.last;
    if (!inside) continue;
    const c = cause(f.cause);
    const what = d.scope === 'function' ? `${d.target} must not allocate` : d.scope === 'variable' ? `${d.target} must stay on the stack` : 'this statement must not allocate';
    const tier = f.tier ? `, ${TIER_NAMES[f.tier]}` : '';
    const inlined = f.inlinedFrom ? ` (inlined from ${f.inlinedFrom})` : '';
    out.push({
      rule: 'noheap', file: d.file, range: f.range,
      message: `Contract broken (//escape:noheap): ${what}, but ${f.message}${inlined} — ${c.title}${tier}`,
      directive: directiveRef(d), finding: findingRef(f), path: f.flow,
    });
  }
  return out;
}

/** The sites a directive covers: its function's, or those on its lines; undefined when the code does not hold its file. */
function compiledSites(d: Directive, compiled: CompiledAllocations): AllocationSite[] | undefined {
  if (d.scope === 'function') {
    const f = compiled.functions.get(d.target!.replace(/\[[^\]]*\]/g, ''));
    return f?.file === d.file ? f.sites : undefined;
  }
  const fns = [...compiled.functions.values()].filter((f) => f.file === d.file);
  if (!fns.length) return undefined;
  return fns.flatMap((f) => f.sites).filter((s) => s.chain[0].at.file === d.file && s.chain[0].at.line - 1 >= d.lines.first && s.chain[0].at.line - 1 <= d.lines.last);
}

const shortName = (symbol: string): string => symbol.slice(symbol.lastIndexOf('/') + 1);

/**
 * One violation per call in the function and what it reaches: a call into fmt may lead to dozens of
 * allocations, told as the first (the shortest chain) and how many more.
 */
function noheapCompiled(d: Directive, g: GoTokens, findings: readonly Finding[], sites: readonly AllocationSite[]): Violation[] {
  const out = new Map<string, Violation>();
  const more = new Map<string, number>();
  const what = d.scope === 'function' ? `${d.target} must not allocate` : d.scope === 'variable' ? `${d.target} must stay on the stack` : 'this statement must not allocate';
  for (const s of sites) {
    const first = s.chain[0];
    const last = s.chain[s.chain.length - 1];
    const here = first.at.file === d.file ? first.at.line - 1 : undefined;
    // A direct allocation on a line with a heap finding: the finding explains it (and allow= or
    // //escape:ignore on its cause excuse it); an allocation in a callee has no finding here.
    // Code inlined from elsewhere in the file carries its own line: the finding the compiler reports for
    // it inside the function (at the call) explains it, if there is one.
    const inlined = here === undefined || here < d.lines.first || here > d.lines.last;
    const f = s.chain.length === 1
      ? findings.find((x) => isHeapAllocation(x) && (inlined ? x.inlinedFrom !== undefined : x.range.start.line === here) && (d.scope !== 'function' || within(g, d, x)))
      : undefined;
    if (f && (f.suppressed !== undefined || d.allow?.includes(f.cause))) continue;
    const loc = s.chain.length > 1 || inlined ? ` (${last.at.file}:${last.at.line})` : '';
    const event = s.kind === 'dynamic' ? `a call through an interface method or a func value${loc} may allocate (its target is not known)`
      : `${s.callee}${loc} ${s.why}${s.may ? ' (may allocate)' : ''}`;
    const via = s.chain.length > 1 ? ` calls ${s.chain.slice(1).map((c) => shortName(c.symbol)).join(' → ')}, where` : '';
    // Worded as the check from findings alone words it (a saved log, which has no compiled code): the same message either way.
    const how = f ? `${f.message}${f.inlinedFrom ? ` (inlined from ${f.inlinedFrom})` : ''} — ${cause(f.cause).title}${f.tier ? `, ${TIER_NAMES[f.tier]}` : ''}` : `${via} ${event}`.trim();
    const message = `Contract broken (//escape:noheap): ${what}, but ${via ? `it ${how}` : how}${s.cold ? ' (on a panic path)' : ''}`;
    const range = f?.range ?? lineCode(g, inlined ? d.lines.first : here!);
    const key = `${range.start.line}:${range.start.character}\0${s.chain.length > 1 ? s.chain[1].symbol : message}`;
    if (out.has(key)) { more.set(key, (more.get(key) ?? 0) + 1); continue; }
    out.set(key, {
      rule: 'noheap', file: d.file, range, message, directive: directiveRef(d), ...(f ? { finding: findingRef(f) } : {}), path: f?.flow ?? [],
    });
  }
  for (const [key, n] of more) out.get(key)!.message += ` (and ${n} more allocation${n > 1 ? 's' : ''} through it)`;
  return [...out.values()];
}

function within(g: GoTokens, d: Directive, f: Finding): boolean {
  const o = offsetOf(g, f.range.start);
  return o >= d.span!.start && o < d.span!.end;
}

function dynamicWarning(d: Directive, g: GoTokens, s: AllocationSite): DirectiveProblem {
  const first = s.chain[0];
  const line = first.at.file === d.file ? first.at.line - 1 : d.lines.first;
  const via = s.chain.length > 1 ? ` through ${s.chain.slice(1).map((c) => shortName(c.symbol)).join(' → ')}` : '';
  return {
    rule: 'contract-directive', file: d.file, range: lineCode(g, line), appliesTo: d.lines.first,
    message: `${NOHEAP} may not hold: ${d.target ?? 'this statement'}${via} calls through an interface or a func value, whose target is not known`,
  };
}

interface CompilerLine { line: number; col: number; message: string }

/** The compiler's `FILE:LINE:COL: MESSAGE` lines by absolute file (gcassert's own pattern). */
function compilerLines(input: ContractInput): Map<string, CompilerLine[]> {
  const out = new Map<string, CompilerLine[]>();
  // The analysis' resolver: a cache replay prints paths relative to the first build's directory
  // (`./q.go` from the package, `q/q.go` from the module root) whatever directory go runs in now. The
  // package's own files (and unsaved buffers among them) exist even when not yet on disk.
  const resolver = new PathResolver(input.cwd, (p) => input.files.has(p) || fs.existsSync(p), HOST, input.goDir);
  const re = /^(.+?\.go):(\d+):(\d+): (.*)$/gm;
  const output = typeof input.output === 'string' ? input.output : input.output();
  for (let m = re.exec(output); m; m = re.exec(output)) {
    const file = resolver.resolve(m[1]);
    if (file === undefined) continue;
    let l = out.get(file);
    if (!l) out.set(file, l = []);
    l.push({ line: Number(m[2]) - 1, col: Number(m[3]), message: m[4] });
  }
  return out;
}

/** The UTF-16 offset of a 1-based UTF-8 byte column on a 0-based line. */
function offsetAtByteCol(g: GoTokens, line: number, col: number): number {
  const start = g.lineStarts[line] ?? g.text.length;
  let bytes = col - 1;
  let i = start;
  while (bytes > 0 && i < g.text.length && g.text[i] !== '\n') {
    const c = g.text.charCodeAt(i);
    if (c < 0x80) { bytes -= 1; i += 1; } else if (c < 0x800) { bytes -= 2; i += 1; } else if (c >= 0xd800 && c < 0xdc00) { bytes -= 4; i += 2; } else { bytes -= 3; i += 1; }
  }
  return i;
}

function byteCol(g: GoTokens, offset: number): number {
  const p = pos(g, offset);
  return Buffer.byteLength(g.text.slice(g.lineStarts[p.line], offset), 'utf8') + 1;
}

/** The line's code without its indentation, as a range (the node gcassert prints). */
function lineCode(g: GoTokens, line: number): Range {
  const start = g.lineStarts[line] ?? g.text.length;
  const end = line + 1 < g.lineStarts.length ? g.lineStarts[line + 1] - 1 : g.text.length;
  const text = g.text.slice(start, end);
  const lead = text.length - text.trimStart().length;
  const codeEnd = g.tokens.filter((t) => t.line === line && t.kind !== 'comment').reduce((e, t) => Math.max(e, t.end), start + lead);
  return { start: pos(g, start + lead), end: pos(g, Math.min(codeEnd, end)) };
}

// gcassert: `strings.HasSuffix(message, "escapes to heap:")`. Go 1.24 added ` in FUNC` before the colon,
// which gcassert (pinned) no longer matches; both forms are the same explanation header.
const ESCAPES_HEADER = /escapes to heap(?: in .+)?:$/;

function noescape(d: Directive, g: GoTokens, lines: readonly CompilerLine[], findings: readonly Finding[]): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.line !== d.lines.first || !ESCAPES_HEADER.test(l.message) || seen.has(`${l.col}:${l.message}`)) continue;
    seen.add(`${l.col}:${l.message}`);
    const off = offsetAtByteCol(g, l.line, l.col);
    const at = pos(g, off);
    const subject = l.message.replace(/ escapes to heap(?: in .+)?:$/, '');
    const f = findings.find((x) => ALLOCATING_KINDS.has(x.kind) && x.pos.line === l.line + 1 && x.pos.col === l.col);
    out.push({
      rule: 'gcassert-noescape', file: d.file, range: f?.range ?? { start: at, end: at },
      message: `Contract broken (gcassert:noescape): ${subject} escapes to heap${f ? ` — ${cause(f.cause).title}` : ''}`,
      directive: directiveRef(d), ...(f ? { finding: findingRef(f) } : {}), path: f?.flow ?? [],
    });
  }
  return out;
}

function bce(d: Directive, g: GoTokens, lines: readonly CompilerLine[]): Violation[] {
  return lines.filter((l) => l.line === d.lines.first && (l.message === 'Found IsInBounds' || l.message === 'Found IsSliceInBounds')).map((l) => {
    const at = pos(g, offsetAtByteCol(g, l.line, l.col));
    return {
      rule: 'gcassert-bce' as const, file: d.file, range: { start: at, end: { line: at.line, character: at.character + 1 } },
      message: `Contract broken (gcassert:bce): bounds check not eliminated (${l.message})`,
      directive: directiveRef(d), path: [],
    };
  });
}

function inlineLine(d: Directive, g: GoTokens, lines: readonly CompilerLine[]): Violation[] {
  if (lines.some((l) => l.line === d.lines.first && l.message.startsWith('inlining call to'))) return [];
  return [{
    rule: 'gcassert-inline', file: d.file, range: lineCode(g, d.lines.first),
    message: 'Contract broken (gcassert:inline): call was not inlined', directive: directiveRef(d), path: [],
  }];
}

/** gcassert:inline on a function: every call of it in the package must be inlined (matched at its `(`). */
function inlineCallsites(
  d: Directive, parsed: Map<string, FileDirectives>, files: ReadonlyMap<string, string>, lines: Map<string, CompilerLine[]>,
): Violation[] {
  const method = d.target!.includes('.');
  const name = d.target!.slice(d.target!.lastIndexOf('.') + 1);
  const out: Violation[] = [];
  for (const [file, text] of files) {
    if (!text.includes(name)) continue;
    const g = parsed.get(file)?.tokens ?? fileDirectives(file, text, isHeapCause).tokens;
    if (!parsed.has(file)) parsed.set(file, { directives: [], problems: [], tokens: g });
    const inlined = lines.get(file) ?? [];
    g.tokens.forEach((t, k) => {
      if (t.kind !== 'ident' || t.text !== name) return;
      const open = nextCode(g, k);
      if (open === -1 || g.tokens[open].text !== '(') return;
      const p = prevCode(g, k);
      const prev = p === -1 ? undefined : g.tokens[p];
      if (prev?.text === 'func' || (prev?.text === ')' && g.tokens[prevCode(g, g.pairs.get(p) ?? p)]?.text === 'func')) return;
      // Without type information (as gcassert has), methods are matched by name after a dot and
      // functions by a name not after one.
      if (method !== (prev?.text === '.')) return;
      const line = g.tokens[open].line;
      const col = byteCol(g, g.tokens[open].start);
      if (inlined.some((l) => l.line === line && l.col === col && l.message.startsWith('inlining call to'))) return;
      const close = g.pairs.get(open);
      out.push({
        rule: 'gcassert-inline', file, range: { start: pos(g, t.start), end: pos(g, close !== undefined ? g.tokens[close].end : g.tokens[open].end) },
        message: `Contract broken (gcassert:inline): call to ${d.target} was not inlined`, directive: directiveRef(d), path: [],
      });
    });
  }
  return out;
}
