// PostgreSQL for tests: the run's server (pg-setup.ts) and a fresh schema per mirror, so tests
// and workers never see each other's rows and need no server of their own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type {} from './pg-setup.js'; // declares the provided keys

/** The run's server, as a superuser URL (no `schema`). Throws why it is missing. */
export function pgUrl(): string {
  const url = inject('pgUrl');
  if (!url) throw new Error(`no test PostgreSQL: ${inject('pgError') || 'vitest ran without test/support/pg-setup.ts'}`);
  return url;
}

/** true when the server is the run's own (the `secretive` role and its pg_hba line exist). */
export function pgManaged(): boolean {
  return inject('pgManaged');
}

export interface PgMirror {
  url: string; // postgres://…/db?schema=NAME, the form `--db` takes
  schema: string;
  drop(): Promise<void>;
}

/** A mirror URL selecting a new, not yet created schema; drop() removes it (and everything in it). */
export async function freshPgMirror(): Promise<PgMirror> {
  const schema = `t_${process.pid}_${randomBytes(5).toString('hex')}`;
  const u = new URL(pgUrl());
  u.searchParams.set('schema', schema);
  const url = u.toString();
  return {
    url,
    schema,
    drop: () => withPg(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => {}),
  };
}

/** Splits our `?schema=` off a mirror URL, as the engine does before connecting. */
export function splitMirrorUrl(url: string): { connectionString: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'events';
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema };
}

/** Runs `fn` on a short-lived client of a mirror URL (or a plain server URL). */
export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: splitMirrorUrl(url).connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
