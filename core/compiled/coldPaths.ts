// Which calls of a function lie on a cold path: from the call on, every way through the function's
// compiled code ends in a call that never returns (a panic, a throw) — never at a return, a tail call,
// a jump table or round a loop that avoids the panic. The criterion reads the disassembly only (branches,
// jumps, returns, calls). Its soundness rests on the never-returning set below: it is the set of runtime
// functions the compiler itself ends a block with (ssagen: BlockExit after the call, or bounds, divide,
// shift and type-assertion panics), plus the runtime's throw and fatal error paths; a user function that
// always panics is not in it, so a call to it counts as returning (hot).
import type { Where } from '../model/allocations';

/** A call in a function's compiled code. `target` is the called symbol; undefined for an indirect call. */
export interface CallSite {
  target?: string;
  at: Where;
  /** Every way on from the call ends in a panic (or another call that never returns): a cold path. */
  cold: boolean;
}

/** The instruction kinds the cold-path reading distinguishes; everything else just falls through. */
export interface Instruction {
  addr: number;
  at: Where;
  kind: 'call' | 'callind' | 'jump' | 'branch' | 'ret' | 'other';
  /** Static call or tail-call target. */
  target?: string;
  /** Branch or jump destination inside the function; undefined for an indirect jump (a jump table). */
  to?: number;
}

const NEVER_RETURNS = new Set([
  'gopanic', 'panicwrap', 'block', 'throw', 'throwinit', 'fatal', 'fatalthrow', 'fatalpanic',
  'panicmakeslicelen', 'panicmakeslicecap', 'panicunsafeslicelen', 'panicunsafeslicelen1',
  'panicunsafeslicenilptr', 'panicunsafeslicenilptr1', 'panicunsafestringlen', 'panicunsafestringnilptr',
  'panicrangestate', 'panicdivide', 'panicshift', 'panicoverflow', 'panicfloat', 'panicmem', 'panicmemAddr',
  'panicdottypeE', 'panicdottypeI', 'panicnildottype', 'panicSimdImm',
]);

/** Bounds-check panics: panicBounds, panicIndex, panicSlice…, panicExtend…, and their goPanic… bodies. */
const BOUNDS_PANIC = /^(?:go)?[pP]anic(?:Bounds|Index|Slice|Extend)\w*$/;

export function neverReturns(symbol: string): boolean {
  if (!symbol.startsWith('runtime.')) return false;
  const name = symbol.slice('runtime.'.length);
  return NEVER_RETURNS.has(name) || BOUNDS_PANIC.test(name);
}

/** The calls of one function's instructions, each marked cold or not. */
export function coldCalls(body: readonly Instruction[]): CallSite[] {
  const index = new Map<number, number>();
  body.forEach((ins, i) => index.set(ins.addr, i));
  // "Must end in a panic": the least set holding the never-returning calls and every instruction all of
  // whose successors are in it. A return, a tail call or a jump table has no successor here and is never
  // in it; neither is a loop with a way round that avoids the panic (an endless worker loop stays hot).
  const preds: number[][] = body.map(() => []);
  const left = new Int32Array(body.length);
  const cold = new Uint8Array(body.length);
  const stack: number[] = [];
  body.forEach((ins, i) => {
    const succ: number[] = [];
    const to = (j: number | undefined): void => { if (j !== undefined && j >= 0 && j < body.length) succ.push(j); };
    switch (ins.kind) {
      case 'ret': break;
      case 'jump': if (ins.target === undefined && ins.to !== undefined) to(ins.to === -1 ? 0 : index.get(ins.to)); break;
      case 'branch': to(index.get(ins.to!)); to(i + 1); break;
      case 'call': if (!neverReturns(ins.target!)) to(i + 1); else { cold[i] = 1; stack.push(i); } break;
      default: to(i + 1);
    }
    const exits = ins.kind === 'ret' || (ins.kind === 'jump' && succ.length === 0);
    left[i] = exits ? -1 : succ.length;
    for (const j of succ) preds[j].push(i);
  });
  while (stack.length) {
    for (const p of preds[stack.pop()!]) {
      if (!cold[p] && left[p] > 0 && --left[p] === 0) { cold[p] = 1; stack.push(p); }
    }
  }
  const out: CallSite[] = [];
  body.forEach((ins, i) => {
    if (ins.kind === 'call' || ins.kind === 'callind' || (ins.kind === 'jump' && ins.target !== undefined)) {
      out.push({ ...(ins.target !== undefined ? { target: ins.target } : {}), at: ins.at, cold: cold[i] === 1 });
    }
  });
  return out;
}
