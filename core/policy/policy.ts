// The project's policy: one checked-in file (`.escapelens.json`) mapping tier / cause → ignore | log |
// warn | fail, optionally scoped by package pattern or context (a request path). The CLI's exit code and
// the editor's severities both come from it, so CI and the editor agree. Rules are read in order and the
// last one that matches a finding decides (put general rules first, escalations after them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Tier } from '../model';
import { HEAP_KINDS } from '../model';
import { CAUSES } from '../classify/causes';
import { readTextBounded } from '../platform';
import { policyPositions, type PolicyPositions } from './positions';

export const POLICY_FILE = '.escapelens.json';
export const ACTIONS = ['ignore', 'log', 'warn', 'fail'] as const;
export type Action = (typeof ACTIONS)[number];
export const CONTEXTS = ['request-path'] as const;
export type Context = (typeof CONTEXTS)[number];

export interface PolicyRule {
  tier?: Tier[];
  cause?: string[];
  /** Import-path patterns as the go command writes them (`example.com/m/api/...`). */
  packages?: string[];
  context?: Context;
  action: Action;
  /** The rule's line in its file (1-based), when read from one: the line a verdict names. */
  line?: number;
}

export interface Policy {
  /** The file it was read from (absolute). */
  file: string;
  rules: PolicyRule[];
  /** The action for heap findings no rule matches (default `log`). */
  default: Action;
  /** The line of the file's "default" key, when it has one. */
  defaultLine?: number;
}

export class PolicyError extends Error {}

/** Facts about where a finding sits that rules can ask for. */
export interface FindingContext { requestPath: boolean }

/**
 * The nearest `.escapelens.json` from `dir` upwards. The search stops at the repository root (the first
 * dir holding a `.git`, the project's edge) and never leaves the file system `dir` is on: without a `.git`
 * it ends at that file system's mount point, and the root dir `/` is never read. A policy is the project's,
 * checked in beside its code: one in a home dir, /tmp or above a container's mount would judge code that
 * never asked for it.
 */
export function findPolicy(dir: string): string | undefined {
  let d = path.resolve(dir);
  const device = deviceOf(d);
  for (;;) {
    const f = path.join(d, POLICY_FILE);
    if (fs.existsSync(f)) return f;
    const up = path.dirname(d);
    if (fs.existsSync(path.join(d, '.git')) || up === d || path.dirname(up) === up || deviceOf(up) !== device) return undefined;
    d = up;
  }
}

function deviceOf(dir: string): number | undefined {
  try { return fs.statSync(dir).dev; } catch { return undefined; }
}

/** A policy file is a few rules; more (a device, a stray file) is not one. */
const MAX_POLICY_BYTES = 16 * 1024 * 1024;

export function loadPolicy(file: string): Policy {
  let text: string;
  let raw: unknown;
  try {
    text = readTextBounded(file, MAX_POLICY_BYTES);
    raw = JSON.parse(text);
  } catch (e) {
    throw new PolicyError(`${file}: ${(e as Error).message}`);
  }
  return parsePolicy(raw, file, policyPositions(text));
}

const TOP_KEYS = ['$schema', 'default', 'rules'];
const RULE_KEYS = ['tier', 'cause', 'packages', 'context', 'action', 'comment'];
const TIERS = ['L1', 'L2', 'L3'];
const HEAP_CAUSES = new Set<string>(CAUSES.filter((c) => c.tier).map((c) => c.id));

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A key no one reads is a mistake (a typo, a field of another version): an error, never silently skipped. */
function knownKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new PolicyError(`${where}unknown key ${JSON.stringify(k)} (known: ${known.join(', ')})`);
}

/** One value or a list of them; an empty list or a repeated value is an error, as in the schema. */
function list<T extends string>(o: Record<string, unknown>, key: string, what: string, ok: (s: string) => boolean): T[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 0) throw new PolicyError(`"${key}" is an empty list (leave the key out to match every ${what})`);
  const a = Array.isArray(v) ? v : [v];
  for (const [i, x] of a.entries()) {
    if (typeof x !== 'string' || !ok(x)) throw new PolicyError(`"${key}": unknown ${what} ${JSON.stringify(x)}`);
    if (a.indexOf(x) !== i) throw new PolicyError(`"${key}": ${JSON.stringify(x)} is listed twice`);
  }
  return a as T[];
}

/**
 * The policy in `raw` (the parsed text of `file`); `positions` gives each rule its line. Strict, as the
 * JSON schema is: unknown keys, empty lists and wrong types are errors naming the key and the file.
 */
export function parsePolicy(raw: unknown, file: string, positions?: PolicyPositions): Policy {
  const at = (msg: string) => new PolicyError(`${file}: ${msg}`);
  if (!isObject(raw)) throw at('expected an object with "rules"');
  const action = (v: unknown, where: string): Action => {
    if (!ACTIONS.includes(v as Action)) throw at(`${where}: action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(v)}`);
    return v as Action;
  };
  try { knownKeys(raw, TOP_KEYS, ''); } catch (e) { throw at((e as Error).message); }
  if (raw.$schema !== undefined && typeof raw.$schema !== 'string') throw at('"$schema" must be a string');
  if (raw.rules !== undefined && !Array.isArray(raw.rules)) throw at('"rules" must be an array');
  if (Array.isArray(raw.rules) && raw.rules.length === 0) throw at('"rules" is an empty list (leave the key out for none)');
  const rules = ((raw.rules ?? []) as unknown[]).map((x, i): PolicyRule => {
    if (!isObject(x)) throw at(`rules[${i}] must be an object`);
    try {
      knownKeys(x, RULE_KEYS, '');
      const rule: PolicyRule = { action: action(x.action, `rules[${i}]`) };
      const tier = list<Tier>(x, 'tier', 'tier', (s) => TIERS.includes(s));
      const cause = list<string>(x, 'cause', 'cause', (s) => HEAP_CAUSES.has(s));
      const packages = list<string>(x, 'packages', 'package pattern', (s) => s.length > 0);
      if (tier) rule.tier = tier;
      if (cause) rule.cause = cause;
      if (packages) rule.packages = packages;
      if (x.context !== undefined) {
        if (!CONTEXTS.includes(x.context as Context)) throw new PolicyError(`"context": unknown context ${JSON.stringify(x.context)} (known: ${CONTEXTS.join(', ')})`);
        rule.context = x.context as Context;
      }
      if (x.comment !== undefined && typeof x.comment !== 'string') throw new PolicyError('"comment" must be a string');
      const line = positions?.rules[i];
      if (line !== undefined) rule.line = line;
      return rule;
    } catch (e) {
      throw e instanceof PolicyError && !e.message.startsWith(file) ? at(`rules[${i}]: ${e.message}`) : e;
    }
  });
  const policy: Policy = { file, rules, default: raw.default === undefined ? 'log' : action(raw.default, '"default"') };
  if (raw.default !== undefined && positions?.default !== undefined) policy.defaultLine = positions.default;
  return policy;
}

/** `example.com/m/...` matches the package and everything below it, as the go command reads patterns. */
export function matchPackage(pattern: string, pkg: string): boolean {
  const re = new RegExp('^' + pattern.split('...').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(pkg) || (pattern.endsWith('/...') && pkg === pattern.slice(0, -4));
}

/** Is the finding one the policy judges? Heap escapes and leaks, not suppressed; boxed constants only by cause. */
export function judged(f: Finding): boolean {
  return HEAP_KINDS.has(f.kind) && f.suppressed === undefined;
}

/** What decided a finding's action: a rule, or the policy's default (`rule` undefined); `line` is its line in `file`. */
export interface Decision { action: Action; rule?: PolicyRule; file: string; line?: number }

/** The action for one finding: the last matching rule, else the policy's default. */
export function actionFor(policy: Policy, f: Finding, ctx: FindingContext): Action | undefined {
  return decide(policy, f, ctx)?.action;
}

/** The action for one finding and the rule that decided it (undefined: the finding is not judged). */
export function decide(policy: Policy, f: Finding, ctx: FindingContext): Decision | undefined {
  if (!judged(f)) return undefined;
  // A conversion that does not allocate is only judged by rules naming its cause.
  const noAlloc = (f.kind === 'escapes' || f.kind === 'moved-to-heap') && !f.allocates;
  let result: Decision = { action: noAlloc ? 'log' : policy.default, file: policy.file, ...(noAlloc || policy.defaultLine === undefined ? {} : { line: policy.defaultLine }) };
  for (const r of policy.rules) {
    if (r.tier && (!f.tier || !r.tier.includes(f.tier) || noAlloc)) continue;
    if (r.cause && !r.cause.includes(f.cause)) continue;
    if (r.packages && !r.packages.some((p) => matchPackage(p, f.pkg ?? ''))) continue;
    if (r.context === 'request-path' && !ctx.requestPath) continue;
    if (!r.tier && !r.cause && noAlloc) continue;
    result = { action: r.action, rule: r, file: policy.file, ...(r.line !== undefined ? { line: r.line } : {}) };
  }
  return result;
}
