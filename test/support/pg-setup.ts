// vitest globalSetup: one throwaway PostgreSQL for the whole run, shared by every worker through
// provide/inject (test/support/pg.ts). A machine without PostgreSQL still runs the SQLite tests:
// the start error is handed over, and only tests that ask for the server fail, with that message.
import type { TestProject } from 'vitest/node';
import { startPostgres } from './pg-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string; // '' when the server could not be started
    pgManaged: boolean; // ours (roles and pg_hba known) vs $EVENTS_TEST_PG
    pgError: string; // why pgUrl is ''
  }
}

export default async function setup(project: TestProject) {
  try {
    const server = await startPostgres();
    project.provide('pgUrl', server.url);
    project.provide('pgManaged', server.managed);
    project.provide('pgError', '');
    return () => server.stop();
  } catch (e) {
    project.provide('pgUrl', '');
    project.provide('pgManaged', false);
    project.provide('pgError', (e as Error).message);
    return undefined;
  }
}
