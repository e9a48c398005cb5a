// Cold code: allocations on paths that run rarely (generated files, init, panics, error returns, logging),
// drawn as hints rather than squiggles (the `cold-*` rules of rules.ts).
import type { Finding } from '../model';
import type { CodeContext } from './codeContext';
import { ERROR_CONSTRUCTORS, LOG_METHODS, LOG_PACKAGES, type PresentSettings } from './rules';

const NOT_LOG_PACKAGES = new Set(['fmt', 'errors', 'strings', 'bytes', 'strconv', 'os', 'io', 'http', 'json']);
const LOG_METHOD_SET = new Set(LOG_METHODS);
const LOG_PACKAGE_SET = new Set(LOG_PACKAGES);
const ERROR_SET = new Set(ERROR_CONSTRUCTORS);

/** The first cold rule that applies to an allocating finding, if any. */
export function coldRule(f: Finding, s: PresentSettings, ctx: CodeContext): string | undefined {
  if (!s.showInGeneratedFiles && ctx.isGenerated(f.file)) return 'cold-generated';
  if (s.cold.init && (f.function === 'init' || /^init\.func/.test(f.function ?? '') || ctx.atPackageLevel(f.file, f.range))) return 'cold-init';
  const calls = ctx.callsAround(f.file, f.range);
  if (s.cold.panic && calls.some((c) => !c.isCall && c.callee === 'panic')) return 'cold-panic';
  if (s.cold.errors && (ERROR_SET.has(f.inlinedFrom ?? '') || calls.some((c) => ERROR_SET.has(c.callee))
    || (/^&?[\p{L}\p{N}_.]*Err(or)?[\p{L}\p{N}_]*\{/u.test(f.subject) && ctx.inReturn(f.file, f.range)))) return 'cold-error';
  if (s.cold.logging && calls.some((c) => !c.isCall && isLogCall(c.callee))) return 'cold-logging';
  return undefined;
}

function isLogCall(callee: string): boolean {
  const parts = callee.split('.');
  if (parts.length < 2) return false;
  if (LOG_PACKAGE_SET.has(parts[0])) return true;
  return !NOT_LOG_PACKAGES.has(parts[0]) && LOG_METHOD_SET.has(parts[parts.length - 1]);
}
