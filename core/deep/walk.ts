// Follows a finding's path past the package boundary. The compiler's output for the user's package stops at
// `from fmt.Fprintln(os.Stdout, fmt.a...) (call parameter)`: the callee's reasons were printed when *its*
// package was compiled. We compile it again the cheap way (see cache.ts), find the callee's `leaking
// param` record for the parameter that received the value, and continue with the last call of that
// explanation, until a sink or a limit.
import type { Finding, RawExplanation } from '../model';
import { HEAP_KINDS } from '../model';
import { posKey } from '../parse/lines';
import type { DeepCache, RunCounter } from './cache';
import { argumentIndex, parseCall, parseEdge, splitCallee } from './callText';
import { findImplementations, typedImplementers } from './implementations';
import { DEFAULT_LIMITS, type DeepHop, type DeepLimits, type DeepPath, type DeepStep, type Sink, type SinkKind } from '../model/deep';
import type { PackageOutput } from './packageOutput';
import type { GoQuery, PkgInfo } from './packages';
import { paramForArgument, signatureAt } from './signature';
import { builtinSink, packageSink, refinedCause, SINKS, sinkInside, terminalSink } from './sinks';

export interface DeepRequest extends GoQuery {
  cache: DeepCache;
  limits?: Partial<DeepLimits>;
}

/** Where the walk stands: a call in `pkg`'s output that hands `value` to a callee. */
interface At {
  pkg: PkgInfo;
  call: string;
  value: string;
  derefs: number;
  previous?: string;
  file: string;
  line: number;
  column?: number;
  function: string;
}

/** The start of a walk: a heap finding whose path ends at a call that keeps the value (`{heap} ← …` by a call parameter). */
function deepStart(f: Finding): { call: string; value: string; derefs: number; previous?: string } | undefined {
  if (!HEAP_KINDS.has(f.kind) || f.flow.length === 0) return undefined;
  const last = f.flow[f.flow.length - 1];
  if (last.why !== 'call parameter') return undefined;
  const edge = parseEdge(last.edge);
  if (edge.dst !== '{heap}') return undefined;
  const before = f.flow[f.flow.length - 2];
  return { call: last.where, value: edge.src, derefs: edge.derefs, previous: before?.edge === last.edge ? before.where : undefined };
}

export function isDeepCandidate(f: Finding): boolean {
  return deepStart(f) !== undefined;
}

export async function explainDeep(f: Finding, req: DeepRequest): Promise<DeepPath | undefined> {
  const start = deepStart(f);
  if (!start) return undefined;
  const limits = { ...DEFAULT_LIMITS, ...req.limits };
  const t0 = performance.now();
  const counter: RunCounter = { runs: 0 };
  const result: DeepPath = { hops: [], stop: 'not-found', goRuns: 0, ms: 0 };
  const done = (): DeepPath => {
    result.goRuns = counter.runs;
    result.ms = Math.round(performance.now() - t0);
    const refined = refinedCause(f.cause, result.sink?.kind);
    if (refined) result.refinedCause = refined;
    return result;
  };
  let packages: Map<string, PkgInfo>;
  try {
    packages = await req.cache.packages(req, counter);
  } catch (e) {
    return stopWith(result, 'error', `The go command could not list the packages: ${(e as Error).message}`, done);
  }
  const homePath = f.pkg?.replace(/ \[.*\]$/, '');
  const home = (homePath && packages.get(homePath)) || [...packages.values()].find((p) => p.dir === req.dir);
  if (!home) return stopWith(result, 'not-found', `The go command does not list the package ${homePath ?? req.dir}.`, done);

  const load = (p: PkgInfo): Promise<PackageOutput> => req.cache.output(req, p, packages, counter);
  const last = f.flow[f.flow.length - 1];
  let at: At = {
    pkg: home, call: start.call, value: start.value, derefs: start.derefs, previous: start.previous,
    file: last.file, line: last.line, column: last.column, function: f.function ?? '',
  };
  const seen = new Set<string>();
  try {
    for (;;) {
      if (performance.now() - t0 > limits.timeMs) {
        return stopWith(result, 'time', `Stopped after ${Math.round(limits.timeMs / 1000)} s (the time limit) at ${at.call}.`, done);
      }
      const callee = await resolveCallee(at, packages, load);
      if (callee.kind === 'unknown') return stopWith(result, 'not-found', callee.note, done);
      if (callee.kind === 'sink') {
        result.sink = sinkAt(callee.sink, at, callee.words);
        result.stop = 'sink';
        if (callee.sink === 'interface-call' && callee.method) {
          const modulePath = home.main ? home.module : undefined;
          if (modulePath) {
            const implementers = await typedImplementers(req, at.pkg.dir, at.file, at.line, at.column);
            result.implementations = await findImplementations(req, req.cache, modulePath, callee.method, counter, limits.maxImplementations, implementers);
          }
        }
        return done();
      }
      if (result.hops.length >= limits.maxCalls) {
        return stopWith(result, 'depth',
          `Stopped after ${limits.maxCalls} calls (the limit): the path goes on into ${callee.pkg.importPath}.${callee.key}.`, done);
      }
      const hop = await hopInto(at, callee.pkg, callee.key, callee.receiverFirst, callee.out);
      if (typeof hop === 'string') return stopWith(result, 'not-found', hop, done);
      const id = `${hop.hop.pkg}\0${hop.hop.function}\0${hop.hop.param}`;
      result.hops.push(hop.hop);
      if (seen.has(id)) {
        return stopWith(result, 'not-found', `The path loops back into ${hop.hop.function}: a recursive call keeps the value.`, done);
      }
      seen.add(id);
      if (hop.sink) {
        result.sink = hop.sink;
        result.stop = 'sink';
        return done();
      }
      at = hop.next!;
    }
  } catch (e) {
    return stopWith(result, 'error', `A go command failed while following ${at.call}: ${(e as Error).message.split('\n')[0]}`, done);
  }
}

function stopWith(r: DeepPath, stop: DeepPath['stop'], note: string, done: () => DeepPath): DeepPath {
  r.stop = stop;
  r.note = note;
  return done();
}

type Callee =
  | { kind: 'static'; pkg: PkgInfo; key: string; receiverFirst: boolean; out: PackageOutput }
  | { kind: 'sink'; sink: SinkKind; words?: string; method?: { name: string; argIndex: number | 'receiver'; argCount: number } }
  | { kind: 'unknown'; note: string };

/** Which function a printed call reaches, or that it reaches none the compiler could see. */
async function resolveCallee(at: At, packages: ReadonlyMap<string, PkgInfo>, load: (p: PkgInfo) => Promise<PackageOutput>): Promise<Callee> {
  const call = parseCall(at.call);
  if (!call) return { kind: 'unknown', note: `Could not read the call ${at.call}.` };
  const { qualifier, key, rest } = splitCallee(call.callee);
  const dynamic = (): Callee => {
    const dot = call.callee.lastIndexOf('.');
    const receiver = call.callee.slice(0, dot);
    const bare = (s: string): string => s.replace(/^[&*]+/, '');
    const isReceiver = bare(receiver) === at.value || bare(receiver) === bare(at.previous ?? '');
    const idx = isReceiver ? 'receiver' : argumentIndex(call.args, at.value, at.previous);
    return {
      kind: 'sink', sink: 'interface-call', words: `${SINKS['interface-call'].words}: ${at.call}`,
      method: idx === undefined ? undefined : { name: call.callee.slice(dot + 1), argIndex: idx, argCount: call.args.length },
    };
  };
  if (call.methodExpr) {
    const named = qualifier ? byName(at.pkg, qualifier, packages) : [at.pkg];
    if (named.length === 0) return { kind: 'unknown', note: `Could not tell which package ${qualifier} is in ${at.call}.` };
    const sink = packageSink(named[0].importPath);
    if (sink) return { kind: 'sink', sink, words: `${SINKS[sink].words}: ${at.call}` };
    for (const pkg of named) {
      const out = await load(pkg);
      if (out.decls.has(key)) return { kind: 'static', pkg, key, receiverFirst: true, out };
    }
    return { kind: 'static', pkg: named[0], key, receiverFirst: true, out: await load(named[0]) };
  }
  if (!qualifier) {
    const b = builtinSink(key);
    if (b) return { kind: 'sink', sink: b, words: `${SINKS[b].words}: ${at.call}` };
    if (key === 'append') return { kind: 'sink', sink: 'append', words: `${SINKS.append.words}: ${at.call}` };
    const out = await load(at.pkg);
    if (out.decls.has(key)) return { kind: 'static', pkg: at.pkg, key, receiverFirst: false, out };
    return { kind: 'sink', sink: 'func-value-call', words: `${SINKS['func-value-call'].words}: ${at.call}` };
  }
  const named = byName(at.pkg, qualifier, packages);
  if (named.length > 0) {
    const sink = packageSink(named[0].importPath);
    if (sink) return { kind: 'sink', sink, words: `${SINKS[sink].words}: ${at.call}` };
    // Several packages may share a name (sync and internal/sync): the one that declares the function.
    for (const pkg of named) {
      const out = await load(pkg);
      if (out.decls.has(key)) return { kind: 'static', pkg, key, receiverFirst: rest.length > 1, out };
    }
    // No package declares it: a variable of inlined code (`strings.yield(…)`, a func value; `fmt.w.Write(…)`,
    // an interface) or a local that shadows a package name (`fs.Open(name)` with a parameter `fs`).
    if (rest.length === 1 && named.some((p) => p.importPath !== at.pkg.importPath) && !/^[\p{Lu}]/u.test(key)) {
      return { kind: 'sink', sink: 'func-value-call', words: `${SINKS['func-value-call'].words}: ${at.call}` };
    }
  }
  // `T.M(recv, …)`: a method expression of this package; otherwise `x.M(…)` through an interface value.
  const out = await load(at.pkg);
  if (out.decls.has(call.callee)) return { kind: 'static', pkg: at.pkg, key: call.callee, receiverFirst: true, out };
  return dynamic();
}

/**
 * The packages a qualifier may name, as seen from `from`: its imports, then any dependency of that name,
 * itself last — a package's output names its own functions unqualified, so `json.Unmarshal` inside
 * encoding/json is encoding/json/v2's.
 */
function byName(from: PkgInfo, name: string, packages: ReadonlyMap<string, PkgInfo>): PkgInfo[] {
  const out: PkgInfo[] = [];
  const add = (p: PkgInfo | undefined): void => { if (p && p.name === name && p !== from && !out.includes(p)) out.push(p); };
  for (const p of from.imports) add(packages.get(p));
  for (const p of packages.values()) add(p);
  if (from.name === name) out.push(from);
  return out;
}

/** One hop: the callee's leak record for the parameter that received the value, and where it leads. */
async function hopInto(at: At, pkg: PkgInfo, key: string, receiverFirst: boolean, out: PackageOutput):
  Promise<string | { hop: DeepHop; sink?: Sink; next?: At }> {
  const where = `${pkg.importPath}.${key}`;
  const decl = out.decls.get(key);
  if (!decl) return `${where} has no declaration in its package's output (no Go body, a generic or a wrapper): not followed.`;
  const file = out.resolve(decl.path);
  const text = out.text(file);
  const sig = text !== undefined ? signatureAt(text, decl.line, decl.col ?? 1) : undefined;
  if (!sig) return `Could not read the signature of ${where} in ${file}.`;
  const call = parseCall(at.call)!;
  const index = argumentIndex(call.args, at.value, at.previous);
  if (index === undefined) return `Could not tell which argument of ${at.call} carries ${at.value}.`;
  const param = paramForArgument(sig, index, receiverFirst);
  if (!param?.name) return `The parameter of ${where} that receives ${at.value} has no name: its output says nothing about it.`;
  const records = out.byPos.get(posKey({ path: decl.path, line: param.line, col: param.col })) ?? [];
  const blocks: RawExplanation[] = [];
  for (const r of records) for (const e of r.explanations) if (e.kind === 'leak' && !blocks.includes(e)) blocks.push(e);
  const heap = blocks.filter((b) => b.to === '{heap}');
  const want = Math.max(0, at.derefs);
  // A parameter stored into an allocation that itself escapes leaks to `{storage for &T{...}}`, not `{heap}`.
  // Or to a local that is itself moved to the heap (`parameter log leaks to clone`): same meaning.
  const storage = blocks.filter((b) => b.to.startsWith('{storage for ') || /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(b.to));
  const pick = (list: RawExplanation[]): RawExplanation | undefined =>
    list.find((b) => (b.derefs ?? 0) === want) ?? [...list].sort((a, b) => (a.derefs ?? 0) - (b.derefs ?? 0))[0];
  const block = pick(heap) ?? pick(storage);
  if (!block) {
    const said = records.find((r) => r.kind.startsWith('leaking') || r.kind === 'does-not-escape');
    if (said?.kind.startsWith('leaking') && said.explanations.length === 0) {
      return `${where} has no Go body (assembly or linkname): the compiler assumes it keeps ${param.name}.`;
    }
    return `${where}'s own output has no explanation of ${param.name} reaching the heap${said ? ` (it says: ${said.message})` : ''}.`;
  }
  const summary = records.find((r) => r.kind === 'leaking-param' || r.kind === 'leaking-param-content');
  const steps: DeepStep[] = [];
  for (const flow of block.flows) {
    for (const s of flow.steps) {
      const f = out.resolve(s.at.path);
      const step: DeepStep = { pkg: pkg.importPath, function: key, edge: `${flow.dst} ← ${flow.src}`, where: s.where, why: s.why, file: f, line: s.at.line };
      if (s.at.col !== undefined) step.column = s.at.col;
      if (f) step.range = out.pointRange(f, s.at.line, s.at.col);
      steps.push(step);
    }
  }
  const hop: DeepHop = {
    pkg: pkg.importPath, function: key, param: param.name,
    message: summary?.message ?? `parameter ${param.name} leaks to {heap} with derefs=${block.derefs ?? 0}`,
    derefs: block.derefs ?? 0, file, line: param.line, column: param.col, call: at.call, steps,
  };
  const mkSink = (kind: SinkKind, s: DeepStep): Sink => {
    const sink: Sink = {
      kind, text: `${SINKS[kind].words}: ${s.where}`, pkg: s.pkg, function: s.function, where: s.where, why: s.why, file: s.file, line: s.line,
    };
    if (s.column !== undefined) sink.column = s.column;
    return sink;
  };
  if (block.to !== '{heap}') {
    // The value is kept by the object it was stored in; that object's own finding says why it escapes.
    const s = steps[steps.length - 1];
    const into = block.to.startsWith('{storage for ') ? block.to.slice('{storage for '.length, -1) : block.to;
    const sink: Sink = {
      kind: 'stored', text: `${SINKS.stored.words}: stored in ${into}, which itself escapes`, pkg: pkg.importPath, function: key,
      where: s?.where ?? into, why: s?.why ?? '', file: s?.file ?? file, line: s?.line ?? param.line,
    };
    if (s?.column !== undefined) sink.column = s.column;
    return { hop, sink };
  }
  const inside = sinkInside(block);
  if (inside) {
    const i = steps.findIndex((x) => x.where === inside.step.where && x.line === inside.step.at.line && x.why === inside.step.why);
    // The walk ends where the value meets the sink: later steps are what reflect (or the channel…) does with it.
    if (i >= 0) steps.splice(i + 1);
    return { hop, sink: mkSink(inside.kind, steps[steps.length - 1]) };
  }
  const lastFlow = [...block.flows].reverse().find((fl) => fl.steps.length > 0);
  const lastRaw = lastFlow?.steps[lastFlow.steps.length - 1];
  const last = steps[steps.length - 1];
  if (!lastFlow || !lastRaw || !last) return { hop, sink: { kind: 'stored', text: SINKS.stored.words, pkg: pkg.importPath, function: key, where: '', why: '', file, line: param.line } };
  if (lastRaw.why !== 'call parameter') return { hop, sink: mkSink(terminalSink(lastRaw), last) };
  const edge = parseEdge(`${lastFlow.dst} ← ${lastFlow.src}`);
  const before = lastFlow.steps[lastFlow.steps.length - 2];
  return {
    hop,
    next: {
      pkg, call: lastRaw.where, value: edge.src, derefs: edge.derefs, previous: before?.where,
      file: last.file, line: last.line, column: last.column, function: key,
    },
  };
}

function sinkAt(kind: SinkKind, at: At, words?: string): Sink {
  const s: Sink = {
    kind, text: words ?? SINKS[kind].words, pkg: at.pkg.importPath, function: at.function, where: at.call, why: 'call parameter',
    file: at.file, line: at.line,
  };
  if (at.column !== undefined) s.column = at.column;
  return s;
}
