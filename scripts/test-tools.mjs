// Where the test run's system tools live. Debian keeps PostgreSQL's server tools out of PATH
// (/usr/lib/postgresql/<major>/bin) and PgBouncer in /usr/sbin, which a non-root PATH may lack.
// Shared by the throwaway cluster (pg-cluster.mjs), the pooler tests and the check `npm test`
// runs first (test-prereqs.mjs). `root` re-roots the fixed locations (the check's own test).
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The directory holding initdb and pg_ctl, newest major first; undefined when there is none. */
export function findPostgresBinDir({ root = '/', PATH = process.env.PATH } = {}) {
  const lib = path.join(root, 'usr/lib/postgresql');
  const majors = existsSync(lib) ? readdirSync(lib).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dirs = [...majors.map((v) => path.join(lib, v, 'bin')), ...searchPath(PATH)];
  return dirs.find((d) => executable(path.join(d, 'initdb')) && executable(path.join(d, 'pg_ctl')));
}

/** The pgbouncer binary (PATH, then /usr/sbin); undefined when there is none. */
export function findPgbouncer({ root = '/', PATH = process.env.PATH } = {}) {
  return findBinary('pgbouncer', [...searchPath(PATH), path.join(root, 'usr/sbin')]);
}

/** The tmux binary in PATH; undefined when there is none. */
export function findTmux({ PATH = process.env.PATH } = {}) {
  return findBinary('tmux', searchPath(PATH));
}

export function findBinary(name, dirs) {
  return dirs.map((d) => path.join(d, name)).find(executable);
}

function searchPath(PATH) {
  return (PATH ?? '').split(path.delimiter).filter(Boolean);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
