// Every summary message template the compiler prints at -m/-m=2 (Go 1.19 to 1.26), in the order they
// must be tried: more specific templates first (`leaking param: p to result` before `leaking param: p`).
import type { FindingKind } from '../model';

export interface TemplateMatch {
  kind: FindingKind;
  subject: string;
  detail?: Record<string, string | number | boolean>;
}

interface Template {
  re: RegExp;
  build(m: RegExpExecArray): TemplateMatch;
  /**
   * A test every text `re` matches passes (a fixed prefix, suffix or word of the template): most lines
   * of a big output are rejected by it without running `re`.
   */
  may(text: string): boolean;
}

const T = (re: RegExp, build: (m: RegExpExecArray) => TemplateMatch, may: (text: string) => boolean): Template => ({ re, build, may });
const prefix = (p: string) => (t: string) => t.startsWith(p);
const suffix = (p: string) => (t: string) => t.endsWith(p);
const word = (p: string) => (t: string) => t.includes(p);

export const TEMPLATES: readonly Template[] = [
  T(/^moved to heap: (.+)$/, (m) => ({ kind: 'moved-to-heap', subject: m[1] }), prefix('moved to heap: ')),
  T(/^(.+) escapes to heap$/, (m) => ({ kind: 'escapes', subject: m[1] }), suffix(' escapes to heap')),
  T(/^leaking param content: (.+)$/, (m) => ({ kind: 'leaking-param-content', subject: m[1] }), prefix('leaking param content: ')),
  T(/^leaking param: (.+) to result (.+) level=(-?\d+)$/, (m) => ({
    kind: 'leaking-param-result', subject: m[1], detail: { result: m[2], level: Number(m[3]) },
  }), prefix('leaking param: ')),
  T(/^leaking param: (.+)$/, (m) => ({ kind: 'leaking-param', subject: m[1] }), prefix('leaking param: ')),
  // `, mutate, or call` is printed with -d=escapemutationscalls.
  T(/^(.+) does not escape(?:, mutate, or call)?$/, (m) => ({ kind: 'does-not-escape', subject: m[1] }), word(' does not escape')),
  T(/^assuming (.+) is unsafe uintptr$/, (m) => ({ kind: 'uintptr', subject: m[1], detail: { how: 'assumed' } }), prefix('assuming ')),
  T(/^marking (.+) as escaping (\.\.\.)?uintptr$/, (m) => ({
    kind: 'uintptr', subject: m[1], detail: { how: m[2] ? 'escaping ...uintptr' : 'escaping uintptr' },
  }), prefix('marking ')),
  T(/^(.+) capturing by (ref|value): (.+) \(addr=(\w+) assign=(\w+) width=(\d+)\)$/, (m) => ({
    kind: 'capture', subject: m[3],
    detail: { function: m[1], by: m[2], addr: m[4] === 'true', assign: m[5] === 'true', width: Number(m[6]) },
  }), word(' capturing by ')),
  T(/^(.+) ignoring self-assignment in (.+)$/, (m) => ({ kind: 'self-assignment', subject: m[2], detail: { function: m[1] } }), word(' ignoring self-assignment in ')),
  T(/^zero-copy string->\[\]byte conversion$/, () => ({ kind: 'zero-copy', subject: 'string->[]byte' }), prefix('zero-copy ')),
  // Go 1.27 names shape instantiations with spaces and braces: `slices.SortFunc[go.shape.struct { A int }]`.
  T(/^can inline (.+?)(?: with cost (\d+) as: .*)?$/, (m) => ({
    kind: 'can-inline', subject: m[1], detail: m[2] ? { cost: Number(m[2]) } : undefined,
  }), prefix('can inline ')),
  T(/^cannot inline (.+?): (.*)$/, (m) => ({ kind: 'cannot-inline', subject: m[1], detail: { reason: m[2] } }), prefix('cannot inline ')),
  T(/^inlining call to (.+)$/, (m) => ({ kind: 'inlining-call', subject: m[1] }), prefix('inlining call to ')),
  T(/^(?:PGO )?(?:partially )?devirtualizing (.+?) to (.+)$/, (m) => ({ kind: 'devirtualized', subject: m[1], detail: { to: m[2] } }), word('devirtualizing ')),
  T(/^(?:index|slice) bounds check elided$/, () => ({ kind: 'bounds-check', subject: '' }), suffix(' bounds check elided')),
  // Debug-flag output of the escape pass (-d=escapemutationscalls, escapealias, escapedebug): known, not escapes.
  T(/^(mutates|calls) param: (.+) derefs=(-?\d+)$/, (m) => ({ kind: 'other', subject: m[2], detail: { debug: m[1] } }), word(' param: ')),
  T(/^alias analysis: (.*)$/, (m) => ({ kind: 'other', subject: '', detail: { debug: 'alias', text: m[1] } }), prefix('alias analysis: ')),
  T(/^rewriting OCONVIFACE value from (.+?) \(.*$/, (m) => ({ kind: 'other', subject: m[1], detail: { debug: 'iface-data' } }), prefix('rewriting OCONVIFACE value from ')),
];

export function matchTemplate(text: string): TemplateMatch | undefined {
  for (const t of TEMPLATES) {
    if (!t.may(text)) continue;
    const m = t.re.exec(text);
    if (m) return t.build(m);
  }
  return undefined;
}
