// Allocation contracts: what a directive promises, and how a contract was broken. Pure types.
import type { FlowStep, Range } from './positions';

/**
 * Rule ids: one per kind of promise (SARIF rules, diagnostic codes, docs/contracts.md's table).
 * - `noheap`: `//escape:noheap` on a function, a line or a variable: no allocating heap escape there;
 * - `gcassert-noescape`, `gcassert-inline`, `gcassert-bce`: gcassert's directives, checked as gcassert does;
 * - `contract-directive`: a directive that names nothing, is misplaced or has an unknown argument (a warning).
 */
export type ContractRule = 'noheap' | 'gcassert-noescape' | 'gcassert-inline' | 'gcassert-bce' | 'contract-directive';

export interface Directive {
  rule: Exclude<ContractRule, 'contract-directive'>;
  /** What the directive applies to. `callsites`: gcassert:inline on a function (every call of it must inline). */
  scope: 'function' | 'line' | 'variable' | 'callsites';
  file: string;
  /** The directive's own text in its comment. */
  range: Range;
  /** The comment as written, e.g. `//escape:noheap allow=interface-conversion`. */
  text: string;
  /** 0-based lines the directive covers (a statement's lines; the function's for `function`). */
  lines: { first: number; last: number };
  /** The function, for function and callsite scopes; the variable for variable scope. */
  target?: string;
  /** UTF-16 offsets of the function's span (func keyword to closing brace), function scope. */
  span?: { start: number; end: number };
  /** Causes the contract allows (`allow=`). */
  allow?: string[];
  /** `//escape:noheap dynamic=`: interface-method and func-value calls break it, warn, or pass (default). */
  dynamic?: 'fail' | 'warn' | 'ignore';
  /** `//escape:noheap panics=`: allocations on panic paths count too (`include`), or not (default). */
  panics?: 'include' | 'exclude';
}

export interface Violation {
  rule: Exclude<ContractRule, 'contract-directive'>;
  file: string;
  /** The violating site: the escape's exact range, the call not inlined, the bounds check. */
  range: Range;
  /** One line: what was promised and what broke it. */
  message: string;
  directive: Pick<Directive, 'file' | 'range' | 'text' | 'scope' | 'target'>;
  /** The escape that broke it, when it is one: cause, tier and the compiler's words. */
  finding?: { message: string; cause: string; tier: string | null; function?: string };
  /** The path the value took to the heap. */
  path: FlowStep[];
}

export interface DirectiveProblem {
  rule: 'contract-directive';
  file: string;
  range: Range;
  message: string;
  /** 0-based line of the code the directive is attached to, when it is attached to any. */
  appliesTo?: number;
}

export interface ContractReport {
  directives: Directive[];
  violations: Violation[];
  problems: DirectiveProblem[];
}
