// Each renderer for people, fed hostile text where it takes event content or provider text: what it
// writes holds no control byte but tab and newline and no bidi control, and shows the escape. The
// same content in JSON or in a pipe's CSV stays exact. The e2e and tmux tests cover the binary.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { note, type Io, type OutStream } from '../../src/io.js';
import { progressReporter } from '../../src/cli/progress.js';
import { renderStatus, type ProfileStatus } from '../../src/cli/commands/status.js';
import { resultWriter } from '../../src/deliver/results.js';
import { streamForward, type ForwardUpdate } from '../../src/deliver/updates.js';
import { renderTable } from '../../src/output/table.js';
import { writeEvents, type ListedEvent } from '../../src/output/write.js';
import type { RevisedEvent } from '../../src/store/contract.js';
import { streamPrinter } from '../../src/tail/print.js';
import { ForwardView } from '../../src/ui/forward/ForwardView.js';
import { waitFor } from '../support/cli.js';
import { HOSTILE_TYPE, HOSTILE_VALUE, RLO, unsafeIn } from '../support/hostile-text.js';

const sink = (isTTY = false) => {
  let text = '';
  const out: OutStream = { write: (s: string) => (text += s), isTTY, columns: 120 };
  return { out, text: () => text };
};
const io = (stderr: OutStream): Io => ({ stdout: sink().out, stderr, readStdin: async () => '', env: {}, signal: new AbortController().signal });
const safe = (text: string) => expect(unsafeIn(text), text).toEqual([]);

const event: RevisedEvent = {
  id: `evt_${RLO}1`,
  type: HOSTILE_TYPE,
  time: Date.parse('2026-01-15T10:30:00Z'),
  updated: Date.parse('2026-01-15T10:30:00Z'),
  object: `inv${RLO}`,
  raw: JSON.stringify({ id: `evt_${RLO}1`, type: HOSTILE_TYPE, status: HOSTILE_VALUE }),
  rev: 1,
  seen: 0,
};

describe('renderers for people escape hostile text', () => {
  it('list table, and csv on a terminal; csv in a pipe and ndjson stay exact', async () => {
    const rows: ListedEvent[] = [{ ...event, profile: `p${RLO}`, versions: 2 }];
    const table = renderTable(rows, { columns: 200, color: true, showProfile: true });
    safe(table.replace(/\x1b\[\d+m/g, ''));
    expect(table).toContain('invoice.paid\\x1b]0;PWNED\\x07\\x1b[2J ↻ 2');
    expect(table).toContain('p\\u202e');

    const tty = sink(true);
    await writeEvents(tty.out, rows, { format: 'csv', columns: 120, color: false });
    safe(tty.text());
    expect(tty.text()).toContain('evt_\\u202e1');
    const pipe = sink(false);
    await writeEvents(pipe.out, rows, { format: 'csv', columns: 120, color: false });
    expect(pipe.text()).toContain(HOSTILE_TYPE);
    const ndjson = sink(true);
    await writeEvents(ndjson.out, rows, { format: 'ndjson', columns: 120, color: false });
    expect(ndjson.text()).toBe(`${event.raw}\n`);
  });

  it('status: a last error quoting the provider', () => {
    const report: ProfileStatus = {
      profile: 'billing', provider: 'blueai', events: 3, complete: [], lastSync: '2026-01-15T10:30:00.000Z', lastOk: null,
      lastError: `400 ${HOSTILE_VALUE}`, backfill: [], providerTotal: null, clockSkewMs: null, retentionDays: null, holes: [], prunedBefore: null,
    };
    const text = renderStatus([report], Date.parse('2026-01-15T10:31:00Z'));
    safe(text);
    expect(text).toContain('failed: 400 ok\\x1b]0;PWNED\\x07');
  });

  it('replay and forward results on a terminal, and the dry run', () => {
    const out = sink(true);
    const writer = resultWriter(out.out, { table: true, color: true });
    writer.write({ id: event.id, type: event.type, profile: 'p', to: 'http://h/', status: 500, ok: false, attempts: 3, ms: 12, error: `handler: ${HOSTILE_VALUE}` });
    writer.preview({ id: event.id, type: event.type, profile: 'p', to: 'http://h/', headers: { 'x-note': HOSTILE_VALUE }, body: event.raw });
    safe(out.text().replace(/\x1b\[\d+m/g, ''));
    expect(out.text()).toContain('handler: ok\\x1b]0;PWNED');
    expect(out.text()).toContain('(invoice.paid\\x1b]0;PWNED\\x07\\x1b[2J evt_\\u202e1)');
  });

  it('tail and forward state lines, notes, progress notes and note()', () => {
    const err = sink();
    const print = streamPrinter(sink().out, err.out, { intervalMs: 1000, now: () => 0 });
    print({ kind: 'state', state: { kind: 'failing', error: HOSTILE_VALUE, retryAt: 5000 } });
    print({ kind: 'note', text: HOSTILE_TYPE });
    const forward = streamForward(resultWriter(sink().out, { table: false, color: false }), err.out);
    forward({ kind: 'note', text: HOSTILE_TYPE });
    forward({ kind: 'state', state: { kind: 'handler-failing', id: event.id, error: HOSTILE_VALUE, retryAt: Date.now() + 1000 } });
    const reporter = progressReporter(io(err.out), `sync ${RLO}`, { live: false, verbose: true });
    reporter.note(`429: ${HOSTILE_VALUE}`);
    note(io(err.out), `warning: ${HOSTILE_TYPE}`);
    safe(err.text());
    expect(err.text().split('\n').filter((l) => l.includes('\\x1b]0;PWNED'))).toHaveLength(6);
  });

  it("forward's view: the event's type and id, the handler's error and the notes", async () => {
    let listener: ((u: ForwardUpdate) => void) | undefined;
    const app = render(
      <ForwardView
        subscribe={(l) => {
          listener = l;
          return () => {};
        }}
        info={{ profile: 'p', provider: 'blueai', consumer: '', routes: 'http://h/' }}
        color={false}
        keys={false}
        control={{ togglePause: () => false, resend: () => {} }}
        onExit={() => {}}
      />,
    );
    try {
      await waitFor(() => listener !== undefined, 3000, 'the view to subscribe');
      listener!({ kind: 'sending', event, profile: 'p', to: 'http://h/' });
      listener!({ kind: 'result', event, result: { id: event.id, type: event.type, profile: 'p', to: 'http://h/', status: 500, ok: false, attempts: 1, ms: 3, error: HOSTILE_VALUE } });
      listener!({ kind: 'note', text: `note ${HOSTILE_TYPE}` });
      await waitFor(() => (app.lastFrame() ?? '').includes('note invoice.paid'), 3000, 'the note');
      const frame = app.lastFrame() ?? '';
      safe(frame);
      expect(frame).toContain('evt_\\u202e1');
      expect(frame).toContain('ok\\x1b]0;');
    } finally {
      app.unmount();
    }
  });
});
