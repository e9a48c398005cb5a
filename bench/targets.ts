// The issue's targets, each judged where it is measured and printed together at the end of the run:
// the figure, the bound it is held to, met or not, the load of the machine when it was taken (the bench
// runs on shared machines too: a figure taken under load says so) and the command that takes it alone.
import * as os from 'node:os';

export interface Verdict { target: string; figure: string; bound: string; met: boolean; load: string; command: string }

const verdicts: Verdict[] = [];

/** The machine's 1-minute load average and its cores, as `uptime` says it. */
export function load(): string {
  return `load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
}

/** Records a target's verdict, prints it beside the part's rows, and returns it. */
export function judge(target: string, figure: number, bound: number, unit: string, command: string, detail = ''): Verdict {
  const v: Verdict = {
    target, figure: `${figure.toFixed(unit === 'ms' || unit === 'MB' ? 0 : 1)} ${unit}${detail ? ` (${detail})` : ''}`,
    bound: `≤ ${bound.toFixed(unit === 'ms' || unit === 'MB' ? 0 : 1)} ${unit}`, met: figure <= bound, load: load(), command,
  };
  verdicts.push(v);
  console.log(`  target ${v.met ? 'MET' : 'NOT MET'}: ${target}: ${v.figure} against ${v.bound} (${v.load})`);
  return v;
}

/** Every verdict of the run, as a table. */
export function printTargets(): void {
  if (verdicts.length === 0) return;
  console.log('\ntargets (issue 26), this run:');
  console.log('  met | target | figure | bound | load when taken | command (node out/bench/run.js …)');
  for (const v of verdicts) console.log(`  ${v.met ? 'met' : 'NOT met'} | ${v.target} | ${v.figure} | ${v.bound} | ${v.load} | ${v.command}`);
}
