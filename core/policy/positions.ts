// Where each rule of a policy file starts, so that a verdict can name the line that decided it. JSON.parse
// keeps no positions; this scanner walks text JSON.parse has already accepted, so it need not report errors.

export interface PolicyPositions {
  /** The 1-based line of each element of the top-level "rules" array, in order. */
  rules: number[];
  /** The 1-based line of the top-level "default" key, when there is one. */
  default?: number;
}

export function policyPositions(text: string): PolicyPositions {
  const out: PolicyPositions = { rules: [] };
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const lineAt = (offset: number): number => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  };
  const space = () => { while (i < text.length && /\s|\uFEFF/.test(text[i])) i++; };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  /** One value; `key` is its name when it is a member of the top-level object. */
  const value = (depth: number, key?: string): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++; space();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        space();
        const at = i;
        const k = string();
        space(); i++; // ':'
        if (depth === 0 && k === 'rules') out.rules = []; // a repeated key: JSON.parse keeps the last
        if (depth === 0 && k === 'default') out.default = lineAt(at);
        value(depth + 1, depth === 0 ? k : undefined);
        space();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++; space();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        space();
        if (depth === 1 && key === 'rules') out.rules.push(lineAt(i));
        value(depth + 1);
        space();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') { string(); return; }
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
  };
  value(0);
  return out;
}
