// Heap allocations read from a package's compiled code (core/compiled), as the contract check reads
// them: each site with its chain of calls from the function under contract. Types and the verdict only.

/** A source position as objdump prints it: the file's base name (its full path in the function's own file). */
export interface Where { file: string; line: number }

export interface ChainStep { symbol: string; at: Where }

export interface AllocationSite {
  /**
   * `alloc`: a call to an allocating runtime entry; `dynamic`: an interface-method or func-value call;
   * `limit`: the walk stopped (calls nested deeper than it follows), so what lies beyond is not known.
   */
  kind: 'alloc' | 'dynamic' | 'limit';
  /** The allocating function called at the last step (undefined for a dynamic call). */
  callee?: string;
  why: string;
  /** Allocates only in some cases (a slice growing, a map gaining a key, a small value boxed for free). */
  may: boolean;
  /** On a path that ends in a panic (reported only when cold paths are included). */
  cold: boolean;
  /** From the function under contract to the call that allocates: each step a function and its call's position. */
  chain: ChainStep[];
}

export interface FunctionAllocations {
  /** As declared (`(*T).M`, type parameters dropped); generic instances share their function's entry. */
  name: string;
  /** The file it is declared in. */
  file: string;
  symbols: string[];
  sites: AllocationSite[];
}

export interface CompiledAllocations {
  importPath: string;
  functions: Map<string, FunctionAllocations>;
}

/** What an interface-method or func-value call means for a contract (checkescape's choice, made explicit). */
export type DynamicCalls = 'fail' | 'warn' | 'ignore';

/** The sites that break a contract, and those that only warn (dynamic calls under `warn`). */
export function verdict(sites: readonly AllocationSite[], dynamic: DynamicCalls): { breaks: AllocationSite[]; warns: AllocationSite[] } {
  const breaks: AllocationSite[] = [];
  const warns: AllocationSite[] = [];
  for (const s of sites) {
    if (s.kind !== 'dynamic' || dynamic === 'fail') breaks.push(s);
    else if (dynamic === 'warn') warns.push(s);
  }
  return { breaks, warns };
}
