// The strict audit's sample and verdicts (issue 23): a fixed-seed draw of default squiggles and of all
// allocating findings, each judged by tiers.md's "worth a default squiggle" rule after reading the code at
// the finding. The verdicts are committed (auditVerdicts.json) and keyed by module path, line and message,
// so the test recomputes the displays of the same findings after any change of the rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../../core/model';
import type { Item } from '../../../core/present/present';
import { REPO } from '../../helpers/goEnv';

export interface Verdict {
  key: string;
  /** Drawn from the default squiggles (precision) or from every allocating finding (recall). */
  sample: 'squiggles' | 'findings';
  worth: boolean;
  /** What the code at the finding does, in a few words. */
  why: string;
}

const VERDICTS = path.join(REPO, 'test', 'core', 'present', 'auditVerdicts.json');
const SEED = 23;

/** `github.com/gin-gonic/gin@v1.10.0/context.go:912:&Context{…} escapes to heap`: stable across machines. */
export function auditKey(f: Pick<Finding, 'file' | 'range' | 'message'>): string {
  const i = f.file.indexOf('/pkg/mod/');
  return `${i >= 0 ? f.file.slice(i + 9) : path.basename(f.file)}:${f.range.start.line + 1}:${f.message}`;
}

export function loadVerdicts(): Map<string, Verdict> {
  const list = JSON.parse(fs.readFileSync(VERDICTS, 'utf8')) as Verdict[];
  return new Map(list.map((v) => [`${v.sample}\0${v.key}`, v]).map(([k, v]) => [(v as Verdict).key, v as Verdict]));
}

/** A small seeded generator (mulberry32): the same draw on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw<T>(list: readonly T[], n: number, seed: number): T[] {
  const next = random(seed);
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** What a judge reads: the sample with the code around each finding and any verdict already given. */
export function sampleAudit(squiggles: readonly Item[], allocating: readonly Finding[], verdicts: ReadonlyMap<string, Verdict>) {
  const show = (f: Finding, sample: Verdict['sample'], rules?: readonly string[]) => {
    const lines = fs.readFileSync(f.file, 'utf8').split('\n');
    const at = f.range.start.line;
    return {
      key: auditKey(f), sample, fn: f.function, cause: f.cause, rules,
      code: lines.slice(Math.max(0, at - 4), at + 3).map((l, i) => `${Math.max(0, at - 4) + i + 1 === at + 1 ? '>' : ' '} ${l}`).join('\n'),
      verdict: verdicts.get(auditKey(f)),
    };
  };
  const byKey = new Map(squiggles.map((i) => [auditKey(i.finding), i]));
  const sorted = (xs: readonly Finding[]) => [...xs].sort((a, b) => (auditKey(a) < auditKey(b) ? -1 : 1));
  return {
    squiggles: draw(sorted(squiggles.map((i) => i.finding)), 45, SEED).map((f) => show(f, 'squiggles', byKey.get(auditKey(f))?.rules)),
    findings: draw(sorted(allocating), 80, SEED + 1).map((f) => show(f, 'findings')),
  };
}
