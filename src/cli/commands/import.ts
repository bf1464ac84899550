// `events import [FILE]`: NDJSON into the mirror, from a file or stdin: envelopes
// {"profile","provider","event"} (what `export` writes), or raw events for the selected profile
// (`--profile`). Upserted in batches under the sync's rules (newer wins, replaced versions kept, a
// revision each), never marking coverage: a sync still walks what it did not walk itself. A
// malformed line stops the import with its number; the lines before it are kept.
import fs from 'node:fs';
import { EventsError, UsageError } from '../../errors.js';
import { textRow } from '../../providers/event-text.js';
import { valueSpan } from '../../providers/json-spans.js';
import { providerNamed } from '../../providers/registry.js';
import type { EventRow, JsonObject } from '../../providers/types.js';
import type { Change } from '../../store/contract.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

const BATCH = 1000;

interface Counts {
  new: number;
  updated: number;
  same: number;
}

export async function importCommand(session: Session, file: string | undefined): Promise<void> {
  const { io } = session;
  const store = await session.mirror();
  const known = new Map((await store.readMeta()).map((m) => [m.profile, m.provider]));
  // Raw events go to the selected profile; looked up only when a raw line comes.
  let rawTarget: { profile: string; provider: string } | undefined;
  const target = async () => {
    if (!rawTarget) {
      if (session.options.profile === undefined && !io.env.EVENTS_PROFILE && !io.env.EVENTS_PROVIDER) {
        throw new UsageError('a line holds a raw event, not an envelope: name the profile it belongs to with --profile');
      }
      const conn = await session.readerConnection();
      rawTarget = { profile: conn.name, provider: conn.provider.name };
    }
    return rawTarget;
  };
  const counts = new Map<string, Counts>();
  const pending = new Map<string, { provider: string; rows: EventRow[] }>();
  const flush = async () => {
    for (const [profile, { provider, rows }] of pending) {
      const changes: Change[] = await store.putEvents(profile, provider, rows, (line) => note(io, `${where}: ${line}`));
      const c = counts.get(profile) ?? { new: 0, updated: 0, same: 0 };
      for (const ch of changes) c[ch] += 1;
      counts.set(profile, c);
    }
    pending.clear();
  };
  let lineNo = 0;
  let inBatch = 0;
  const where = file ?? 'stdin';
  try {
    for await (const line of lines(session, file)) {
      lineNo += 1;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        throw new EventsError(`${where} line ${lineNo}: not JSON (${(err as Error).message})`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EventsError(`${where} line ${lineNo}: not a JSON object`);
      const obj = parsed as JsonObject;
      let profile: string;
      let providerName: string;
      let raw: JsonObject;
      // The event's own text, kept as the line holds it: an envelope's "event" member, or the line.
      let path: string[] = [];
      if ('event' in obj && 'profile' in obj) {
        if (typeof obj.profile !== 'string' || obj.profile === '' || typeof obj.event !== 'object' || obj.event === null || Array.isArray(obj.event)) {
          throw new EventsError(`${where} line ${lineNo}: an envelope needs a "profile" name and an "event" object`);
        }
        profile = obj.profile;
        providerName = typeof obj.provider === 'string' && obj.provider !== '' ? obj.provider : (known.get(profile) ?? '');
        raw = obj.event as JsonObject;
        path = ['event'];
      } else {
        ({ profile, provider: providerName } = await target());
        raw = obj;
      }
      const provider = providerNamed(providerName, session.io.env);
      if (!provider) throw new EventsError(`${where} line ${lineNo}: unknown provider "${providerName}" for profile "${profile}"`);
      const held = known.get(profile);
      if (held && held !== provider.name) throw new EventsError(`${where} line ${lineNo}: profile "${profile}" holds ${held} events, not ${provider.name}`);
      known.set(profile, provider.name);
      const span = valueSpan(line, path);
      if (!span) throw new EventsError(`${where} line ${lineNo}: the event's text could not be found in the line`);
      let row: EventRow;
      try {
        row = textRow(provider, raw, span, (text) => note(io, `${where} line ${lineNo}: ${text}`));
      } catch (err) {
        throw new EventsError(`${where} line ${lineNo}: not a ${provider.name} event (${(err as Error).message})`);
      }
      const batch = pending.get(profile) ?? { provider: provider.name, rows: [] };
      batch.rows.push(row);
      pending.set(profile, batch);
      if (++inBatch >= BATCH) {
        await flush();
        inBatch = 0;
      }
    }
  } finally {
    // The lines before a bad one are kept, and the counts say what they did.
    await flush();
    report(session, counts);
  }
}

function report(session: Session, counts: Map<string, Counts>): void {
  const total = { new: 0, updated: 0, same: 0 };
  for (const c of counts.values()) for (const k of ['new', 'updated', 'same'] as const) total[k] += c[k];
  const n = total.new + total.updated + total.same;
  const per = [...counts].map(([p, c]) => `${p}: ${c.new} new, ${c.updated} updated, ${c.same} unchanged`).join('; ');
  note(session.io, `imported ${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'}: ${total.new} new, ${total.updated} updated, ${total.same} unchanged${counts.size > 1 ? ` (${per})` : ''}`);
}

/** The input's lines, streamed: a file, else stdin. */
async function* lines(session: Session, file: string | undefined): AsyncGenerator<string> {
  let source: AsyncIterable<string | Buffer> | Iterable<string>;
  if (file !== undefined && file !== '-') {
    if (!fs.existsSync(file)) throw new UsageError(`no file "${file}" to import`);
    source = fs.createReadStream(file);
  } else if (session.io.stdinChunks) source = session.io.stdinChunks();
  else source = [await session.io.readStdin()];
  let rest = '';
  const decoder = new TextDecoder();
  for await (const chunk of source) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const parts = rest.split('\n');
    rest = parts.pop()!;
    for (const line of parts) yield line.replace(/\r$/, '');
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
