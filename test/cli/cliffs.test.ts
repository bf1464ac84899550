// Holes in the mirror and retention cliffs, as `events status` reports them (src/cli/cliffs.ts).
import { describe, expect, it } from 'vitest';
import { describeHole, holesOf, span } from '../../src/cli/cliffs.js';

const DAY = 86_400_000;

describe('holes and cliffs', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  it('finds the gaps between complete ranges and what unfinished backfills have not reached', () => {
    const coverage = [
      { lo: now - 2 * DAY, hi: now },
      { lo: now - 20 * DAY, hi: now - 10 * DAY },
      { lo: null, hi: now - 25 * DAY },
    ];
    const walk = { walkId: 1, kind: 'backfill' as const, upper: now - 30 * DAY, floor: now - 40 * DAY, next: { method: 'GET' as const, path: '/', query: {} }, reached: now - 35 * DAY, pages: 1, fetched: 1, started: now };
    expect(holesOf(coverage, [walk], 30, now)).toEqual([
      { kind: 'gap', from: now - 10 * DAY, to: now - 2 * DAY, leavesAt: now + 20 * DAY },
      { kind: 'gap', from: now - 25 * DAY, to: now - 20 * DAY, leavesAt: now + 5 * DAY },
      { kind: 'backfill', from: now - 40 * DAY, to: now - 35 * DAY, leavesAt: now - 10 * DAY },
    ]);
    expect(holesOf(coverage, [], null, now).map((h) => h.leavesAt)).toEqual([null, null]);
  });

  it('says when a hole leaves the API and how to save it', () => {
    expect(describeHole({ kind: 'gap', from: now - 28 * DAY, to: now - 27.5 * DAY, leavesAt: now + 2 * DAY }, 'close', now)).toBe(
      '12 h of close history before 2026-11-04T00:00:00Z are not mirrored and leave the API in 2 days: `events sync --since 2026-11-03`',
    );
    expect(describeHole({ kind: 'gap', from: now - 5 * DAY, to: now - 4 * DAY, leavesAt: null }, 'bem', now)).toBe(
      '24 h of bem history before 2026-11-27T12:00:00Z are not mirrored: `events sync --since 2026-11-26`',
    );
    expect(span(90 * 60_000)).toBe('2 h');
    expect(span(59_000)).toBe('1 min');
  });
});
