// `events export [filters]`: NDJSON envelopes {"profile","provider","event"} of every matching
// event, newest first, streamed in bounded batches with the pipe's back-pressure honoured, so a
// mirror of any size exports in constant memory. `events import` reads them back.
import { envelope } from '../../output/write.js';
import { filterFromFlags, providersOf, selectedProfiles, timeline, type FilterFlags } from '../filters.js';
import { note, writeDrained } from '../../io.js';
import type { Session } from '../session.js';

export async function exportCommand(session: Session, flags: FilterFlags): Promise<void> {
  const filter = filterFromFlags(flags);
  const profiles = (await selectedProfiles(session, flags)) ?? [(await session.readerConnection()).name];
  const store = await session.mirror();
  const providers = await providersOf(store, profiles);
  let n = 0;
  let chunk = '';
  for await (const e of timeline(store, filter, profiles, providers)) {
    chunk += `${envelope(e)}\n`;
    // Lines go out in chunks of about 64 KiB: one write per event costs more than the query.
    if (chunk.length >= 65_536) {
      await writeDrained(session.io.stdout, chunk);
      chunk = '';
    }
    n += 1;
  }
  if (chunk !== '') await writeDrained(session.io.stdout, chunk);
  note(session.io, `exported ${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'} of ${profiles.map((p) => `"${p}"`).join(', ')}`);
}
