// One event as a line (src/output/line.ts): the fields list's table and tail's view print, and the
// width arithmetic both use to fit a terminal.
import { describe, expect, it } from 'vitest';
import { eventLine, fitWidths, formatTime, truncate } from '../../src/output/line.js';

describe('formatTime', () => {
  it('prints UTC to the second, whatever the local zone', () => {
    expect(formatTime(Date.UTC(2026, 0, 15, 10, 30, 0, 999))).toBe('2026-01-15 10:30:00');
  });
});

describe('truncate', () => {
  it('keeps text that fits and cuts the rest with an ellipsis inside the width', () => {
    expect(truncate('invoice.paid', 12)).toBe('invoice.paid');
    expect(truncate('invoice.paid', 8)).toBe('invoice…');
    expect(truncate('invoice.paid', 8)).toHaveLength(8);
    expect(truncate('invoice.paid', 1)).toBe('…');
    expect(truncate('invoice.paid', 0)).toBe('');
  });
});

describe('eventLine', () => {
  it('gives the time, type, id and object, an empty object when the event has none', () => {
    const time = Date.UTC(2026, 10, 22, 19, 45, 44);
    expect(eventLine({ time, type: 'lead.created', id: 'ev_1', object: 'lead_1' })).toEqual({ time: '2026-11-22 19:45:44', type: 'lead.created', id: 'ev_1', object: 'lead_1' });
    expect(eventLine({ time, type: 't', id: 'e', object: null }).object).toBe('');
  });
});

describe('fitWidths', () => {
  const sum = (w: number[], gap: number) => w.reduce((a, b) => a + b, 0) + gap * (w.length - 1);

  it('gives every column what it needs when all fits', () => {
    expect(fitWidths([19, 12, 30, 10], 100)).toEqual([19, 12, 30, 10]);
  });

  it('takes room from the widest column first, by default, to fit the total exactly', () => {
    // 71 + 3 gaps of 2 = 77 in 70: the 30 gives 7; then, once widths tie, each widest in turn.
    expect(fitWidths([19, 12, 30, 10], 70)).toEqual([19, 12, 23, 10]);
    const narrow = fitWidths([19, 12, 30, 10], 50);
    expect(sum(narrow, 2)).toBe(50);
    expect(narrow).toEqual([11, 11, 12, 10]);
  });

  it('in a shrink order, takes what each column can give (down to the minimum) before the next', () => {
    // The object (3) gives up to the minimum, then the type (1); the id (2) stays whole.
    const widths = fitWidths([19, 20, 30, 20], 80, 2, 6, [3, 1, 0, 2]);
    expect(widths).toEqual([19, 19, 30, 6]);
    expect(sum(widths, 2)).toBe(80);
  });

  it('never goes below the minimum, even if the total is then exceeded', () => {
    const widths = fitWidths([19, 12, 30, 10], 20, 2, 6);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(6);
    expect(fitWidths([19, 12, 30, 10], 20, 2, 6, [3, 1, 0, 2])).toEqual([6, 6, 6, 6]);
  });
});
