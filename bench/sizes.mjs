// Bytes on disk per event, by part, for both engines (bench/query.mjs): the events table, the
// kept versions, the search index and the other indexes, beside the same events as NDJSON.
import Database from 'better-sqlite3';
import pg from 'pg';

/** SQLite: dbstat (compiled into better-sqlite3) sums each b-tree's pages; the file's free pages are counted too. */
export async function sqliteSizes(file) {
  const db = new Database(file, { readonly: true });
  try {
    const parts = { events: 0, versions: 0, search: 0, indexes: 0, free: 0 };
    for (const { name, bytes } of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all()) {
      if (name === 'events') parts.events += bytes;
      else if (name === 'versions') parts.versions += bytes;
      else if (name.startsWith('events_fts')) parts.search += bytes;
      else parts.indexes += bytes;
    }
    parts.free = db.pragma('freelist_count', { simple: true }) * db.pragma('page_size', { simple: true });
    const detail = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'events_by%' OR name LIKE 'sqlite_autoindex_events%' GROUP BY name ORDER BY bytes DESC").all();
    return { parts, detail };
  } finally {
    db.close();
  }
}

/**
 * PostgreSQL: each relation's pages (pg_relation_size, its TOAST with pg_total_relation_size).
 * The search index is the search_index table (a tsvector per event) with its key and GIN index.
 */
export async function postgresSizes(url) {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`SET search_path = "${schema}"`);
    const rels = (await client.query(
      `SELECT c.relname AS name, c.relkind AS kind, i.indrelid::regclass::text AS of,
              pg_relation_size(c.oid)::bigint AS main, coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::bigint AS toast
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'i')`,
      [schema],
    )).rows;
    const parts = { events: 0, versions: 0, search: 0, indexes: 0, toast: 0 };
    for (const r of rels) {
      const bytes = Number(r.main) + Number(r.toast);
      if (r.name === 'events') parts.events += bytes;
      else if (r.name === 'versions') parts.versions += bytes;
      else if (r.name === 'search_index' || r.of === 'search_index') parts.search += bytes;
      else if (r.kind === 'i' && (r.of === 'events' || r.of === 'versions')) parts.indexes += bytes;
      parts.toast += r.name === 'events' ? Number(r.toast) : 0;
    }
    const detail = rels.filter((r) => r.kind === 'i' && r.of === 'events').map((r) => ({ name: r.name, bytes: Number(r.main) })).sort((a, b) => b.bytes - a.bytes);
    return { parts, detail };
  } finally {
    await client.end();
  }
}
