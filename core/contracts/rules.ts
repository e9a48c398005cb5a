// The contract rules as reports and documents name them: id, title, what it checks, what to do. SARIF
// rules, diagnostic codes and docs/contracts.md's table read this one list.

export interface ContractRuleInfo { id: string; title: string; explanation: string; help: string }

const R = (id: string, title: string, explanation: string, help: string): ContractRuleInfo => ({ id, title, explanation, help });

export const CONTRACT_RULES: readonly ContractRuleInfo[] = [
  R('contract-noheap', 'allocation contract broken (//escape:noheap)',
    'A function, statement or variable marked //escape:noheap has an allocating heap escape: in its own code or in code inlined into it.',
    'Remove the allocation (the path shows how the value reaches the heap), allow its cause with allow=<cause>, or drop the directive if the promise no longer holds.'),
  R('gcassert-noescape', 'gcassert:noescape broken',
    'A value on a line marked //gcassert:noescape escapes to the heap (gcassert\'s check, on the same compiler output).',
    'Keep the value on the stack, or remove the directive.'),
  R('gcassert-inline', 'gcassert:inline broken',
    'A call marked //gcassert:inline (or a call of a function marked so) was not inlined.',
    'Make the callee cheap enough to inline (-gcflags=-m=2 prints its cost), or remove the directive.'),
  R('gcassert-bce', 'gcassert:bce broken',
    'A line marked //gcassert:bce still has a bounds check (the compiler\'s -d=ssa/check_bce/debug=1 output, added only for packages with such a directive).',
    'Prove the index in range earlier (for example _ = s[n-1] before a loop), or remove the directive.'),
  R('contract-directive', 'directive names nothing, is misplaced or unknown',
    'A contract directive that applies to nothing, sits where it cannot apply, or names an unknown cause or gcassert directive.',
    'Put //escape:noheap in a function\'s doc comment, above a statement or at the end of its line; use cause ids from the cause table.'),
];

export function contractAnchor(id: string): string {
  return `rule-${id}`;
}

/** The rule id a violation or problem is reported under. */
export function contractRuleId(rule: string): string {
  return rule === 'noheap' ? 'contract-noheap' : rule;
}
