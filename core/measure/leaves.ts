// Benchmark names as go test prints and matches them. A benchmark that calls b.Run has no figures of its
// own: its leaves do (`BenchmarkX/size=10`, nested `BenchmarkX/a/b`), each run alone through a -bench
// pattern of one quoted regular expression per level, since go test matches a pattern level by level.

/** `BenchmarkX/size=10` → `^BenchmarkX$/^size=10$`. */
export function leafPattern(name: string): string {
  return name.split('/').map((e) => `^${quoteMeta(e)}$`).join('/');
}

/** For go's regexp (RE2): the same characters regexp.QuoteMeta escapes. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The top-level benchmark of a name or pattern, and the rest of its levels: `BenchmarkX/size=10` →
 * `BenchmarkX` and `size=10`. Only the first level is what `-test.list` can list.
 */
export function splitPattern(pattern: string): { top: string; rest?: string } {
  const slash = topLevelSlash(pattern);
  return slash < 0 ? { top: pattern } : { top: pattern.slice(0, slash), rest: pattern.slice(slash + 1) };
}

// The first '/' outside brackets and escapes, as go test's splitRegexp finds it.
function topLevelSlash(p: string): number {
  let brackets = 0;
  let parens = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') brackets++;
    else if (c === ']' && brackets > 0) brackets--;
    else if (c === '(' && brackets === 0) parens++;
    else if (c === ')' && brackets === 0 && parens > 0) parens--;
    else if (c === '/' && brackets === 0 && parens === 0) return i;
  }
  return -1;
}

/** `--- FAIL: BenchmarkX/bad` and `--- SKIP: …` lines: the leaves that ran and gave no figures, with why. */
export function failedBenchmarks(output: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = output.split('\n');
  lines.forEach((l, i) => {
    const m = /^\s*--- (FAIL|SKIP): (Benchmark\S*)/.exec(l);
    if (!m) return;
    const detail = lines.slice(i + 1).find((d) => /\S/.test(d))?.trim() ?? '';
    out.set(m[2].replace(/-\d+$/, ''), `${m[1] === 'FAIL' ? 'failed' : 'skipped'}${detail ? `: ${detail}` : ''}`);
  });
  return out;
}
