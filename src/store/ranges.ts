// Coverage ranges, the same arithmetic for every engine.
import type { Range } from './contract.js';

/** Merges overlapping ranges; returns them newest first. */
export function mergeRanges(ranges: Range[]): Range[] {
  const low = (r: Range) => r.lo ?? -Infinity;
  const sorted = [...ranges].sort((a, b) => low(a) - low(b));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && low(r) <= last.hi) last.hi = Math.max(last.hi, r.hi);
    else out.push({ ...r });
  }
  return out.reverse();
}
