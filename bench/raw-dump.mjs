// The raw reference for the sync figures: the same page loop as `events sync` (one provider's
// list API walked newest first from a bench fake), with none of the product around it, writing
// through the `sqlite3` shell in a second process. The shell gets the mirror's events table and
// indexes, the same pragmas (WAL, synchronous=NORMAL) and one transaction per quarter second of
// pages, as the product commits; this process only fetches, parses and prints SQL, so fetching
// and writing run on two cores. `1.0×` in the README means "as fast as this script".
//   node bench/raw-dump.mjs <provider> <baseUrl> <apiKey> <db file>
// Exits 0 once sqlite3 has written everything; prints the number of events on stdout.
import { spawn } from 'node:child_process';
import { api, pages } from './page-loop.mjs';

const [provider, baseUrl, apiKey, file] = process.argv.slice(2);

const SCHEMA = `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
  time INTEGER NOT NULL, updated INTEGER NOT NULL, object TEXT, raw TEXT NOT NULL,
  rev INTEGER NOT NULL DEFAULT 0, seen INTEGER NOT NULL DEFAULT 0, UNIQUE (profile_id, id));
CREATE INDEX IF NOT EXISTS events_by_time ON events (profile_id, time DESC);
CREATE INDEX IF NOT EXISTS events_by_type ON events (profile_id, type, time DESC);
CREATE INDEX IF NOT EXISTS events_by_object ON events (profile_id, object, time DESC);
CREATE INDEX IF NOT EXISTS events_by_rev ON events (profile_id, rev);
`;

const API = api(provider, apiKey);

const quote = (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);

const sqlite = spawn('sqlite3', [file], { stdio: ['pipe', 'ignore', 'inherit'] });
const exited = new Promise((resolve, reject) => {
  sqlite.on('error', reject);
  sqlite.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sqlite3 exited ${code}`))));
});
/** Writes to the shell, waiting when its pipe is full (the writer sets the pace, as in the product). */
const write = (text) => (sqlite.stdin.write(text) ? undefined : new Promise((r) => sqlite.stdin.once('drain', r)));

await write(SCHEMA);
let count = 0;
let rev = 0;
let batch = [];
let lastCommit = Date.now();
const commit = async () => {
  if (batch.length === 0) return;
  const text = `BEGIN;\n${batch.join('')}COMMIT;\n`;
  batch = [];
  lastCommit = Date.now();
  await write(text);
};
for await (const { events, seen, last } of pages(provider, baseUrl, apiKey)) {
  for (const e of events) {
    const [id, type, time, object] = API.row(e);
    rev += 1;
    batch.push(
      `INSERT INTO events (profile_id, id, type, time, updated, object, raw, rev, seen) VALUES (1, ${quote(id)}, ${quote(type)}, ${time}, ${time}, ${quote(object)}, ${quote(JSON.stringify(e))}, ${rev}, ${seen}) ON CONFLICT (profile_id, id) DO UPDATE SET raw = excluded.raw, rev = excluded.rev;\n`,
    );
    count += 1;
  }
  if (last || Date.now() - lastCommit >= 250) await commit();
}
await commit();
sqlite.stdin.end();
await exited;
process.stdout.write(`${count}\n`);
