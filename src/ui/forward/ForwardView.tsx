// forward's view on a terminal: a header with what is followed and the state (live, catching up,
// rate-limited, handler failing, retrying in Ns), one line per delivery (route, status, latency;
// failures in red), and keys: ↑/↓ select, r resend the selected event, p pause, q quit.
import { Box, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { DeliveryResult } from '../../deliver/deliver.js';
import { describeForward, type ForwardState, type ForwardUpdate } from '../../deliver/updates.js';
import type { RevisedEvent } from '../../store/contract.js';
import { sanitize } from '../../output/sanitize.js';

export interface ForwardInfo {
  profile: string;
  provider: string;
  consumer: string;
  routes: string;
}

export interface ForwardControl {
  /** Returns whether deliveries are now paused. */
  togglePause(): boolean;
  resend(event: RevisedEvent, profile: string): void;
}

export interface ForwardViewProps {
  subscribe(listener: (u: ForwardUpdate) => void): () => void;
  info: ForwardInfo;
  color: boolean;
  keys: boolean;
  control: ForwardControl;
  onExit(how: 'quit' | 'interrupt'): void;
}

interface Row {
  key: number;
  event: RevisedEvent;
  profile: string;
  to: string;
  result?: DeliveryResult;
  at: number;
}

/** Rows kept: enough to scroll back through, bounded for a view left running for days. */
const KEEP = 500;

export function ForwardView({ subscribe, info, color, keys, control, onExit }: ForwardViewProps) {
  const [rows, setRows] = useState<Row[]>([]);
  const [state, setState] = useState<ForwardState>({ kind: 'starting' });
  const [note, setNote] = useState('');
  const [counts, setCounts] = useState({ ok: 0, failed: 0 });
  const [selected, setSelected] = useState<number | null>(null);
  const [paused, setPaused] = useState(false);
  const [now, setNow] = useState(Date.now());
  const seq = useRef(0);
  const { stdout } = useStdout();

  useEffect(
    () =>
      subscribe((u) => {
        if (u.kind === 'state') setState(u.state);
        else if (u.kind === 'note') setNote(u.text);
        else if (u.kind === 'sending') {
          const row: Row = { key: seq.current++, event: u.event, profile: u.profile, to: u.to, at: Date.now() };
          setRows((r) => [...r, row].slice(-KEEP));
        } else {
          setCounts((c) => (u.result.ok ? { ...c, ok: c.ok + 1 } : { ...c, failed: c.failed + 1 }));
          setRows((r) => {
            const i = r.findLastIndex((x) => x.event.id === u.event.id && !x.result);
            if (i < 0) return r;
            const next = r.slice();
            next[i] = { ...r[i]!, result: u.result };
            return next;
          });
        }
      }),
    [subscribe],
  );
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Keys read the latest selection: several keys can arrive before React renders again.
  const selectedRef = useRef<number | null>(null);
  const select = (next: number | null) => {
    selectedRef.current = next;
    setSelected(next);
  };
  useInput(
    (input, key) => {
      const s = selectedRef.current;
      if (key.ctrl && input === 'c') return onExit('interrupt');
      if (input === 'q') return onExit('quit');
      if (input === 'p') return setPaused(control.togglePause());
      if (key.upArrow) return select(Math.max(0, (s ?? rows.length) - 1));
      if (key.downArrow) return select(s === null || s + 1 >= rows.length ? null : s + 1);
      if (key.escape) return select(null);
      if (input === 'r') {
        const row = rows[s ?? rows.length - 1];
        if (row) control.resend(row.event, row.profile);
      }
    },
    { isActive: keys },
  );

  const height = Math.max(3, (stdout.rows || 24) - 5);
  const end = selected === null ? rows.length : Math.min(rows.length, Math.max(selected + 1, height));
  const shown = rows.slice(Math.max(0, end - height), end);
  // The type column is as wide as the longest type on screen, so the ids after it line up.
  const typeWidth = Math.min(40, Math.max(0, ...shown.map((row) => sanitize(row.event.type).length)));
  const failing = state.kind === 'handler-failing' || state.kind === 'sync-failing';
  const stateColor = !color ? undefined : failing ? 'red' : state.kind === 'rate-limited' || state.kind === 'catching-up' ? 'yellow' : 'green';
  const what = sanitize([info.profile, info.provider, info.consumer && `consumer ${info.consumer}`, `→ ${info.routes}`].filter(Boolean).join(' · '));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>events forward</Text> {what}
      </Text>
      <Text wrap="truncate-end">
        <Text color={stateColor}>● </Text>
        {paused ? 'paused (p resumes) · ' : ''}
        {sanitize(describeForward(state, now))}
        {note ? `  ·  ${sanitize(note)}` : ''}
      </Text>
      {shown.length === 0 ? <Text dimColor>waiting for new events…</Text> : null}
      {shown.map((row) => {
        const r = row.result;
        const status = r ? String(r.status ?? 'error') : '…';
        const mark = rows.indexOf(row) === selected ? '›' : ' ';
        return (
          <Text key={row.key} wrap="truncate-end" inverse={mark === '›'}>
            {mark} {new Date(row.at).toISOString().slice(11, 19)}{' '}
            <Text color={color ? (r ? (r.ok ? 'green' : 'red') : 'yellow') : undefined}>{status.padEnd(5)}</Text>
            {r ? `${String(r.ms).padStart(5)}ms ${`×${r.attempts}`.padEnd(3)}` : '    sending'}  {sanitize(row.event.type).padEnd(typeWidth)}  {sanitize(row.event.id)}  {sanitize(row.to)}
            {r?.error ? <Text color={color ? 'red' : undefined}>  {sanitize(r.error)}</Text> : null}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate-end">
        {counts.ok} delivered · {counts.failed} failed · ↑/↓ select · r resend · p {paused ? 'resume' : 'pause'} · q quit
      </Text>
    </Box>
  );
}
