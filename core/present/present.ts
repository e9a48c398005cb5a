// The one function that decides what the editor and the CLI's default output show: findings → items
// (single findings or groups), each placed by the rules of rules.ts. Nothing is dropped: every finding is
// a member of exactly one item, and hidden items stay in the Escapes view, `--all` and JSON.
import { measuredBytes } from '../measure/attach';
import { runInSlices, sortSteps } from '../util/steps';
import type { Finding, Range, Tier } from '../model';
import { HEAP_KINDS, isHeapAllocation, isParamSummary } from '../model';
import { NO_CONTEXT, type CodeContext } from './codeContext';
import { coldRule } from './coldCode';
import { leakingParams, type LeakIndex } from './leakingParams';
import { DEFAULT_PRESENT, type Display, type PresentSettings, type Severity } from './rules';

export interface Item {
  /** Stable while the code does not change: file, position and message. */
  id: string;
  /** The finding that stands for the item (the first member). */
  finding: Finding;
  /** Every finding the item stands for (one, or the members of a group). */
  members: Finding[];
  /** What the editor says: the compiler's words, or the group's ("3 values boxed for fmt.Printf"). */
  message: string;
  /** Where it is drawn: the finding's range, the callee of a grouped call, a multi-line literal's first line. */
  range: Range;
  display: Display;
  severity: Severity;
  /** Ids of the rules (rules.ts) that placed it. */
  rules: string[];
  /** Does any member allocate at run time? */
  allocates: boolean;
  tier: Tier | null;
  /** A caller's finding that goes through a leaking parameter of a function of this package: who keeps it. */
  because?: string;
  /** Profile bytes of the item (the largest member's line). */
  bytes: number;
  /** Bytes per operation a benchmark measured (the largest member's), for ranking after the profile. */
  measured: number;
}

export interface Presentation {
  /** Every item, most worth acting on first. */
  items: Item[];
  squiggles: Item[];
  hints: Item[];
  signatures: Item[];
  hidden: Item[];
}

const DISPLAY_ORDER: Record<Display, number> = { squiggle: 0, hint: 1, signature: 2, hidden: 3 };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3, off: 4 };
const TIER_ORDER = (t: Tier | null) => (t === 'L1' ? 0 : t === 'L2' ? 1 : t === 'L3' ? 2 : 3);
const TESTING_PARAM = /^\*?testing\.(T|B|F|TB)$/;

/** The project's policy (.escapelens.json) as a severity per finding, when it has one. */
export type PolicySeverity = (f: Finding) => Severity | undefined;

export function present(
  findings: readonly Finding[], settings: PresentSettings = DEFAULT_PRESENT, ctx: CodeContext = NO_CONTEXT, policy?: PolicySeverity,
): Presentation {
  const steps = presentSteps(findings, settings, ctx, policy);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface PresentAsyncOptions {
  /** Stops between slices: the promise rejects with CancelledError. */
  signal?: AbortSignal;
  /** Longest stretch of work before yielding to the event loop (default 5 ms). */
  sliceMs?: number;
}

/**
 * present() in slices: the same result, computed yielding to the event loop every `sliceMs`, so a language
 * server keeps answering hovers while a big package's findings are presented (each asks the syntax tree).
 */
export async function presentAsync(
  findings: readonly Finding[], settings: PresentSettings = DEFAULT_PRESENT, ctx: CodeContext = NO_CONTEXT, policy?: PolicySeverity,
  options: PresentAsyncOptions = {},
): Promise<Presentation> {
  return runInSlices(presentSteps(findings, settings, ctx, policy), options.sliceMs ?? 5, options.signal);
}

/** Findings handled between two chances to yield (each is a few microseconds of work). */
const STEP = 128;

/** The work of present(), yielding (nothing) every STEP units of work: its drivers decide whether to pause there. */
function* presentSteps(
  findings: readonly Finding[], settings: PresentSettings, ctx: CodeContext, policy?: PolicySeverity,
): Generator<void, Presentation, void> {
  const items: Item[] = [];
  const groups = new Map<string, Finding[]>();
  let n = 0;
  for (const f of findings) {
    if (++n % STEP === 0) yield;
    if (f.suppressed !== undefined) { items.push(single(f, 'hidden', 'off', ['suppressed'])); continue; }
    if (isParamSummary(f)) { items.push(paramItem(f, settings, ctx)); continue; }
    if (!HEAP_KINDS.has(f.kind)) {
      const shown = (f.kind === 'does-not-escape' && settings.showNonEscaping)
        || ((f.kind === 'can-inline' || f.kind === 'cannot-inline' || f.kind === 'inlining-call') && settings.showInlining);
      items.push(single(f, shown && settings.severity.info !== 'off' ? 'hint' : 'hidden', shown ? settings.severity.info : 'off', ['not-heap']));
      continue;
    }
    const key = groupKey(f, settings);
    const list = groups.get(key);
    if (list) list.push(f); else groups.set(key, [f]);
  }
  // A call with one operand is not a group: it joins its line's duplicates, if any.
  for (const [key, members] of [...groups]) {
    if (++n % STEP === 0) yield;
    if (!key.startsWith('call\0') || members.length > 1) continue;
    groups.delete(key);
    const k = lineKey(members[0]);
    const list = groups.get(k);
    if (list) list.push(members[0]); else groups.set(k, members);
  }
  yield;
  const leaks = yield* leakingParams(findings);
  const bodies = new Set<string>();
  for (const f of findings) {
    if (++n % STEP === 0) yield;
    if (f.exact && HEAP_KINDS.has(f.kind) && !isParamSummary(f)) bodies.add(f.message);
  }
  yield;
  for (const [key, members] of groups) {
    if (++n % STEP === 0) yield;
    items.push(heapItem(key, members, settings, ctx, leaks, bodies));
  }
  if (policy) {
    for (const i of items) {
      if (++n % STEP === 0) yield;
      applyPolicy(i, policy);
    }
  }
  yield* sortSteps(items, byRank);
  const sorted = items;
  yield;
  // A server keeps two presentations of a big package at once (hovers read the last one while the next is
  // made): items with the same rules share one array, not one each.
  const shared = new Map<string, string[]>();
  for (const i of sorted) {
    if (++n % STEP === 0) yield;
    const key = i.rules.length === 1 ? i.rules[0] : i.rules.join('\0');
    const same = shared.get(key);
    if (same) i.rules = same;
    else shared.set(key, i.rules = Object.freeze(i.rules.slice()) as string[]);
  }
  return {
    items: sorted,
    squiggles: sorted.filter((i) => i.display === 'squiggle'),
    hints: sorted.filter((i) => i.display === 'hint'),
    signatures: sorted.filter((i) => i.display === 'signature'),
    hidden: sorted.filter((i) => i.display === 'hidden'),
  };
}

function byRank(a: Item, b: Item): number {
  return DISPLAY_ORDER[a.display] - DISPLAY_ORDER[b.display]
    || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || b.bytes - a.bytes
    || b.measured - a.measured
    || TIER_ORDER(a.tier) - TIER_ORDER(b.tier)
    || (a.finding.file < b.finding.file ? -1 : a.finding.file > b.finding.file ? 1 : 0)
    || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/**
 * The project's policy decides first: `ignore` hides, `warn`/`fail` draw a warning/error squiggle whatever
 * the rules below say; `log` leaves the presentation's decision. Suppressed findings stay suppressed.
 */
function applyPolicy(item: Item, policy: PolicySeverity): void {
  if (item.finding.suppressed !== undefined) return;
  let sev: Severity | undefined;
  for (const m of item.members) {
    const p = policy(m);
    if (p && (sev === undefined || SEVERITY_ORDER[p] < SEVERITY_ORDER[sev])) sev = p;
  }
  if (sev === 'off') { item.display = 'hidden'; item.severity = 'off'; item.rules.unshift('policy'); return; }
  if (sev === 'error' || sev === 'warning') { item.display = 'squiggle'; item.severity = sev; item.rules.unshift('policy'); }
}

function single(f: Finding, display: Display, severity: Severity, rules: string[], message = f.message, range = f.range): Item {
  return {
    id: itemId(f.file, range, message), finding: f, members: [f], message, range,
    display, severity, rules, allocates: isHeapAllocation(f), tier: f.tier, bytes: f.profile?.bytes ?? 0, measured: measuredBytes(f),
  };
}

/**
 * `file:line:character:message`, as one flat string: a template literal makes a chain of concatenation
 * nodes, kept with every item, that a join does not.
 */
function itemId(file: string, range: Range, message: string): string {
  return [file, range.start.line, range.start.character, message].join(':');
}

function paramItem(f: Finding, s: PresentSettings, ctx: CodeContext): Item {
  // Only parameters whose value (or content) goes to the heap get a mark; `to result` is the caller's business.
  const leaks = (f.kind === 'leaking-param' || f.kind === 'leaking-param-content') && f.tier !== null;
  const receiverContent = f.kind === 'leaking-param-content' && ctx.isReceiver(f.file, f.range);
  const testing = TESTING_PARAM.test(ctx.parameterType(f.file, f.range) ?? '');
  const shown = s.parameterHints && leaks && !receiverContent && !testing;
  return single(f, shown ? 'signature' : 'hidden', 'off', ['param-summary']);
}

/** Findings that belong together share a key: an inlined callee's allocation at one call, the operands of one variadic call, duplicates. */
function groupKey(f: Finding, s: PresentSettings): string {
  if (s.groupCalls && f.inlinedFrom) return `inl\0${f.file}\0${f.range.start.line}\0${f.inlinedFrom}`;
  if (s.groupCalls && f.kind === 'escapes') {
    const arg = variadicStep(f);
    if (arg) return `call\0${f.file}\0${arg.line}:${arg.column}`;
  }
  return lineKey(f);
}

function lineKey(f: Finding): string {
  return `one\0${f.file}\0${f.range.start.line}\0${f.message}`;
}

/** The step where the value became an element of a call's `...` slice: its position is the call's. */
function variadicStep(f: Finding): { line: number; column?: number } | undefined {
  const st = f.flow.find((x) => x.where === '... argument' && x.why === 'slice-literal-element');
  return st && st.file === f.file ? st : undefined;
}

function heapItem(key: string, members: Finding[], s: PresentSettings, ctx: CodeContext, leaks: LeakIndex, bodies: ReadonlySet<string>): Item {
  const f = members[0];
  const kind = key.slice(0, key.indexOf('\0'));
  const allocating = members.filter(isHeapAllocation);
  let message = f.message;
  let range = f.range;
  const rules: string[] = [];
  if (kind === 'inl') {
    const call = ctx.callsAround(f.file, f.range).find((c) => c.isCall);
    message = `${f.inlinedFrom} allocates here (inlined)`;
    if (call) range = call.calleeRange;
    rules.push('grouped-inlined');
  } else if (kind === 'call' && members.length > 1) {
    const st = variadicStep(f)!;
    const call = ctx.callAt(f.file, st.line, st.column);
    const callee = call?.callee ?? 'a variadic call';
    const boxed = members.every((m) => m.cause === 'interface-conversion' || m.cause === 'boxed-constant');
    const none = members.length - allocating.length;
    message = `${members.length} values ${boxed ? 'boxed for' : 'escape through the ... argument of'} ${callee}` +
      (none > 0 ? ` (${none} without allocating)` : '');
    if (call) range = call.calleeRange;
    rules.push('grouped-call');
  } else if (members.length > 1) {
    rules.push('duplicate');
  }
  const lead = allocating[0] ?? f;
  const item: Item = {
    id: itemId(f.file, range, message), finding: lead, members, message, range,
    display: 'hidden', severity: 'off', rules, allocates: allocating.length > 0, tier: lead.tier,
    bytes: Math.max(0, ...members.map((m) => m.profile?.bytes ?? 0)),
    measured: Math.max(0, ...members.map(measuredBytes)),
  };
  const because = leaks.explain(lead);
  if (because) item.because = because;
  if (!item.allocates) {
    item.rules.push('no-allocation');
    if (s.showNonAllocating && s.severity.info !== 'off') { item.display = 'hint'; item.severity = s.severity.info; }
    return item;
  }
  item.range = firstLine(item.range, f.file, ctx);
  const share = Math.max(0, ...members.map((m) => m.profile?.share ?? 0));
  if (s.profileWarningShare > 0 && share >= s.profileWarningShare) {
    item.rules.push('profile-hot');
    const tierSev = lead.tier ? s.severity[lead.tier] : s.severity.info;
    item.display = 'squiggle';
    item.severity = tierSev === 'error' ? 'error' : 'warning';
    return item;
  }
  // The same allocation in a function of this package, inlined here: squiggled once, in that function's body.
  if (s.groupCalls && (f.inlinedFrom !== undefined || !f.exact) && bodies.has(f.message)) {
    item.rules.push('inlined-local');
    item.display = 'hint';
    item.severity = 'hint';
    return item;
  }
  const cold = coldRule(item.finding, s, ctx);
  if (cold) {
    item.rules.push(cold);
    item.display = 'hint';
    item.severity = 'hint';
    return item;
  }
  item.rules.push('allocation');
  const sev = lead.tier ? s.severity[lead.tier] : s.severity.info;
  item.display = sev === 'off' ? 'hidden' : sev === 'hint' ? 'hint' : 'squiggle';
  item.severity = sev;
  return item;
}

/** A multi-line range (a `&Writer{…}` literal) is drawn on its first line, up to the `{`. */
function firstLine(r: Range, file: string, ctx: CodeContext): Range {
  if (r.end.line === r.start.line) return r;
  const text = ctx.lineText(file, r.start.line);
  if (text === undefined) return { start: r.start, end: { line: r.start.line, character: r.start.character + 1 } };
  const brace = text.indexOf('{', r.start.character);
  const end = brace > r.start.character ? brace : text.trimEnd().length;
  return { start: r.start, end: { line: r.start.line, character: Math.max(end, r.start.character + 1) } };
}

/** How many findings each display holds: the counts add up to the number of findings. */
export function findingCounts(p: Presentation): Record<Display, number> & { total: number } {
  const c = { squiggle: 0, hint: 0, signature: 0, hidden: 0, total: 0 };
  for (const i of p.items) { c[i.display] += i.members.length; c.total += i.members.length; }
  return c;
}
