// The words of a parameter summary at its signature (an inlay hint after the parameter's name):
// where the parameter's value goes, from the cause the classifier gave it (tiers.md: "the cause names
// where the parameter's value goes").
import type { Finding } from '../model';

const WHERE: Record<string, string> = {
  'dynamic-call': 'to an interface call',
  'interface-conversion': 'into an interface',
  'stored-in-heap': 'stored',
  'address-stored': 'stored',
  'closure-capture': 'captured by a closure',
  'escaping-closure': 'captured by a closure',
  'goroutine': 'to a goroutine',
  'append': 'appended',
  'map-storage': 'into a map',
  'channel-send': 'sent on a channel',
  'reflection': 'to reflection',
  'unsafe-pointer': 'through unsafe',
  'call-argument': 'kept by a callee',
  'returned-value': 'returned',
  'returned-address': 'returned',
};

/** For the generic causes, the last step of the path says where the value went. */
const BY_STEP: Record<string, string> = {
  'interface-converted': 'into an interface',
  'assign': 'stored',
  'dot-equals': 'stored',
  'star-dot-equals': 'stored',
  'struct literal element': 'into a struct',
  'call parameter': 'to a call',
  'return': 'returned',
  'captured by a closure': 'captured by a closure',
  'appended to slice': 'appended',
  'send': 'sent on a channel',
  'key of map put': 'into a map',
  'value of map put': 'into a map',
};

/** `leaks (to an interface call)`, `content leaks (stored)`. */
export function signatureLabel(f: Pick<Finding, 'kind' | 'cause' | 'flow' | 'via'>): string {
  const what = f.kind === 'leaking-param-content' ? 'content leaks' : f.kind === 'uintptr' ? 'unsafe uintptr' : 'leaks';
  const step = [...f.flow].reverse().find((s) => BY_STEP[s.why]);
  const where = WHERE[f.via ?? ''] ?? WHERE[f.cause] ?? (step ? BY_STEP[step.why] : undefined);
  return where ? `${what} (${where})` : what;
}
