// A Finding built by hand for unit tests of code that reads findings (policy, measure, present): every
// required field filled with a neutral value, the test overriding what it is about.
import type { Finding } from '../../core/model';

export function finding(over: Partial<Finding> = {}): Finding {
  const line = over.pos?.line ?? 1;
  return {
    file: '/m/a.go',
    range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 1 } },
    exact: true,
    kind: 'escapes',
    message: 'x escapes to heap',
    subject: 'x',
    cause: 'interface-conversion',
    tier: 'L2',
    allocates: true,
    flow: [],
    otherPaths: 0,
    pos: { path: './a.go', line, col: 1 },
    ...over,
  };
}
