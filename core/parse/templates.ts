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
}

const T = (re: RegExp, build: (m: RegExpExecArray) => TemplateMatch): Template => ({ re, build });

export const TEMPLATES: readonly Template[] = [
  T(/^moved to heap: (.+)$/, (m) => ({ kind: 'moved-to-heap', subject: m[1] })),
  T(/^(.+) escapes to heap$/, (m) => ({ kind: 'escapes', subject: m[1] })),
  T(/^leaking param content: (.+)$/, (m) => ({ kind: 'leaking-param-content', subject: m[1] })),
  T(/^leaking param: (.+) to result (.+) level=(-?\d+)$/, (m) => ({
    kind: 'leaking-param-result', subject: m[1], detail: { result: m[2], level: Number(m[3]) },
  })),
  T(/^leaking param: (.+)$/, (m) => ({ kind: 'leaking-param', subject: m[1] })),
  // `, mutate, or call` is printed with -d=escapemutationscalls.
  T(/^(.+) does not escape(?:, mutate, or call)?$/, (m) => ({ kind: 'does-not-escape', subject: m[1] })),
  T(/^assuming (.+) is unsafe uintptr$/, (m) => ({ kind: 'uintptr', subject: m[1], detail: { how: 'assumed' } })),
  T(/^marking (.+) as escaping (\.\.\.)?uintptr$/, (m) => ({
    kind: 'uintptr', subject: m[1], detail: { how: m[2] ? 'escaping ...uintptr' : 'escaping uintptr' },
  })),
  T(/^(.+) capturing by (ref|value): (.+) \(addr=(\w+) assign=(\w+) width=(\d+)\)$/, (m) => ({
    kind: 'capture', subject: m[3],
    detail: { function: m[1], by: m[2], addr: m[4] === 'true', assign: m[5] === 'true', width: Number(m[6]) },
  })),
  T(/^(.+) ignoring self-assignment in (.+)$/, (m) => ({ kind: 'self-assignment', subject: m[2], detail: { function: m[1] } })),
  T(/^zero-copy string->\[\]byte conversion$/, () => ({ kind: 'zero-copy', subject: 'string->[]byte' })),
  // Go 1.27 names shape instantiations with spaces and braces: `slices.SortFunc[go.shape.struct { A int }]`.
  T(/^can inline (.+?)(?: with cost (\d+) as: .*)?$/, (m) => ({
    kind: 'can-inline', subject: m[1], detail: m[2] ? { cost: Number(m[2]) } : undefined,
  })),
  T(/^cannot inline (.+?): (.*)$/, (m) => ({ kind: 'cannot-inline', subject: m[1], detail: { reason: m[2] } })),
  T(/^inlining call to (.+)$/, (m) => ({ kind: 'inlining-call', subject: m[1] })),
  T(/^(?:PGO )?(?:partially )?devirtualizing (.+?) to (.+)$/, (m) => ({ kind: 'devirtualized', subject: m[1], detail: { to: m[2] } })),
  T(/^(?:index|slice) bounds check elided$/, () => ({ kind: 'bounds-check', subject: '' })),
  // Debug-flag output of the escape pass (-d=escapemutationscalls, escapealias, escapedebug): known, not escapes.
  T(/^(mutates|calls) param: (.+) derefs=(-?\d+)$/, (m) => ({ kind: 'other', subject: m[2], detail: { debug: m[1] } })),
  T(/^alias analysis: (.*)$/, (m) => ({ kind: 'other', subject: '', detail: { debug: 'alias', text: m[1] } })),
  T(/^rewriting OCONVIFACE value from (.+?) \(.*$/, (m) => ({ kind: 'other', subject: m[1], detail: { debug: 'iface-data' } })),
];

export function matchTemplate(text: string): TemplateMatch | undefined {
  for (const t of TEMPLATES) {
    const m = t.re.exec(text);
    if (m) return t.build(m);
  }
  return undefined;
}
