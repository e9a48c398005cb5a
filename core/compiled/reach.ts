// The transitive walk: from a function's compiled calls to every allocation it can reach through static
// callees, across packages, each with its chain of calls. Two phases: `collect` disassembles what the
// roots reach, package by package in waves (one objdump per package and wave, only the symbols asked);
// `sitesOf` then walks the disassembled functions without I/O, memoised and cycle-safe.
import type { AllocationSite } from '../model/allocations';
import type { CallSite, CompiledFunction } from './objdump';
import { allocatingCall, isRuntimeLeaf } from './runtimeAllocs';

export interface WalkOptions {
  /** Follow calls on cold (panic-only) paths too. */
  includeCold: boolean;
  /** How deep the chain of calls may go, and how many sites one function's result keeps. */
  maxDepth: number;
  maxSites: number;
}

/** The disassembled functions the walk can see, and how to name a symbol's package. */
export interface CodeBase {
  functions: ReadonlyMap<string, CompiledFunction>;
  packageOf(symbol: string): string | undefined;
}

/** Static callees the walk follows (not runtime leaves, not the allocators themselves). */
export function followed(c: CallSite, packageOf: (s: string) => string | undefined): boolean {
  if (c.target === undefined || allocatingCall(c.target)) return false;
  const pkg = packageOf(c.target);
  return pkg === undefined || !isRuntimeLeaf(pkg);
}

interface Result { sites: AllocationSite[]; complete: boolean }

/** Every allocation `root` reaches. `memo` may be shared between roots of one code base. */
export function sitesOf(root: string, code: CodeBase, opts: WalkOptions, memo = new Map<string, AllocationSite[]>()): AllocationSite[] {
  const active = new Set<string>();
  const walk = (symbol: string, depth: number): Result => {
    const known = memo.get(symbol);
    if (known) return { sites: known, complete: true };
    const fn = code.functions.get(symbol);
    if (!fn) return { sites: [], complete: true };
    active.add(symbol);
    const sites: AllocationSite[] = [];
    const seen = new Set<string>();
    let complete = true;
    const add = (s: AllocationSite): void => {
      const last = s.chain[s.chain.length - 1];
      const key = `${s.kind}\0${s.callee ?? ''}\0${last.symbol}\0${last.at.file}:${last.at.line}\0${s.chain[0].at.line}`;
      if (sites.length < opts.maxSites && !seen.has(key)) { seen.add(key); sites.push(s); }
    };
    for (const c of fn.calls) {
      if (c.cold && !opts.includeCold) continue;
      const step = { symbol, at: c.at };
      if (c.target === undefined) {
        add({ kind: 'dynamic', why: 'calls through an interface method or a func value (its target is not known)', may: true, cold: c.cold, chain: [step] });
        continue;
      }
      const alloc = allocatingCall(c.target);
      if (alloc) {
        add({ kind: 'alloc', callee: c.target, why: alloc.why, may: alloc.may === true, cold: c.cold, chain: [step] });
        continue;
      }
      if (!followed(c, code.packageOf) || active.has(c.target)) { if (active.has(c.target)) complete = false; continue; }
      if (depth >= opts.maxDepth) {
        add({ kind: 'limit', callee: c.target, why: `calls nested deeper than ${opts.maxDepth} are not followed`, may: true, cold: c.cold, chain: [step] });
        complete = false;
        continue;
      }
      const sub = walk(c.target, depth + 1);
      complete &&= sub.complete;
      for (const s of sub.sites) add({ ...s, cold: s.cold || c.cold, chain: [step, ...s.chain] });
    }
    active.delete(symbol);
    // A result cut short by a cycle (an ancestor on the way) or by depth is right only for this walk.
    if (complete) memo.set(symbol, sites);
    return { sites, complete };
  };
  return walk(root, 0).sites;
}

