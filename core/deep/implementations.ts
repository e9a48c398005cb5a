// When a path ends at a method called through an interface, the compiler cannot know the callee. We list
// the methods of that name and arity declared in the user's module (every function has an inliner line at
// -m=2, so the module's own output names them all) and what each one's own escape summary does with the
// parameter that would receive the value. Matching is by name and parameter count; where the package of
// the call type-checks, go/types says which of those types implement the interface (typedImplementers),
// and only they are listed. Each entry is still only *possible*: the value may hold any of them.
import * as path from 'node:path';
import { posKey } from '../parse/lines';
import { implementations, typedFacts } from '../typed/packageTypes';
import type { DeepCache, RunCounter } from './cache';
import type { PossibleImplementation } from '../model/deep';
import type { GoQuery } from './packages';
import { signatureAt } from './signature';

export interface MethodCall {
  name: string;
  /** Which parameter receives the value: an argument index or the receiver. */
  argIndex: number | 'receiver';
  argCount: number;
}

const METHOD = /^(?:\((\*?)([\p{L}_][\p{L}\p{N}_]*)(?:\[[^\]]*\])?\)|([\p{L}_][\p{L}\p{N}_]*))\.([\p{L}_][\p{L}\p{N}_]*)$/u;

/**
 * The named types (`pkg/path.T`) that implement the interface whose method is called at a compiler
 * position in the package in `dir`, by the type checker; undefined when it cannot tell (the package does
 * not type-check there, a go command failed): then every method of that name and arity stays possible.
 */
export interface Implementers {
  /** `pkg/path.T` of every type that implements the interface. */
  types: ReadonlySet<string>;
  /** The packages the type checker searched: of any other package it knows nothing. */
  searched: ReadonlySet<string>;
}

export async function typedImplementers(q: GoQuery, dir: string, file: string, line: number, column: number | undefined): Promise<Implementers | undefined> {
  if (column === undefined) return undefined;
  try {
    const opts = { toolchain: { goCommand: q.goCommand, env: q.env }, buildFlags: q.buildFlags, signal: q.signal, timeoutMs: q.timeoutMs };
    const facts = await typedFacts(dir, opts);
    const abs = path.resolve(dir, file);
    const at = facts.offsetOf(abs, line, column);
    if (at === undefined || facts.callAt(abs, at)?.kind !== 'interface') return undefined;
    const found = await implementations(facts, { file: abs, at }, opts);
    return { types: new Set(found.types.map((t) => t.type)), searched: new Set(found.packages) };
  } catch {
    return undefined;
  }
}

export async function findImplementations(
  q: GoQuery, cache: DeepCache, modulePath: string, call: MethodCall, counter: RunCounter, max: number,
  implementers?: Implementers,
): Promise<PossibleImplementation[]> {
  const out = await cache.moduleOutput(q, modulePath, counter);
  if (!out) return [];
  const found: PossibleImplementation[] = [];
  const seen = new Set<string>();
  for (const r of out.records) {
    if (r.kind !== 'can-inline' && r.kind !== 'cannot-inline') continue;
    const m = METHOD.exec(r.subject);
    if (!m || m[4] !== call.name) continue;
    const info = out.pkgOf(r);
    // Generic types are not asked about (go/types checks instantiations, not the generic type), nor a
    // package the call's package does not reach (a caller's own type): they stay possible.
    if (implementers && !r.subject.includes('[') && implementers.searched.has(info.importPath)
      && !implementers.types.has(`${info.importPath}.${m[2] ?? m[3]}`)) continue;
    const key = `${info.importPath}\0${r.subject}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const file = out.resolve(r.pos.path, info);
    const text = out.text(file);
    const sig = text !== undefined ? signatureAt(text, r.pos.line, r.pos.col ?? 1) : undefined;
    if (!sig?.receiver) continue;
    const n = sig.params.length;
    if (!(n === call.argCount || (sig.variadic && call.argCount >= n - 1))) continue;
    const param = call.argIndex === 'receiver' ? sig.receiver : sig.params[Math.min(call.argIndex, n - 1)];
    const impl: PossibleImplementation = {
      pkg: info.importPath, method: r.subject, file, line: r.pos.line, verdict: 'unknown',
    };
    if (r.pos.col !== undefined) impl.column = r.pos.col;
    if (param?.name) {
      impl.param = param.name;
      const recs = out.byPos.get(posKey({ path: r.pos.path, line: param.line, col: param.col })) ?? [];
      const summary = recs.find((x) => x.kind === 'leaking-param') ?? recs.find((x) => x.kind === 'leaking-param-content')
        ?? recs.find((x) => x.kind === 'leaking-param-result') ?? recs.find((x) => x.kind === 'does-not-escape');
      if (summary) {
        impl.message = summary.message;
        impl.verdict = summary.kind === 'leaking-param' ? 'leaks' : summary.kind === 'leaking-param-content' ? 'leaks-content'
          : summary.kind === 'leaking-param-result' ? 'to-result' : 'does-not-escape';
        const block = summary.explanations.find((e) => e.kind === 'leak' && e.to === '{heap}');
        const flow = block?.flows[block.flows.length - 1];
        const step = flow?.steps[flow.steps.length - 1];
        if (step) impl.detail = `${step.where} (${step.why})`;
      }
    }
    found.push(impl);
    if (found.length >= max) break;
  }
  return found;
}
