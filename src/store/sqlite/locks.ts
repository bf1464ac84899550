// Named locks across the processes of one machine (`sync:PROFILE`, `consumer:NAME:PROFILE`): a
// row in `locks` (its `profile` column holds the lock's name) names the process that holds it. A
// lock whose process is gone (kill -9) is taken over; a live one makes the caller wait or skip.
import type { LockAttempt } from '../contract.js';
import type { Db } from './open.js';

/** Locks this process holds, per mirror file: a second store on the same file must see them busy. */
const heldHere = new Map<string, Set<string>>();

export class Locks {
  /** Keys this store holds, released when it closes. */
  private readonly mine = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly file: string,
  ) {}

  async tryLock(key: string): Promise<LockAttempt> {
    const here = heldHere.get(this.file) ?? new Set<string>();
    heldHere.set(this.file, here);
    if (here.has(key)) return { ok: false, holder: `pid ${process.pid} (this process)` };
    const got = tryLock(this.db, key);
    if (!got.ok) return { ok: false, holder: `pid ${got.holder}` };
    here.add(key);
    this.mine.add(key);
    return { ok: true, lock: { release: async () => this.release(key) } };
  }

  /** Releases every lock this store holds (before its connection closes). */
  releaseAll(): void {
    for (const key of [...this.mine]) this.release(key);
  }

  private release(key: string): void {
    if (!this.mine.delete(key)) return;
    heldHere.get(this.file)?.delete(key);
    if (this.db.open) unlock(this.db, key);
  }
}

/** Tries to take the lock for this process; returns the holder's pid if it is busy. */
function tryLock(db: Db, key: string, pid: number = process.pid): { ok: true } | { ok: false; holder: number } {
  return db
    .transaction(() => {
      const held = db.prepare<[string], { pid: number }>('SELECT pid FROM locks WHERE profile = ?').get(key);
      if (held && held.pid !== pid && isAlive(held.pid)) return { ok: false as const, holder: held.pid };
      db.prepare('INSERT OR REPLACE INTO locks (profile, pid, since) VALUES (?, ?, ?)').run(key, pid, Date.now());
      return { ok: true as const };
    })
    .immediate();
}

/** Releases the lock if this process holds it. */
function unlock(db: Db, key: string, pid: number = process.pid): void {
  db.prepare('DELETE FROM locks WHERE profile = ? AND pid = ?').run(key, pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}
