// Builds a mirror of `count` BlueAI events for the query and start-up benchmarks, straight through
// the product's store functions (dist/), in one transaction: a sync of a million events over HTTP
// would take minutes and measure something else.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';
import { blueaiEvent } from './events.mjs';

const dist = (file) => import(pathToFileURL(path.join(ROOT, 'dist', file)).href);

/** Writes `count` events (one second apart, the newest now) under each of `profiles` into `file`. */
export async function buildMirror(file, profiles, count) {
  const [{ openMirror }, { upsertEvents, countEvents }, { blueai }, { addCoverage }] = await Promise.all([
    dist('store/db.js'),
    dist('store/events.js'),
    dist('providers/blueai.js'),
    dist('store/sync-state.js'),
  ]);
  const db = openMirror(file);
  const end = Date.now();
  const CHUNK = 5_000;
  db.transaction(() => {
    for (let from = 0; from < count; from += CHUNK) {
      // Generated a chunk at a time, so a million events never sit in memory at once.
      const rows = [];
      for (let n = from; n < Math.min(count, from + CHUNK); n++) rows.push(blueai.normalize(blueaiEvent(n, end - (count - 1 - n) * 1000)));
      for (const profile of profiles) upsertEvents(db, profile, rows);
    }
    for (const profile of profiles) addCoverage(db, profile, { lo: null, hi: end });
  })();
  const held = profiles.map((p) => countEvents(db, p));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return held;
}
