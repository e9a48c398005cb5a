// Which findings sit on a request path: inside (or in the signature of) a function that serves HTTP —
// a ServeHTTP method (http.Handler), or any function or func literal taking an http.ResponseWriter or an
// *http.Request. Read from the source text, so it also holds for code inlined into a handler.
import type { Finding } from '../model';
import { tokenize, type FuncSpan, type GoTokens } from '../contracts/goTokens';
import { offsetOf } from '../contracts/directives';

/** The name `net/http` is imported as in a file (usually `http`), or undefined when it is not imported. */
function httpName(text: string): string | undefined {
  const m = /(?:^|\n)\s*(?:import\s+)?(?:([\p{L}_][\p{L}\p{N}_]*)\s+)?"net\/http"/u.exec(text);
  if (!m) return undefined;
  return m[1] ?? 'http';
}

function serves(f: FuncSpan, http: string): boolean {
  if (f.simpleName === 'ServeHTTP' && !f.literal) return true;
  const p = f.params.replace(/\s+/g, ' ');
  return p.includes(`${http}.ResponseWriter`) || p.includes(`*${http}.Request`);
}

/** The findings of `file` that are on a request path. */
export function onRequestPath(text: string, findings: readonly Finding[]): Set<Finding> {
  const out = new Set<Finding>();
  const http = httpName(text);
  // ServeHTTP methods count even when the file does not import net/http itself.
  if (!http && !text.includes('ServeHTTP')) return out;
  const g: GoTokens = tokenize(text);
  const handlers = g.funcs.filter((f) => serves(f, http ?? 'http'));
  if (handlers.length === 0) return out;
  for (const f of findings) {
    const o = offsetOf(g, f.range.start);
    if (handlers.some((h) => h.start <= o && o < h.end)) out.add(f);
  }
  return out;
}
