// The test PostgreSQL itself: reachable, real, schema-per-mirror URLs work, and password auth is on
// for the role the "wrong password" tests use.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPgMirror, pgManaged, pgUrl, splitMirrorUrl, withPg, type PgMirror } from '../support/pg.js';
import { mirrorFor } from '../support/engines.js';
import { SECRETIVE_PASSWORD, SECRETIVE_ROLE } from '../support/pg-server.js';

const mirrors: PgMirror[] = [];
afterEach(async () => {
  await Promise.all(mirrors.splice(0).map((m) => m.drop()));
});

describe('test PostgreSQL', () => {
  it('is a real PostgreSQL server', async () => {
    const { version, superuser } = await withPg(pgUrl(), async (c) => (await c.query(`SELECT version(), current_setting('is_superuser') = 'on' AS superuser`)).rows[0]);
    expect(version).toMatch(/^PostgreSQL \d+/);
    expect(superuser).toBe(true);
  });

  it('hands out a fresh schema per mirror URL, which round-trips and drops', async () => {
    const a = await freshPgMirror();
    const b = await freshPgMirror();
    mirrors.push(a, b);
    expect(a.schema).not.toBe(b.schema);
    expect(new URL(a.url).searchParams.get('schema')).toBe(a.schema);
    const split = splitMirrorUrl(a.url);
    expect(split.schema).toBe(a.schema);
    expect(split.connectionString).not.toContain('schema=');

    await withPg(a.url, async (c) => {
      await c.query(`CREATE SCHEMA "${a.schema}"`);
      await c.query(`SET search_path = "${a.schema}"`);
      await c.query(`CREATE TABLE t (id text PRIMARY KEY, raw json NOT NULL)`);
      await c.query(`INSERT INTO t VALUES ($1, $2)`, ['evt_1', '{"a": 1.50}']);
    });
    // A new connection, selecting the schema the URL names, sees the row byte for byte.
    const rows = await withPg(a.url, async (c) => (await c.query(`SELECT id, raw::text FROM "${splitMirrorUrl(a.url).schema}".t`)).rows);
    expect(rows).toEqual([{ id: 'evt_1', raw: '{"a": 1.50}' }]);
    // b's schema is untouched by a.
    const exists = (s: string) => withPg(pgUrl(), async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [s])).rows[0].n);
    expect(await exists(b.schema)).toBe(0);

    await a.drop();
    expect(await exists(a.schema)).toBe(0);
    await a.drop(); // idempotent
  });

  it('mirrorFor gives a SQLite path or a schema URL', async () => {
    expect(await mirrorFor('sqlite', '/tmp/x')).toBe('/tmp/x/mirror.db');
    const url = await mirrorFor('postgres', '/tmp/x');
    expect(url).toMatch(/^postgres:\/\/.*\?schema=t_\d+_[0-9a-f]{10}$/);
  });

  it.runIf(pgManaged())('refuses a wrong password (28P01) and accepts the right one', async () => {
    const server = new URL(pgUrl());
    const as = (password: string) => new pg.Client({ host: server.hostname, port: Number(server.port), database: 'postgres', user: SECRETIVE_ROLE, password });

    const wrong = as('not-the-password');
    await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
    await wrong.end().catch(() => {});

    const right = as(SECRETIVE_PASSWORD);
    await right.connect();
    try {
      const { rows } = await right.query(`SELECT current_user AS who, has_database_privilege('postgres', 'CREATE') AS can_create`);
      expect(rows[0]).toEqual({ who: SECRETIVE_ROLE, can_create: true });
    } finally {
      await right.end();
    }
  });
});
