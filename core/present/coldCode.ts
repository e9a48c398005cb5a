// Cold code: the rules that draw an allocation as a hint rather than a squiggle (rules.ts, in the order asked here):
// code that runs rarely (generated, tests and benchmark setup, init, lazy initialisation and pool misses,
// panics, errors, logging) or allocates only sometimes or by purpose (an append into a buffer that is
// reused, supplied by the caller or made with its capacity; a constructor returning what it builds).
import type { Finding } from '../model';
import type { CodeContext } from './codeContext';
import { ERROR_CONSTRUCTORS, LOG_METHODS, LOG_PACKAGES, type PresentSettings } from './rules';

const NOT_LOG_PACKAGES = new Set(['fmt', 'errors', 'strings', 'bytes', 'strconv', 'os', 'io', 'http', 'json']);
const LOG_METHOD_SET = new Set(LOG_METHODS);
const LOG_PACKAGE_SET = new Set(LOG_PACKAGES);
const ERROR_SET = new Set(ERROR_CONSTRUCTORS);
/** `ErrNotFound(…)`, `newParseError(…)`, `wrapErrorf(…)`: the package's own error constructors. */
const ERROR_CALL = /^(Err|err)[A-Z_\d]|^(New|new)\w*Err(or)?$|Errorf$/;
/** `New`, `NewWriter`, `newConn`, `Clone`, `clone`, `copyHeader`, `CopyN`: functions whose purpose is to build what they return. */
const CONSTRUCTOR = /^(New|new)([A-Z_\d]|$)|^(Clone|clone|Copy|copy|Dup|dup)([A-Z_\d]|$)/;
/** A functional option's constructor returns an `Option` (`func WithHook(…) Option { return optionFunc(func…) }`). */
const OPTION = /^\*?[\p{L}\p{N}_.]*Opt(ion)?s?$/u;
/**
 * Setup, registration and lifecycle: `Register`, `MustRegister`, `Subscribe`, `Connect`, `Configure`,
 * `Setup`, `Init…`/`init…`, `Install`, `Build`/`build…`, `Run…`, a router's `Use`/`Handle…`/`Mount`, `Load…`:
 * called once per registration or per process.
 */
const SETUP = /^(Must|must)?(Register|register|Unregister|unregister|Subscribe|subscribe|Connect|connect|Configure|configure|Setup|setup|Init|init|Install|install|Build|build|Run|Use|Handle|HandleFunc|Mount|Load)([A-Z_\d]|$)/;
/** An unqualified logging helper of the package: `debugPrint(…)`, `logf(…)`, `tracef(…)`. */
const LOG_HELPER = /^(debug|log|trace|warn)(f|ln|Print\w*|Log\w*|Msg\w*)?$/i;
/** The type of a composite literal subject: `&ParseError{…}` → `ParseError`. */
const LITERAL_TYPE = /^&?(?:[\p{L}_][\p{L}\p{N}_]*\.)?([\p{L}_][\p{L}\p{N}_]*)(?:\[[^\]]*\])?\{/u;

/** The first cold rule that applies to an allocating finding, if any. */
export function coldRule(f: Finding, s: PresentSettings, ctx: CodeContext): string | undefined {
  if (!s.showInGeneratedFiles && ctx.isGenerated(f.file)) return 'cold-generated';
  const shape = ctx.shape(f.file, f.range);
  if (f.cause === 'escaping-closure' && shape.capturesNothing) return 'captures-nothing';
  if (s.cold.tests && shape.testSetup) return 'cold-test';
  if (s.cold.init && (f.function === 'init' || /^init\.func/.test(f.function ?? '') || ctx.atPackageLevel(f.file, f.range))) return 'cold-init';
  if (s.cold.lazyInit && (shape.poolOrOnce || shape.lazyInit)) return 'cold-lazy';
  const calls = ctx.callsAround(f.file, f.range);
  if (s.cold.panic && calls.some((c) => !c.isCall && c.callee === 'panic')) return 'cold-panic';
  if (s.cold.errors && (shape.errBranch || (shape.declName === 'Error' && shape.declResult === 'string') || isErrorValue(f, ctx) || ERROR_SET.has(f.inlinedFrom ?? '')
    || calls.some((c) => ERROR_SET.has(c.callee) || ERROR_CALL.test(c.callee.slice(c.callee.lastIndexOf('.') + 1))))) return 'cold-error';
  // A logging call's own `...` slice is part of the log line, as its operands are.
  const logArgs = f.subject === '... argument';
  if (s.cold.logging && calls.some((c) => (!c.isCall || logArgs) && (isLogCall(c.callee) || LOG_HELPER.test(c.callee)))) return 'cold-logging';
  if (s.cold.appends && shape.append && f.allocatesIf === 'slice-grows') return 'conditional-append';
  // A function that returns a closure it builds (a middleware, an option, an encoder) constructs it.
  const returnsClosure = f.cause === 'escaping-closure' && shape.returnedLiteral;
  if (s.cold.constructors && (returnsClosure || CONSTRUCTOR.test(shape.declName ?? '') || OPTION.test(shape.declResult ?? ''))) return 'constructor';
  if (s.cold.setup && SETUP.test(shape.declName ?? '')) return 'cold-setup';
  return undefined;
}

/** A composite literal of an error type: a name ending in Error/Err, or a type of the package with an `Error() string` method. */
function isErrorValue(f: Finding, ctx: CodeContext): boolean {
  const type = LITERAL_TYPE.exec(f.subject)?.[1];
  if (!type) return false;
  return /(Error|Err)$/.test(type) || ctx.errorTypes(f.file).has(type);
}

export function isLogCall(callee: string): boolean {
  const parts = callee.split('.');
  if (parts.length < 2) return false;
  if (LOG_PACKAGE_SET.has(parts[0])) return true;
  return !NOT_LOG_PACKAGES.has(parts[0]) && LOG_METHOD_SET.has(parts[parts.length - 1]);
}
