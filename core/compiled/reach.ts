// The transitive walk: from a function's compiled calls to every allocation it can reach through static
// callees, across packages, each with its chain of calls. Two phases: `collect` disassembles what the
// roots reach, package by package in waves (one objdump per package and wave, only the symbols asked);
// `sitesOf` then walks the disassembled functions without I/O, breadth first, each function once.
import type { AllocationSite, ChainStep } from '../model/allocations';
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

interface Reached { via?: { from: string; at: CallSite['at'] }; depth: number; cold: boolean }

/**
 * Every allocation `root` reaches, breadth first: each function is visited once (cycles cost nothing),
 * by its shortest chain of calls, hot paths before cold ones, so a site is cold only if no hot way leads to it.
 */
export function sitesOf(root: string, code: CodeBase, opts: WalkOptions): AllocationSite[] {
  const reached = new Map<string, Reached>([[root, { depth: 0, cold: false }]]);
  const order = new Set<string>();
  const visit = (cold: boolean): void => {
    const queue = [...reached.keys()];
    for (let i = 0; i < queue.length; i++) {
      const symbol = queue[i];
      const here = reached.get(symbol)!;
      order.add(symbol);
      if (here.depth >= opts.maxDepth) continue;
      for (const c of code.functions.get(symbol)?.calls ?? []) {
        if ((c.cold && !cold) || !followed(c, code.packageOf) || reached.has(c.target!)) continue;
        reached.set(c.target!, { via: { from: symbol, at: c.at }, depth: here.depth + 1, cold: here.cold || c.cold });
        queue.push(c.target!);
      }
    }
  };
  visit(false);
  if (opts.includeCold) visit(true);
  const chainTo = (symbol: string): ChainStep[] => {
    const steps: ChainStep[] = [];
    for (let r = reached.get(symbol)!; r.via; r = reached.get(r.via.from)!) steps.unshift({ symbol: r.via.from, at: r.via.at });
    return steps;
  };
  const sites: AllocationSite[] = [];
  for (const symbol of order) {
    const here = reached.get(symbol)!;
    for (const c of code.functions.get(symbol)?.calls ?? []) {
      if (sites.length >= opts.maxSites) return sites;
      if (c.cold && !opts.includeCold) continue;
      const cold = here.cold || c.cold;
      const step = { symbol, at: c.at };
      if (c.target === undefined) {
        sites.push({ kind: 'dynamic', why: 'calls through an interface method or a func value (its target is not known)', may: true, cold, chain: [...chainTo(symbol), step] });
        continue;
      }
      const alloc = allocatingCall(c.target);
      if (alloc) sites.push({ kind: 'alloc', callee: c.target, why: alloc.why, may: alloc.may === true, cold, chain: [...chainTo(symbol), step] });
      else if (here.depth >= opts.maxDepth && followed(c, code.packageOf)) {
        sites.push({ kind: 'limit', callee: c.target, why: `calls nested deeper than ${opts.maxDepth} are not followed`, may: true, cold, chain: [...chainTo(symbol), step] });
      }
    }
  }
  return sites;
}
