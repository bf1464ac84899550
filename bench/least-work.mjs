// The least-work reference for the sync figures: the least any sync must do, and no more. The same
// page loop as `events sync` over the same bench fake (page-loop.mjs: fetch, JSON.parse), then one
// prepared better-sqlite3 INSERT of (id, text) per event into a table with only its primary key,
// all in one transaction, in this one process. Where raw-dump.mjs does the product's own work as
// SQL text (its indexes, a commit every quarter second), this is the ceiling: a sync at 1.0× of it
// would spend nothing beyond fetching and storing each event once.
//   node bench/least-work.mjs <provider> <baseUrl> <apiKey> <db file>
// Prints the number of events on stdout once they are committed.
import Database from 'better-sqlite3';
import { api, pages } from './page-loop.mjs';

const [provider, baseUrl, apiKey, file] = process.argv.slice(2);
const API = api(provider, apiKey);

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE events (id TEXT PRIMARY KEY, raw TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO events (id, raw) VALUES (?, ?)');
let count = 0;
db.exec('BEGIN');
for await (const { events } of pages(provider, baseUrl, apiKey)) {
  for (const e of events) {
    insert.run(String(API.row(e)[0]), JSON.stringify(e));
    count += 1;
  }
}
db.exec('COMMIT');
db.close();
process.stdout.write(`${count}\n`);
