// The path a value took, in the user's words: the compiler's temporaries (`spill`, `~r0 = ~r0`, the
// `fmt.a := ... argument` of an inlined callee's parameters) are left out, and steps that happened in a
// callee's body inlined at a call are named after that call ("inside `Keep`, inlined here").
import * as path from 'node:path';
import type { Finding, Range } from '../model';
import type { CodeContext } from './codeContext';

export interface PathStep {
  text: string;
  file: string;
  line: number;
  column?: number;
  range?: Range;
}

const WHY: Record<string, string> = {
  'assign': 'assigned',
  'assign-pair': 'assigned',
  'return': 'returned',
  'call parameter': 'passed to the call',
  'interface-converted': 'converted to an interface',
  'struct literal element': 'stored in a struct literal',
  'slice-literal-element': 'element of a slice literal',
  'array-literal-element': 'element of an array literal',
  'map literal key': 'key of a map literal',
  'map literal value': 'value of a map literal',
  'address-of': 'address taken',
  'captured by a closure': 'captured by a closure',
  'star-dereference': 'dereferenced',
  'star-dot-equals': 'stored through a pointer',
  'dot-equals': 'stored in a field',
  'key of map put': 'stored in a map',
  'value of map put': 'stored in a map',
  'send': 'sent on a channel',
  'appended to slice': 'appended',
  'appendee slice': 'appended to',
  'copied slice': 'copied',
  'call to go': 'run by a goroutine',
  'go func': 'run by a goroutine',
  'closure-call': 'called',
  'range': 'ranged over',
  'range-deref': 'ranged over',
  'defer func': 'deferred',
  'defer func arg': 'deferred',
  'conversion': 'converted',
  'slice': 'sliced',
  'dot': 'field',
};

const FIRST_NAME = /[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*/u;

/** `s` as Markdown inline code, on one line. */
export function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\s+/g, ' ')}${ticks}`;
}

export function userPath(f: Finding, ctx: CodeContext): PathStep[] {
  // Steps the compiler printed at one position (an inlined callee's parameter binding, then its call) are
  // one step for the user: the first says it.
  const out: PathStep[] = [];
  const push = (st: PathStep) => {
    const last = out[out.length - 1];
    if (last && last.file === st.file && last.line === st.line && last.column === st.column) return;
    out.push(st);
  };
  let lastInlined = '';
  for (const st of f.flow) {
    if (st.why === 'spill') continue;
    // The compiler's result temporaries: `~r0 = ~r0`, `~r0 = &T{...}` say nothing the next step does not.
    if (/~[rR]\d/.test(st.where) && st.why !== 'return') continue;
    const where = st.where.replace(/~[rR]\d+/g, 'result');
    const base = { file: st.file, line: st.line, ...(st.column !== undefined ? { column: st.column } : {}), ...(st.range ? { range: st.range } : {}) };
    const inlined = st.why === 'call parameter' && ctx.callAt(st.file, st.line, st.column) ? undefined : inlinedAt(st, f.file, ctx);
    if (inlined !== undefined) {
      const key = `${st.file}:${st.line}:${inlined}`;
      if (key === lastInlined) continue;
      lastInlined = key;
      push({ ...base, text: inlined });
      continue;
    }
    lastInlined = '';
    if (where === '... argument' && st.why === 'slice-literal-element') {
      const call = ctx.callAt(st.file, st.line, st.column);
      push({ ...base, text: `passed in the variadic arguments of ${call ? code(call.callee) : 'the call'}` });
      continue;
    }
    if (where === '... argument') continue;
    if (st.why === 'call parameter') {
      // The compiler prints the call as it rewrote it (`(*Writer).Write(w, buf)`, an inlined callee's own
      // call): the user wrote the call at that position.
      const call = ctx.callAt(st.file, st.line, st.column);
      if (call) { push({ ...base, text: `passed to ${code(call.callee)}` }); continue; }
    }
    push({ ...base, text: `${code(where)} — ${WHY[st.why] ?? st.why}` });
  }
  return out;
}

/** When a step's code is not in the user's source at its line, it is a callee's body inlined there. */
function inlinedAt(st: Finding['flow'][number], file: string, ctx: CodeContext): string | undefined {
  if (!st.file) return undefined;
  if (st.file !== file && !ctx.lineText(st.file, st.line - 1)) return `inside the callee (${path.basename(st.file)}:${st.line})`;
  const text = ctx.lineText(st.file, st.line - 1);
  if (text === undefined) return undefined;
  const name = FIRST_NAME.exec(st.where)?.[0];
  if (!name || st.where.startsWith('... argument') || mentions(text, name)) return undefined;
  const call = ctx.callAt(st.file, st.line, st.column);
  return call ? `inside ${code(call.callee)}, inlined here` : 'inside a callee inlined here';
}

/** `name` as a whole word of `text` (`p` is not in `Keep(&x)`). */
function mentions(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i !== -1; i = text.indexOf(name, i + 1)) {
    const before = text.charAt(i - 1);
    const after = text.charAt(i + name.length);
    if (!/[\p{L}\p{N}_.]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
  }
  return false;
}
