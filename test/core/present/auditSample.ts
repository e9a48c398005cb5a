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

/** Verdicts by `sample\0key`. */
export function loadVerdicts(): Map<string, Verdict> {
  const list = JSON.parse(fs.readFileSync(VERDICTS, 'utf8')) as Verdict[];
  return new Map(list.map((v) => [`${v.sample}\0${v.key}`, v]));
}

/**
 * The n keys with the smallest seeded hash (FNV-1a of seed and key): the same draw on every machine, and a
 * finding stays in the sample whatever else a rule change adds to or removes from the list.
 */
function draw<T>(list: readonly T[], n: number, seed: number, keyOf: (x: T) => string): T[] {
  const hash = (k: string) => {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0;
    return h >>> 0;
  };
  return [...list].map((x) => ({ x, h: hash(keyOf(x)) })).sort((a, b) => a.h - b.h).slice(0, n).map((e) => e.x);
}

/** A small seeded generator (mulberry32). */
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

/** n of the list, shuffled by a seeded Fisher-Yates over the list sorted by key: for a list no rule changes. */
function shuffleDraw<T>(list: readonly T[], n: number, seed: number, keyOf: (x: T) => string): T[] {
  const next = random(seed);
  const a = [...list].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : 1));
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
      verdict: verdicts.get(`${sample}\0${auditKey(f)}`),
    };
  };
  const byKey = new Map(squiggles.map((i) => [auditKey(i.finding), i]));
  return {
    squiggles: draw(squiggles.map((i) => i.finding), 45, SEED, auditKey).map((f) => show(f, 'squiggles', byKey.get(auditKey(f))?.rules)),
    // Every allocating finding, whatever the rules: drawn once and for all.
    findings: shuffleDraw(allocating, 80, SEED + 1, auditKey).map((f) => show(f, 'findings')),
  };
}
