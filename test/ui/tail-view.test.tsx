// tail's Ink view, fed by a source the test controls: what arrives, the keys, and each state of
// the polling as the header says it. Frames are awaited by polling, never by fixed sleeps.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHub, type Hub } from '../../src/tail/hub.js';
import type { TailEvent, TailUpdate } from '../../src/tail/types.js';
import { TailView } from '../../src/ui/TailView.js';
import { waitFor } from '../support/cli.js';

const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', ctrlC: '\u0003' };
const T0 = Date.parse('2026-01-15T10:30:00Z');

function event(n: number, type = 'invoice.paid', change: TailEvent['change'] = 'new', extra: Record<string, unknown> = {}): TailEvent {
  const id = `evt_${String(n).padStart(4, '0')}`;
  const raw = { id, type, data: { id: `inv_${n}`, object: 'invoice', status: 'paid', note: `n${n}` }, ...extra };
  return { id, type, time: T0 + n * 1000, updated: T0 + n * 1000, object: `inv_${n}`, raw: JSON.stringify(raw), summary: `invoice inv_${n} paid`, change, replayed: false };
}

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

function mount(options: { maxLines?: number } = {}) {
  const hub: Hub<TailUpdate> = createHub();
  const onExit = vi.fn();
  const app = render(
    <TailView source={hub} info={{ profile: 'sales', provider: 'blueai', filters: 'type invoice.*' }} color={false} keys onExit={onExit} maxLines={options.maxLines} />,
  );
  unmount = app.unmount;
  const frame = () => app.lastFrame() ?? '';
  const until = (predicate: (f: string) => boolean, what: string) => waitFor(() => predicate(frame()), 3000, `${what}; last frame:\n${frame()}`);
  // Ink reads keys only once its input handler is attached, which happens after the first render.
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { hub, onExit, frame, until, press, app };
}

const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('tail view', () => {
  it('shows the profile, provider and filters, then each event as it arrives, oldest first', async () => {
    const { hub, until, frame } = mount();
    await until((f) => f.includes('waiting for new events'), 'the empty view');
    expect(frame()).toContain('events tail  sales · blueai · type invoice.*');
    hub.emit({ kind: 'events', events: [event(1), event(2, 'crm.deal.created')] });
    await until((f) => f.includes('evt_0002'), 'the arrivals');
    const lines = frame().split('\n');
    const first = lines.findIndex((l) => l.includes('evt_0001'));
    expect(lines[first]).toContain('2026-01-15 10:30:01');
    expect(lines[first]).toContain('invoice inv_1 paid');
    expect(first).toBeLessThan(lines.findIndex((l) => l.includes('evt_0002')));
    expect(frame()).toMatch(/2 events · /);
    // Following: the newest line carries the mark.
    expect(selectedLine(frame())).toContain('evt_0002');
  });

  it('shows an updated event once, marked ↻, in place of its earlier version', async () => {
    const { hub, until, frame } = mount();
    hub.emit({ kind: 'events', events: [event(1), event(2)] });
    await until((f) => f.includes('evt_0002'), 'the first versions');
    hub.emit({ kind: 'events', events: [{ ...event(1, 'invoice.paid', 'updated'), summary: 'invoice inv_1 refunded' }] });
    await until((f) => f.includes('refunded'), 'the update');
    expect(frame().match(/evt_0001/g)).toHaveLength(1);
    expect(frame().split('\n').find((l) => l.includes('evt_0001'))).toMatch(/↻ .*refunded/);
    expect(frame()).toContain('3 events · 1 updated');
  });

  it('moves the selection with ↑/↓, opens the raw JSON with Enter and closes it with Esc', async () => {
    const { hub, until, frame, press } = mount();
    hub.emit({ kind: 'events', events: [event(1), event(2), event(3)] });
    await until((f) => f.includes('evt_0003'), 'the events');
    await press(KEY.up, KEY.up);
    await until((f) => selectedLine(f).includes('evt_0001'), 'two lines up');
    await press(KEY.down);
    await until((f) => selectedLine(f).includes('evt_0002'), 'one line down');
    await press(KEY.enter);
    await until((f) => f.includes('raw JSON of evt_0002'), 'the raw JSON');
    expect(frame()).toContain('"note": "n2"');
    expect(frame()).not.toContain('evt_0003');
    // New arrivals while reading do not change what is open.
    hub.emit({ kind: 'events', events: [event(4)] });
    await until((f) => f.includes('4 events'), 'the count');
    expect(frame()).toContain('raw JSON of evt_0002');
    await press(KEY.escape);
    await until((f) => !f.includes('raw JSON') && f.includes('evt_0004'), 'the list again');
    expect(selectedLine(frame())).toContain('evt_0002');
  });

  it('filters by a typed type substring with / and Enter; Esc while typing cancels', async () => {
    const { hub, until, frame, press } = mount();
    hub.emit({ kind: 'events', events: [event(1, 'invoice.paid'), event(2, 'crm.deal.created'), event(3, 'invoice.sent')] });
    await until((f) => f.includes('evt_0003'), 'the events');
    await press('/', 'd', 'e', 'a');
    await until((f) => f.includes('type filter: dea'), 'the filter being typed');
    await press(KEY.escape);
    await until((f) => !f.includes('type filter'), 'the cancelled filter');
    expect(frame()).toContain('evt_0001');
    await press('/', 's', 'e', 'n', 't', KEY.enter);
    await until((f) => f.includes('type ~ "sent"'), 'the applied filter');
    expect(frame()).toContain('evt_0003');
    expect(frame()).not.toContain('evt_0001');
    expect(frame()).not.toContain('evt_0002');
    hub.emit({ kind: 'events', events: [event(4, 'invoice.paid'), event(5, 'mail.sent')] });
    await until((f) => f.includes('evt_0005'), 'a matching arrival');
    expect(frame()).not.toContain('evt_0004');
  });

  it('pauses the view with p, counting what arrives, and shows it on resume', async () => {
    const { hub, until, frame, press } = mount();
    hub.emit({ kind: 'events', events: [event(1)] });
    await until((f) => f.includes('evt_0001'), 'the first event');
    await press('p');
    await until((f) => f.includes('PAUSED · 0 new'), 'the pause');
    hub.emit({ kind: 'events', events: [event(2), event(3)] });
    await until((f) => f.includes('PAUSED · 2 new'), 'the count while paused');
    expect(frame()).not.toContain('evt_0002');
    await press('p');
    await until((f) => f.includes('evt_0003') && !f.includes('PAUSED'), 'the resumed view');
    expect(frame()).toContain('evt_0002');
  });

  it('counts, while paused, only what the type filter shows', async () => {
    const { hub, until, press } = mount();
    hub.emit({ kind: 'events', events: [event(1, 'invoice.sent')] });
    await until((f) => f.includes('evt_0001'), 'the first event');
    await press('/', 's', 'e', 'n', 't', KEY.enter);
    await until((f) => f.includes('type ~ "sent"'), 'the applied filter');
    await press('p');
    await until((f) => f.includes('PAUSED · 0 new'), 'the pause');
    hub.emit({ kind: 'events', events: [event(2, 'invoice.paid'), event(3, 'mail.sent'), event(4, 'invoice.paid'), event(5, 'invoice.sent')] });
    await until((f) => f.includes('PAUSED · 2 new'), 'the two that match');
    // Without the filter, all four count.
    await press(KEY.escape);
    await until((f) => f.includes('PAUSED · 4 new'), 'every arrival');
  });

  it('says in the header how the polling goes: catching up, live, rate-limited, failing', async () => {
    const { hub, until } = mount();
    hub.emit({ kind: 'state', state: { kind: 'catching-up', pages: 3 } });
    await until((f) => f.includes('catching up (3 pages so far)'), 'catching up');
    hub.emit({ kind: 'state', state: { kind: 'live', lastPoll: Date.now() - 4000 } });
    await until((f) => /live \(last poll [45] s ago\)/.test(f), 'live');
    hub.emit({ kind: 'state', state: { kind: 'rate-limited', reason: '429 Too Many Requests', retryAt: Date.now() + 30_000 } });
    await until((f) => /rate-limited \(429 Too Many Requests; retrying in (29|30) s\)/.test(f), 'rate-limited');
    hub.emit({ kind: 'state', state: { kind: 'failing', error: 'blueai: 503 Service Unavailable', retryAt: Date.now() + 5_000 } });
    await until((f) => /failing: blueai: 503 Service Unavailable \(next try in [45] s\)/.test(f), 'failing');
    hub.emit({ kind: 'note', text: 'note: close keeps only 30 days of events' });
    await until((f) => f.includes('close keeps only 30 days'), 'a note');
  });

  it('fits a narrow window: time, type and summary stay, long cells end in …, ids whole or gone, no line wraps', async () => {
    const { hub, until, frame, app } = mount();
    const long = { ...event(1, 'crm.deal.stage_updated'), summary: 'crm.deal deal_0123456789 qualified → negotiation' };
    hub.emit({ kind: 'events', events: [long, event(2)] });
    await until((f) => f.includes('evt_0002'), 'the wide view');
    Object.defineProperty(app.stdout, 'columns', { value: 60, configurable: true });
    app.stdout.emit('resize');
    await until((f) => !f.includes('2026-01-15'), 'the narrow view');
    const lines = frame().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThan(60);
    // The summary and the type give up room; the id stays whole.
    expect(lines.find((l) => l.includes('10:30:01'))).toMatch(/^ {3}10:30:01 {2}crm\.deal\.stage_up… {2}evt_0001 {2}crm\.deal deal_\S*…$/);
    expect(lines.find((l) => l.includes('invoice.paid'))).toMatch(/ evt_0002  invoice inv_2 p…$/);
    // Narrower still, the id goes rather than be cut; type and summary keep what a person reads.
    Object.defineProperty(app.stdout, 'columns', { value: 40, configurable: true });
    app.stdout.emit('resize');
    await until((f) => /10:30:02 {2}invoice\.paid {2}invoice inv…$/m.test(f), 'the narrowest view');
    expect(frame()).not.toContain('evt_');
    for (const line of frame().split('\n')) expect(line.length, line).toBeLessThan(40);
  });

  it('keeps only the newest lines, however many arrive', async () => {
    const { hub, until, frame } = mount({ maxLines: 5 });
    hub.emit({ kind: 'events', events: Array.from({ length: 12 }, (_, i) => event(i + 1)) });
    await until((f) => f.includes('evt_0012'), 'the last event');
    await until((f) => f.includes('12 events'), 'the count');
    expect(frame()).not.toContain('evt_0007');
    expect(frame()).toContain('evt_0008');
  });

  it('ends with q (quit) and with Ctrl-C (interrupt)', async () => {
    const first = mount();
    await first.until((f) => f.includes('events tail'), 'the view');
    await first.press('q');
    await waitFor(() => first.onExit.mock.calls.length > 0, 3000, 'q');
    expect(first.onExit).toHaveBeenCalledWith('quit');
    first.app.unmount();
    const second = mount();
    await second.until((f) => f.includes('events tail'), 'the view');
    await second.press(KEY.ctrlC);
    await waitFor(() => second.onExit.mock.calls.length > 0, 3000, 'Ctrl-C');
    expect(second.onExit).toHaveBeenCalledWith('interrupt');
  });
});
