// The store engines every test that covers them runs on, in one list: a suite takes its engines
// from ENGINES (describe.each), so a new engine is one more entry here.
import path from 'node:path';
import { freshPgMirror } from './pg.js';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** `--db` for a test: a SQLite file in `dir`, or a fresh schema on the run's server. */
export async function mirrorFor(engine: Engine, dir: string): Promise<string> {
  return engine === 'sqlite' ? path.join(dir, 'mirror.db') : (await freshPgMirror()).url;
}
