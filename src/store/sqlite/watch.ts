// Following another process's commits to a SQLite mirror (tail --offline): the file's WAL changes
// on every commit, so an fs watch on its directory wakes us at once; SQLite's data_version (which
// moves only when another connection commits) tells a real commit from noise. A poll of the same
// counter covers file systems where watching does not work.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open.js';

const POLL_MS = 500;

export function watchFile(db: Db, file: string, onChange: () => void): { close(): Promise<void> } {
  const version = () => db.pragma('data_version', { simple: true }) as number;
  let last = version();
  const check = () => {
    if (!db.open) return;
    const now = version();
    if (now === last) return;
    last = now;
    onChange();
  };
  const base = path.basename(file);
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), (_event, name) => {
      if (name === null || name.startsWith(base)) check();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined; // the poll alone will do
  }
  const timer = setInterval(check, POLL_MS);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      watcher?.close();
    },
  };
}
