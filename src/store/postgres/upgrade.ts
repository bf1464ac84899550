// Finding, creating and upgrading the mirror's schema. A schema that holds tables but is not an
// events mirror is refused untouched, as is one written by a newer version. Migrations run in one
// transaction under an advisory lock of their own, so two first runs at once are safe: the second
// waits, looks again and finds the work done. Readers never create or migrate.
import { MirrorError } from '../../errors.js';
import { upgradeNote } from '../upgrade-note.js';
import { channelOf, quoteIdent } from './sql.js';
import { migrations } from './migrations.js';
import type { Session } from './session.js';

interface SchemaState {
  encoding: string;
  exists: boolean;
  relations: number;
  /** The recorded version; undefined without a schema_version table, 'foreign' if it is not ours. */
  version: number | 'foreign' | undefined;
}

/** Makes `session` work in the mirror's schema, creating or upgrading it unless `readonly`. */
export async function prepareSchema(session: Session, readonly: boolean, onUpgrade?: (line: string) => void): Promise<void> {
  const steps = migrations(channelOf(session.target.schema));
  const state = await inspect(session);
  if (decide(session, state, steps.length, readonly) === 'ready') return;
  await session.query('BEGIN');
  try {
    await session.query(`SELECT pg_advisory_xact_lock(hashtextextended('events.migrate:' || $1, 0))`, [session.target.schema]);
    // Again under the lock: another process may have created or upgraded it meanwhile.
    const now = await inspect(session);
    if (decide(session, now, steps.length, readonly) === 'migrate') {
      if (!now.exists) await session.query(`CREATE SCHEMA ${quoteIdent(session.target.schema)}`);
      const from = typeof now.version === 'number' ? now.version : 0;
      if (from > 0) onUpgrade?.(upgradeNote(session.target.display, from, steps.length));
      for (const sql of steps.slice(from)) await session.query(sql);
      await session.query(
        `INSERT INTO schema_version (app, version) VALUES ('events', $1) ON CONFLICT (app) DO UPDATE SET version = excluded.version`,
        [steps.length],
      );
    }
    await session.query('COMMIT');
  } catch (err) {
    await session.query('ROLLBACK').catch(() => {});
    if ((err as { cause?: { code?: string } }).cause?.code === '42501') {
      throw new MirrorError(
        `user "${session.target.user}" may not create the mirror's schema "${session.target.schema}" in ${session.target.display}: ` +
          'grant it CREATE on the database (or the schema), or run the first `events sync` as a user who may',
        { cause: err },
      );
    }
    throw err;
  }
}

/** What the schema holds (on the session's own server process: a pooler would be refused here). */
async function inspect(session: Session): Promise<SchemaState> {
  const { schema } = session.target;
  const row = await session.one<{ pid: number; encoding: string; exists: boolean; relations: number; versioned: boolean }>(
    `SELECT pg_backend_pid() AS pid, current_setting('server_encoding') AS encoding, n.oid IS NOT NULL AS exists,
            (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS relations,
            to_regclass($2) IS NOT NULL AS versioned
       FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1`,
    [schema, `${quoteIdent(schema)}.schema_version`],
  );
  session.checkPid(row.pid);
  let version: SchemaState['version'];
  if (row.versioned) {
    try {
      const v = await session.query<{ version: number }>(`SELECT version FROM schema_version WHERE app = 'events'`);
      version = v[0]?.version ?? 'foreign';
    } catch (err) {
      // A schema_version table of another tool (other columns); any other failure is itself.
      if ((err as { cause?: { code?: string } }).cause?.code !== '42703') throw err;
      version = 'foreign';
    }
  }
  return { encoding: row.encoding, exists: row.exists, relations: row.relations, version };
}

function decide(session: Session, state: SchemaState, latest: number, readonly: boolean): 'ready' | 'migrate' {
  const { display, schema, database } = session.target;
  if (state.encoding !== 'UTF8') {
    throw new MirrorError(`the database "${database}" in ${display} uses encoding ${state.encoding}; an events mirror needs a UTF8 database`);
  }
  if (state.version === 'foreign' || (state.version === undefined && state.relations > 0)) {
    throw new MirrorError(`schema "${schema}" in ${display} holds tables that are not an events mirror; pick another with ?schema=NAME`);
  }
  if (state.version !== undefined && state.version > latest) {
    throw new MirrorError(`the mirror in ${display} was written by a newer version of events (schema ${state.version}); upgrade events`);
  }
  if (state.version === latest) return 'ready';
  if (readonly) {
    if (state.version === undefined) throw new MirrorError(`no mirror at ${display} yet — run \`events sync\` first`);
    throw new MirrorError(`the mirror in ${display} needs an upgrade; run \`events sync\` once`);
  }
  return 'migrate';
}
