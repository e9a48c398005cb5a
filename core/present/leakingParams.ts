// A caller's finding explained by the callee's leaking parameter: "`b` escapes because `put`'s parameter
// `v` leaks (cache.go:12)", when the package's own output says the parameter leaks.
import * as path from 'node:path';
import type { Finding } from '../model';
import { STEP } from '../util/steps';

export interface LeakIndex { explain(f: Finding): string | undefined }

/** Leaking parameters of the package's functions, by function name, to name them in callers' findings. */
export function* leakingParams(findings: readonly Finding[]): Generator<void, LeakIndex, void> {
  const byName = new Map<string, Finding[]>();
  let n = 0;
  for (const f of findings) {
    if (++n % STEP === 0) yield;
    if (!f.function || f.tier === null || (f.kind !== 'leaking-param' && f.kind !== 'leaking-param-content')) continue;
    const short = f.function.slice(f.function.lastIndexOf('.') + 1);
    const list = byName.get(short) ?? [];
    list.push(f);
    byName.set(short, list);
  }
  return {
    explain(f) {
      if (byName.size === 0) return undefined;
      const st = f.flow.find((x) => x.why === 'call parameter');
      const callee = st && /^([\p{L}\p{N}_.()*]+?)\(/u.exec(st.where)?.[1];
      if (!callee) return undefined;
      const short = callee.slice(callee.lastIndexOf('.') + 1);
      const params = (byName.get(short) ?? []).filter((p) => p.pkg === undefined || f.pkg === undefined || p.pkg === f.pkg);
      const fns = new Set(params.map((p) => p.function));
      if (params.length === 0 || fns.size !== 1) return undefined;
      const names = params.map((p) => `\`${p.subject}\``).join(', ');
      const where = `${path.basename(params[0].file)}:${params[0].range.start.line + 1}`;
      const verb = params.length === 1 ? `'s parameter ${names} leaks` : `'s parameters ${names} leak`;
      const assigned = f.flow.map((x) => x.why === 'assign' ? /^([\p{L}_][\p{L}\p{N}_]*) :?= /u.exec(x.where)?.[1] : undefined).find(Boolean);
      return `\`${assigned ?? f.subject}\` escapes because \`${params[0].function}\`${verb} (${where})`;
    },
  };
}
