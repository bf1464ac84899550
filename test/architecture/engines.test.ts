// The store engines are twins (docs/architecture.md, "The store contract and its engines"): every
// folder under src/store/ is an engine with the same file for each job, src/store/open.ts lists
// each one, and SQL stays inside the engines' folders. A new engine is its folder plus one line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';

const SRC = resolve(__dirname, '../../src');
const STORE = join(SRC, 'store');

/** The jobs every engine has a file for; engine-only helpers (a connection, a statement cache) may sit beside them. */
const JOBS = ['open', 'store', 'migrations', 'upgrade', 'commit', 'query', 'history', 'search', 'state', 'consumers', 'prune', 'watch', 'locks'];

const engines = readdirSync(STORE, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const filesOf = (engine: string) => readdirSync(join(STORE, engine)).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

// A statement as SQL text: the verbs with what follows them in a statement, upper case as written.
const SQL = /\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|FUNCTION))/;

describe('store engines', () => {
  it('are the folders the tests run on, each with a file for every job', () => {
    expect(engines.sort()).toEqual([...ENGINES].sort());
    for (const engine of engines) expect({ engine, missing: JOBS.filter((job) => !filesOf(engine).includes(job)) }).toEqual({ engine, missing: [] });
  });

  it('are each opened by one line of src/store/open.ts', () => {
    const open = readFileSync(join(STORE, 'open.ts'), 'utf8');
    for (const engine of engines) expect(open.split('\n').filter((line) => line.includes(`import('./${engine}/open.js')`))).toHaveLength(1);
  });

  it('keep every SQL statement inside their folders', () => {
    const outside = sources(SRC)
      .filter((file) => !engines.some((engine) => file.startsWith(join(STORE, engine) + '/')))
      .filter((file) => SQL.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(outside).toEqual([]);
  });

  it('tell SQL from prose', () => {
    expect(SQL.test("db.prepare('SELECT seq FROM events')")).toBe(true);
    expect(SQL.test('`DELETE FROM walks WHERE profile = ?`')).toBe(true);
    expect(SQL.test("'INSERT OR IGNORE INTO versions'")).toBe(true);
    expect(SQL.test('// a sync may update the mirror; select a profile with --profile')).toBe(false);
  });

  it('leave no file in src/ over 250 lines', () => {
    const long = sources(SRC)
      .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 250);
    expect(long).toEqual([]);
  });
});
