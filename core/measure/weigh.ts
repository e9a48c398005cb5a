// Attaches a heap profile's costs to findings (heap escapes only: that is what the profile measures).
import type { Finding } from '../model';
import { HEAP_KINDS } from '../model';
import { costOf, type HeapProfile } from './heapProfile';

export function weigh(findings: Finding[], profile: HeapProfile): void {
  for (const f of findings) {
    if (!HEAP_KINDS.has(f.kind)) continue;
    const c = costOf(profile, f);
    if (c && (c.bytes > 0 || c.objects > 0)) {
      f.profile = { bytes: c.bytes, objects: c.objects, share: profile.totalBytes ? c.bytes / profile.totalBytes : 0 };
    }
  }
}
