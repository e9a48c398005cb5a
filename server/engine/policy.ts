// The project's policy (.escapelens.json) in the editor: found above each package, re-read when it
// changes, and turned into severities. The goEscapeLens.severity.* settings stay a personal override: a
// tier whose setting differs from its default uses the setting, not the policy.
import * as fs from 'node:fs';
import type { Finding } from '../../core/model';
import { findPolicy, loadPolicy, type Action, type Policy } from '../../core/policy/policy';
import { judge } from '../../core/policy/judge';
import { DEFAULTS, type Settings, type Severity } from '../settings';

export const SEVERITY_OF_ACTION: Record<Action, Severity> = { ignore: 'off', log: 'information', warn: 'warning', fail: 'error' };

export class PolicyCache {
  private readonly loaded = new Map<string, { mtime: number; policy?: Policy; error?: string }>();

  /** The policy for a package directory; `onError` hears about a file that does not parse. */
  get(dir: string, onError: (message: string) => void): Policy | undefined {
    const file = findPolicy(dir);
    if (!file) return undefined;
    let mtime = 0;
    try { mtime = fs.statSync(file).mtimeMs; } catch { return undefined; }
    let e = this.loaded.get(file);
    if (!e || e.mtime !== mtime) {
      try { e = { mtime, policy: loadPolicy(file) }; } catch (err) { e = { mtime, error: (err as Error).message }; onError(e.error!); }
      this.loaded.set(file, e);
    }
    return e.policy;
  }
}

/** The policy's actions for a package's findings; `read` gives the analysed text of each file. */
export function policyActions(policy: Policy | undefined, findings: readonly Finding[], read: (file: string) => string | undefined): Map<Finding, Action> | undefined {
  return policy ? judge(policy, findings, read) : undefined;
}

/** A tier's severity from the policy, unless the user's setting for that tier differs from its default. */
export function policySeverity(f: Finding, s: Settings, actions: ReadonlyMap<Finding, Action> | undefined): Severity | undefined {
  const a = actions?.get(f);
  if (!a || !f.tier) return undefined;
  // A conversion that does not allocate keeps its quiet severity unless a rule named its cause.
  if (a === 'log' && (f.kind === 'escapes' || f.kind === 'moved-to-heap') && !f.allocates) return undefined;
  if (s.severity[f.tier] !== DEFAULTS.severity[f.tier]) return undefined;
  return SEVERITY_OF_ACTION[a];
}
