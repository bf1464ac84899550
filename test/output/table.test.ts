// The table people see (src/output/table.ts): fitted to the terminal's width with the id kept
// whole, the year dropped before anything is cut, versions marked, a PROFILE column on request,
// and colour only when asked for.
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/output/table.js';
import type { ListedEvent } from '../../src/output/write.js';

const T = Date.UTC(2026, 10, 22, 19, 45, 44);
const event = (n: number, extra: Partial<ListedEvent> = {}): ListedEvent => ({
  id: `ev_${String(n).padStart(22, '0')}`,
  type: n % 2 ? 'activity.email.sent' : 'lead.created',
  time: T - n * 1000,
  updated: T - n * 1000,
  object: `lead_${'x'.repeat(30)}${n}`,
  raw: '{}',
  ...extra,
});
const rows = (text: string) => text.trimEnd().split('\n');
const ANSI = /\x1b\[[0-9;]*m/;

describe('renderTable', () => {
  it('prints a header and one row per event with every value whole when the width allows', () => {
    const events = [event(1), event(2)];
    const text = renderTable(events, { columns: 200, color: false });
    const [head, ...body] = rows(text);
    expect(head!.split(/\s{2,}/)).toEqual(['TIME (UTC)', 'TYPE', 'ID', 'OBJECT']);
    expect(body).toHaveLength(2);
    expect(body[0]!.split(/\s{2,}/)).toEqual(['2026-11-22 19:45:43', 'activity.email.sent', events[0]!.id, events[0]!.object]);
    expect(text).not.toMatch(ANSI);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('in a narrow window drops the year first, then cuts the object, keeping the id whole', () => {
    const e = event(3);
    for (const columns of [90, 70]) {
      const text = renderTable([e], { columns, color: false });
      for (const row of rows(text)) expect(row.length).toBeLessThanOrEqual(columns);
      const cells = rows(text)[1]!.split(/\s{2,}/);
      expect(cells[0]).toBe('11-22 19:45:41');
      expect(cells[2]).toBe(e.id);
      expect(cells[3]).toMatch(/^lead_x*…$/);
    }
  });

  it('marks an event the mirror holds in several versions, and only those', () => {
    const text = renderTable([event(1, { versions: 3 }), event(2, { versions: 1 })], { columns: 200, color: false });
    const [, first, second] = rows(text);
    expect(first).toContain('activity.email.sent ↻ 3');
    expect(second).not.toContain('↻');
  });

  it('puts the profile first when asked', () => {
    const text = renderTable([event(1, { profile: 'sales' })], { columns: 200, color: false, showProfile: true });
    const [head, row] = rows(text);
    expect(head!.split(/\s{2,}/)[0]).toBe('PROFILE');
    expect(row!.split(/\s{2,}/)[0]).toBe('sales');
  });

  it('colours the type by family and bolds the header only when colour is on', () => {
    const text = renderTable([event(1), event(2)], { columns: 200, color: true });
    const [head, first, second] = rows(text);
    expect(head).toContain('\x1b[1m');
    const colourOf = (row: string) => /\x1b\[(\d+)m(activity|lead)/.exec(row)?.[1];
    expect(colourOf(first!)).toBeDefined();
    expect(colourOf(second!)).toBeDefined();
    expect(colourOf(first!)).not.toBe(colourOf(second!));
    // The id and time stay plain.
    expect(first!.startsWith('2026-11-22 19:45:43')).toBe(true);
  });
});
