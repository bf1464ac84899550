// The state behind tail's view (src/ui/model.ts): what updates do to the lines and counts, the
// rate, and what each key does to the selection, the raw view, the filter and the pause.
import { describe, expect, it } from 'vitest';
import type { TailEvent } from '../../src/tail/types.js';
import { applyKey, applyUpdate, initialData, initialUi, newWhilePaused, ratePerMinute, selectedIndex, visibleLines, type KeyResult, type TailData, type UiState } from '../../src/ui/model.js';

const NOW = 1_767_225_600_000;
const ev = (id: string, type = 'invoice.paid', extra: Partial<TailEvent> = {}): TailEvent => ({
  id, type, time: NOW, updated: NOW, object: null, raw: `{"id":"${id}"}`, summary: '', change: 'new', replayed: false, ...extra,
});
const withEvents = (events: TailEvent[], data = initialData(NOW)) => applyUpdate(data, { kind: 'events', events }, NOW);
const ids = (data: TailData, ui: UiState = initialUi) => visibleLines(data, ui).map((l) => l.event.id);
const ui = (r: KeyResult): UiState => {
  if ('exit' in r) throw new Error(`exited: ${r.exit}`);
  return r;
};

describe('applyUpdate', () => {
  it('appends events as lines with unique keys and counts them', () => {
    const data = withEvents([ev('a'), ev('b')]);
    expect(ids(data)).toEqual(['a', 'b']);
    expect(new Set(data.lines.map((l) => l.key)).size).toBe(2);
    expect(data.received).toBe(2);
  });

  it('replaces the line of an event shown before with its newer version, counting an update', () => {
    let data = withEvents([ev('a'), ev('b')]);
    data = withEvents([ev('a', 'lead.updated', { change: 'updated' })], data);
    expect(ids(data)).toEqual(['b', 'a']);
    expect(data.lines.at(-1)!.event.type).toBe('lead.updated');
    expect(data).toMatchObject({ received: 3, updated: 1 });
  });

  it('keeps at most the newest maxLines lines', () => {
    const data = applyUpdate(initialData(NOW), { kind: 'events', events: ['a', 'b', 'c', 'd'].map((id) => ev(id)) }, NOW, 3);
    expect(ids(data)).toEqual(['b', 'c', 'd']);
    expect(data.received).toBe(4);
  });

  it('takes states and notes as they come', () => {
    const state = { kind: 'live' as const, lastPoll: NOW };
    const data = applyUpdate(applyUpdate(initialData(NOW), { kind: 'state', state }, NOW), { kind: 'note', text: 'close keeps 30 days' }, NOW);
    expect(data).toMatchObject({ state, note: 'close keeps 30 days' });
  });
});

describe('ratePerMinute', () => {
  it('says nothing in the first ten seconds, then counts live arrivals (not replayed ones) per minute', () => {
    let data = initialData(NOW);
    data = applyUpdate(data, { kind: 'events', events: [ev('old', 'x', { replayed: true })] }, NOW);
    data = applyUpdate(data, { kind: 'events', events: [ev('a'), ev('b'), ev('c')] }, NOW + 5_000);
    expect(ratePerMinute(data, NOW + 5_000)).toBeUndefined();
    expect(ratePerMinute(data, NOW + 60_000)).toBe(3);
    expect(ratePerMinute(data, NOW + 120_000)).toBe(1.5);
    // Arrivals older than the five-minute window no longer count.
    expect(ratePerMinute(data, NOW + 6 * 60_000)).toBe(0);
  });
});

describe('applyKey', () => {
  const data = withEvents([ev('a', 'invoice.paid'), ev('b', 'lead.created'), ev('c', 'invoice.sent')]);
  const key = (s: UiState, k: Parameters<typeof applyKey>[1]) => ui(applyKey(s, k, data));
  const selectedId = (s: UiState) => visibleLines(data, s)[selectedIndex(visibleLines(data, s), s)]?.event.id;

  it('follows the newest line until the selection moves up, and follows again on reaching it', () => {
    expect(selectedId(initialUi)).toBe('c');
    const up = key(initialUi, { input: '', upArrow: true });
    expect(selectedId(up)).toBe('b');
    const top = key(key(up, { input: '', upArrow: true }), { input: '', upArrow: true });
    expect(selectedId(top)).toBe('a');
    const down = key(top, { input: '', downArrow: true });
    expect(selectedId(down)).toBe('b');
    expect(key(down, { input: '', downArrow: true }).selected).toBeNull();
  });

  it('opens the raw JSON of the selection with Enter, scrolls it, and closes it with Esc', () => {
    const open = key(initialUi, { input: '', return: true });
    expect(open.raw).toEqual({ scroll: 0 });
    expect(selectedId(open)).toBe('c');
    const scrolled = key(key(open, { input: '', downArrow: true }), { input: '', downArrow: true });
    expect(scrolled.raw).toEqual({ scroll: 2 });
    expect(key(key(scrolled, { input: '', upArrow: true }), { input: '', upArrow: true }).raw).toEqual({ scroll: 0 });
    expect(key(key(open, { input: '', upArrow: true }), { input: '', upArrow: true }).raw).toEqual({ scroll: 0 });
    expect(key(scrolled, { input: '', escape: true }).raw).toBeNull();
  });

  it('types a filter after /, printable characters only, applies it with Enter and clears it with Esc', () => {
    let s = key(initialUi, { input: '/' });
    expect(s.editing).toBe('');
    for (const input of ['I', 'n', 'v', '\x1b[', 'x']) s = key(s, { input });
    s = key(s, { input: '', backspace: true });
    expect(s.editing).toBe('Inv[');
    s = key(key(s, { input: '', backspace: true }), { input: '', return: true });
    expect(s).toMatchObject({ filter: 'Inv', editing: null });
    // Case-insensitive substring of the type.
    expect(visibleLines(data, s).map((l) => l.event.id)).toEqual(['a', 'c']);
    expect(key(s, { input: '', escape: true }).filter).toBe('');
    // Esc while typing drops the edit and keeps the filter that was applied.
    expect(key(key(s, { input: '/' }), { input: '', escape: true })).toMatchObject({ filter: 'Inv', editing: null });
  });

  it('pauses on the lines shown then, while new ones keep arriving underneath, and resumes', () => {
    const paused = key(initialUi, { input: 'p' });
    const later = withEvents([ev('d')], data);
    expect(visibleLines(later, paused).map((l) => l.event.id)).toEqual(['a', 'b', 'c']);
    expect(newWhilePaused(later, paused)).toBe(1);
    const resumed = ui(applyKey(paused, { input: 'p' }, later));
    expect(visibleLines(later, resumed).map((l) => l.event.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('quits on q and is interrupted by Ctrl-C, even while typing a filter (where q is a letter)', () => {
    expect(applyKey(initialUi, { input: 'q' }, data)).toEqual({ exit: 'quit' });
    expect(applyKey(initialUi, { input: 'c', ctrl: true }, data)).toEqual({ exit: 'interrupt' });
    const typing = key(initialUi, { input: '/' });
    expect(key(typing, { input: 'q' }).editing).toBe('q');
    expect(applyKey(typing, { input: 'c', ctrl: true }, data)).toEqual({ exit: 'interrupt' });
  });
});
