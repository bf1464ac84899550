// Builds a mirror of `count` BlueAI events for the query and start-up benchmarks, straight through
// the product's store contract (dist/), in large batches: a sync of a million events over HTTP
// would take minutes and measure something else. `location` is a file or a postgres:// URL.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, withText } from './lib.mjs';
import { blueaiEvent } from '../test/support/generators.mjs';

const dist = (file) => import(pathToFileURL(path.join(ROOT, 'dist', file)).href);

/** Writes `count` events (one second apart, the newest now) under each of `profiles` into `location`. */
export async function buildMirror(location, profiles, count) {
  const [{ openStore }, { blueai }] = await Promise.all([dist('store/open.js'), dist('providers/blueai.js')]);
  const store = await openStore(location);
  const end = Date.now();
  const CHUNK = 5_000;
  try {
    for (let from = 0; from < count; from += CHUNK) {
      // Generated a chunk at a time, so a million events never sit in memory at once.
      const rows = [];
      for (let n = from; n < Math.min(count, from + CHUNK); n++) rows.push(withText(blueai.normalize(blueaiEvent(n, end - (count - 1 - n) * 1000))));
      for (const profile of profiles) await store.putEvents(profile, 'blueai', rows);
    }
    for (const profile of profiles) await store.addCoverage(profile, { lo: null, hi: end });
    return await Promise.all(profiles.map((p) => store.countEvents(p)));
  } finally {
    await store.close();
  }
}

/**
 * Opens the mirror at `location` once, so a kept one takes this version's migrations before it is
 * timed; how many events `profiles` hold in it.
 */
export async function upgradeMirror(location, profiles) {
  const { openStore } = await dist('store/open.js');
  const store = await openStore(location);
  try {
    return await Promise.all(profiles.map((p) => store.countEvents(p)));
  } finally {
    await store.close();
  }
}
