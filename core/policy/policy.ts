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
}

export interface Policy {
  /** The file it was read from (absolute). */
  file: string;
  rules: PolicyRule[];
  /** The action for heap findings no rule matches (default `log`). */
  default: Action;
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
  let raw: unknown;
  try {
    raw = JSON.parse(readTextBounded(file, MAX_POLICY_BYTES));
  } catch (e) {
    throw new PolicyError(`${file}: ${(e as Error).message}`);
  }
  return parsePolicy(raw, file);
}

const list = <T extends string>(v: unknown, what: string, ok: (s: string) => boolean): T[] | undefined => {
  if (v === undefined) return undefined;
  const a = Array.isArray(v) ? v : [v];
  for (const x of a) if (typeof x !== 'string' || !ok(x)) throw new PolicyError(`unknown ${what} ${JSON.stringify(x)}`);
  return a as T[];
};

const HEAP_CAUSES = new Set<string>(CAUSES.filter((c) => c.tier).map((c) => c.id));

export function parsePolicy(raw: unknown, file: string): Policy {
  const at = (msg: string) => new PolicyError(`${file}: ${msg}`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw at('expected an object with "rules"');
  const r = raw as Record<string, unknown>;
  const action = (v: unknown, where: string): Action => {
    if (!ACTIONS.includes(v as Action)) throw at(`${where}: action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(v)}`);
    return v as Action;
  };
  if (r.rules !== undefined && !Array.isArray(r.rules)) throw at('"rules" must be an array');
  const rules = ((r.rules ?? []) as unknown[]).map((x, i): PolicyRule => {
    if (!x || typeof x !== 'object') throw at(`rules[${i}] must be an object`);
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['tier', 'cause', 'packages', 'context', 'action', 'comment'].includes(k)) throw at(`rules[${i}]: unknown key "${k}"`);
    try {
      const rule: PolicyRule = { action: action(o.action, `rules[${i}]`) };
      const tier = list<Tier>(o.tier, 'tier', (s) => s === 'L1' || s === 'L2' || s === 'L3');
      const cause = list<string>(o.cause, 'cause', (s) => HEAP_CAUSES.has(s));
      const packages = list<string>(o.packages, 'package pattern', (s) => s.length > 0);
      if (tier) rule.tier = tier;
      if (cause) rule.cause = cause;
      if (packages) rule.packages = packages;
      if (o.context !== undefined) {
        if (!CONTEXTS.includes(o.context as Context)) throw new PolicyError(`unknown context ${JSON.stringify(o.context)} (known: ${CONTEXTS.join(', ')})`);
        rule.context = o.context as Context;
      }
      return rule;
    } catch (e) {
      throw e instanceof PolicyError && !e.message.startsWith(file) ? at(`rules[${i}]: ${e.message}`) : e;
    }
  });
  return { file, rules, default: r.default === undefined ? 'log' : action(r.default, '"default"') };
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

/** The action for one finding: the last matching rule, else the policy's default. */
export function actionFor(policy: Policy, f: Finding, ctx: FindingContext): Action | undefined {
  if (!judged(f)) return undefined;
  // A conversion that does not allocate is only judged by rules naming its cause.
  const noAlloc = (f.kind === 'escapes' || f.kind === 'moved-to-heap') && !f.allocates;
  let result: Action = noAlloc ? 'log' : policy.default;
  for (const r of policy.rules) {
    if (r.tier && (!f.tier || !r.tier.includes(f.tier) || noAlloc)) continue;
    if (r.cause && !r.cause.includes(f.cause)) continue;
    if (r.packages && !r.packages.some((p) => matchPackage(p, f.pkg ?? ''))) continue;
    if (r.context === 'request-path' && !ctx.requestPath) continue;
    if (!r.tier && !r.cause && noAlloc) continue;
    result = r.action;
  }
  return result;
}
