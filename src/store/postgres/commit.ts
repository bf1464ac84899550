// Writing events: every write (a walk's pages, `get` storing one, a copy's versions) is one call
// of the schema's commit_page function, one round trip however many rows, atomic on its own.
// The rows travel as JSON arrays, one per column; the raw texts are spliced in unescaped, so the
// server neither unescapes nor re-validates them per row and stores them byte for byte.
import type { EventRow } from '../../providers/types.js';
import type { Change, PageCommit, StoredEvent, Walk } from '../contract.js';
import { refusedRows, type Warn } from './refused.js';
import type { Session } from './session.js';

/** A row as commit_page takes it: a stored event, raw as JSON text; seen null means "now". */
type Row = StoredEvent & { seen: number | null };

const CHANGE: Record<string, Change> = { n: 'new', u: 'updated', s: 'same' };

/** Commits a walk's pages and position; what each row of each page did. */
export async function commitPages(session: Session, commit: PageCommit): Promise<Change[][]> {
  // Serialise everything before the round trip: a row that cannot be written fails the whole
  // commit here, before anything reaches the server.
  const rows = commit.pages.flatMap((page) => page.rows.map(fromEventRow));
  const walk = walkParam(commit.walk, commit.done);
  const flat = await callKeeping(session, commit.profile, commit.provider, rows, walk, commit.remoteTotal ?? null, commit.warn);
  let at = 0;
  return commit.pages.map((page) => flat.slice(at, (at += page.rows.length)));
}

/** Upserts rows outside a walk (`get`): the same rules and change log. */
export async function putRows(session: Session, profile: string, provider: string, rows: EventRow[], warn?: Warn): Promise<Change[]> {
  return callKeeping(session, profile, provider, rows.map(fromEventRow), null, null, warn);
}

/** Upserts versions from another mirror, each keeping the time it was first seen. */
export async function importRows(session: Session, profile: string, provider: string, versions: Array<StoredEvent & { seen: number }>): Promise<Change[]> {
  return call(session, profile, provider, versions.map((v) => ({ ...v, seen: v.seen })), null, null);
}

/** The row as stored: the event's text as the provider served it, never re-serialised. */
function fromEventRow(row: EventRow): Row {
  return { id: row.id, type: row.type, time: row.time, updated: row.updated, object: row.object, raw: row.text, seen: null };
}

/**
 * commit_page; when the server refuses the batch for what some rows hold (nesting past its stack,
 * a limit of its types), those rows are found, named through `warn`, and the batch is committed
 * without them: every other event of the page is kept. Without `warn`, the refusal is thrown.
 */
async function callKeeping(session: Session, profile: string, provider: string, rows: Row[], walk: string | null, total: number | null, warn: Warn | undefined): Promise<Change[]> {
  try {
    return await call(session, profile, provider, rows, walk, total);
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
    if (!warn || !/^(22|54)/.test(code)) throw err;
    const refused = await refusedRows(session, rows.map((r) => r.raw));
    if (refused.size === 0) throw err;
    for (const [i, why] of refused) warn(`warning: event ${JSON.stringify(rows[i]!.id)} could not be stored: PostgreSQL refuses it (${why}); the other events were stored`);
    const kept = rows.filter((_, i) => !refused.has(i));
    // Again the same way: a row refused for another reason is found on the next round.
    const changes = await callKeeping(session, profile, provider, kept, walk, total, warn);
    let at = 0;
    // A refused row changed nothing in the mirror.
    return rows.map((_, i) => (refused.has(i) ? 'same' : changes[at++]!));
  }
}

function walkParam(walk: Walk, done: boolean): string {
  return JSON.stringify({
    id: walk.walkId,
    done,
    floor: walk.floor,
    upper: walk.upper,
    next: walk.next,
    reached: walk.reached,
    pages: walk.pages,
    fetched: walk.fetched,
  });
}

async function call(session: Session, profile: string, provider: string, rows: Row[], walk: string | null, total: number | null): Promise<Change[]> {
  const column = <K extends keyof Row>(key: K) => JSON.stringify(rows.map((r) => r[key]));
  const result = await session.one<{ r: string }>(
    `SELECT commit_page($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)::text AS r`,
    [
      profile,
      provider,
      Date.now(),
      column('id'),
      column('type'),
      column('time'),
      column('updated'),
      column('object'),
      `[${rows.map((r) => r.raw).join(',')}]`,
      column('seen'),
      walk,
      total,
    ],
  );
  const { changes, pid } = JSON.parse(result.r) as { changes: string; rev: number; pid: number };
  // The commit is in; a pid that moved still means a pooler, and the sync must stop.
  session.checkPid(pid);
  return [...changes].map((c) => CHANGE[c]!);
}
