// The sync's writer thread (see writer.ts): its own connection to the mirror's file, which the
// main connection opened and migrated already, committing the batches it is sent one at a time,
// in order, with the same code as the main thread's (commit.ts). Built into dist/sqlite-writer.cjs.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MirrorError } from '../../errors.js';
import { commitRows } from './commit.js';
import { connectionPragmas, rareCheckpoints } from './pragmas.js';
import { packChanges, unpackRows, type FromWriter, type ToWriter, type WriterData } from './writer-wire.js';

const { file, busyTimeoutMs } = workerData as WriterData;
const port = parentPort!;
let db: Database.Database | undefined;

port.on('message', (message: ToWriter) => {
  if ('close' in message) {
    db?.close();
    port.close();
    return;
  }
  let reply: FromWriter;
  try {
    // Opened at the first commit, so an error opening it reaches that commit's caller. Never
    // created, never migrated: the main connection did both.
    db ??= open();
    reply = { changes: packChanges(commitRows(db, message.commit, unpackRows(message))) };
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string };
    reply = { error: { mirror: err instanceof MirrorError, name: e.name ?? 'Error', message: e.message ?? String(err), code: e.code } };
  }
  port.postMessage(reply);
});

function open(): Database.Database {
  const opened = new Database(file, { fileMustExist: true, timeout: busyTimeoutMs });
  opened.pragma('journal_mode = WAL');
  connectionPragmas(opened);
  rareCheckpoints(opened);
  return opened;
}
