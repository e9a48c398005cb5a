// Joins explanation blocks to their summary lines. The compiler prints a position's blocks before its
// summary, in no global order: each position keeps the blocks waiting for a summary, the records read
// there, and the summaries no block was found for, joined by position once the output has been read.
import type { CompilerPos, RawExplanation, RawRecord } from '../model';
import { posKey } from './lines';

/** What was read at one position. */
export interface Place {
  /** Explanation blocks waiting for the summary line printed after them at this position. */
  pending?: RawExplanation[];
  records?: RawRecord[];
  /** Summaries that found no block with their words. */
  unexplained?: RawRecord[];
}

const JOINABLE = new Set(['escapes', 'moved-to-heap']);

export class Places {
  // By path (interned), then by line and column in one small integer (string keys, built and hashed for
  // every summary and block header, cost more than the rest of the parse).
  private readonly byNumber = new Map<string, Map<number, Place>>();
  // Positions whose numbers do not fit that integer: by posKey.
  private readonly byKey = new Map<string, Place>();
  // Places with summaries that found no block with their words.
  private readonly unexplained: Place[] = [];
  private readonly explanations = new Explanations();

  /** What was read at `pos` (the same for positions with the same posKey). */
  at(pos: CompilerPos): Place {
    const col = pos.col ?? 0;
    if (pos.line < 2 ** 20 && col < 2 ** 11) {
      let byNumber = this.byNumber.get(pos.path);
      if (!byNumber) this.byNumber.set(pos.path, byNumber = new Map());
      const n = pos.line * 2 ** 11 + col;
      let p = byNumber.get(n);
      if (!p) byNumber.set(n, p = {});
      return p;
    }
    const k = posKey(pos);
    let p = this.byKey.get(k);
    if (!p) this.byKey.set(k, p = {});
    return p;
  }

  /** A block read at `place`, waiting for its summary. */
  addBlock(place: Place, e: RawExplanation): void {
    if (place.pending) place.pending.push(e); else place.pending = [e];
  }

  /** A summary read at `place` (new or read again): takes the blocks waiting there that explain it. */
  addSummary(place: Place, rec: RawRecord): void {
    for (const e of takePending(place, rec)) this.explanations.add(rec, e);
    if (rec.explanations.length === 0 && JOINABLE.has(rec.kind)) {
      if (!place.unexplained) { place.unexplained = [rec]; this.unexplained.push(place); }
      else if (!place.unexplained.includes(rec)) place.unexplained.push(rec);
    }
  }

  /**
   * The summary and its block do not always print the same words: Go 1.24+ heads the block of an append
   * `append(s, i) escapes to heap in Grow:` and prints the summary `append escapes to heap`; a summary may
   * print a constant folded (`make([]T, 0)`) where its block prints the source (`make([]T, n)`). Blocks
   * left over after matching by words are joined by position: an `append(` block to an `append` summary,
   * otherwise the one unexplained summary at that position takes the escape blocks there.
   */
  joinByPosition(): void {
    const add = (r: RawRecord, b: RawExplanation) => this.explanations.add(r, b);
    for (const place of this.unexplained) {
      const recs = place.unexplained!;
      const blocks = place.pending?.filter((b) => b.kind === 'escape');
      if (!blocks?.length) continue;
      const open = recs.filter((r) => r.explanations.length === 0);
      const appends = open.filter((r) => r.subject === 'append');
      for (const r of appends) for (const b of blocks) if (b.subject.startsWith('append(')) add(r, b);
      const rest = open.filter((r) => r.subject !== 'append' && r.kind === 'escapes');
      const restBlocks = blocks.filter((b) => !b.subject.startsWith('append(') || appends.length === 0);
      if (rest.length === 1) for (const b of restBlocks) add(rest[0], b);
      else if (rest.length > 1 && rest.length === restBlocks.length) rest.forEach((r, i) => add(r, restBlocks[i]));
    }
    this.explanations.clear();
  }
}

/** Removes and returns the blocks at `place` that explain `rec`'s subject. */
function takePending(place: Place, rec: RawRecord): RawExplanation[] {
  const list = place.pending;
  if (!list) return [];
  const mine: RawExplanation[] = [];
  const rest: RawExplanation[] = [];
  for (const e of list) (explains(e, rec) ? mine : rest).push(e);
  place.pending = rest.length ? rest : undefined;
  return mine;
}

function explains(e: RawExplanation, rec: RawRecord): boolean {
  switch (rec.kind) {
    case 'moved-to-heap':
      // A moved parameter gets both `parameter x leaks ...` and `x escapes to heap:` blocks.
      return e.subject === rec.subject;
    case 'escapes':
      return e.kind === 'escape' && e.subject === rec.subject;
    case 'leaking-param':
    case 'leaking-param-content':
      return e.kind === 'leak' && e.subject === rec.subject;
    case 'leaking-param-result':
      // One summary per result the parameter flows to: `leaking param: s to result remain level=0`.
      return e.kind === 'leak' && e.subject === rec.subject && e.to === rec.detail?.result;
    default:
      return false;
  }
}

/** Blocks of one record that share their header and number of flows: the only ones that can be equal. */
interface Alike { first: RawExplanation; texts?: Set<string> }

/**
 * A record's explanations without repeats: duplicated output (generic instantiations printed twice)
 * repeats whole blocks, and a record of real code may carry thousands of them, so a new block is looked up
 * by a key, never compared with every earlier one. Whole blocks (their JSON) are compared only among
 * blocks alike in header and flow count, and written out only once two such meet.
 */
class Explanations {
  private readonly alike = new Map<RawRecord, Map<string, Alike>>();

  add(rec: RawRecord, e: RawExplanation): void {
    // (A literal: an array grown by push keeps spare room.)
    if (rec.explanations.length === 0) { rec.explanations = [e]; return; }
    let groups = this.alike.get(rec);
    if (!groups) {
      this.alike.set(rec, groups = new Map());
      for (const x of rec.explanations) isNew(groups, x);
    }
    if (isNew(groups, e)) rec.explanations.push(e);
  }

  /** Nothing more is added: the keys go. */
  clear(): void {
    this.alike.clear();
  }
}

/** Whether no block in `groups` equals `e`; `e` is then one of them. */
function isNew(groups: Map<string, Alike>, e: RawExplanation): boolean {
  const key = `${e.kind}\0${e.subject}\0${e.to}\0${e.flows.length}`;
  const group = groups.get(key);
  if (!group) { groups.set(key, { first: e }); return true; }
  group.texts ??= new Set([JSON.stringify(group.first)]);
  const text = JSON.stringify(e);
  if (group.texts.has(text)) return false;
  group.texts.add(text);
  return true;
}
