// The steps of the kill -9 scenario, shared by the built-in providers' suite (kills.test.ts) and
// the described ones' (test/described/faults.test.ts): a sync killed after some list requests,
// leaving a sound mirror of served events only; new and late events added between runs; a
// complete run that must equal the server's truth.
import { expect } from 'vitest';
import { finished, inspectMirror, runEvents, startEvents, waitFor } from '../support/cli.js';
import { sortedEntries, type Fake } from './providers.js';

export function killSteps(fake: Fake, env: Record<string, string>, db: string, rnd: () => number) {
  /** Starts a sync and kills it once the fake has received `after` more list requests; true when it was killed. */
  const killAfter = async (after: number, what: string): Promise<boolean> => {
    const before = fake.listRequests();
    const child = startEvents(['sync'], env);
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    await waitFor(() => exited || fake.listRequests() >= before + after, 20_000, `${what}: ${after} list requests`);
    child.kill('SIGKILL');
    const r = await done;
    // A run short enough to end before the kill is fine too; it must then have succeeded.
    if (r.signal !== 'SIGKILL') expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    const mirror = await inspectMirror(db);
    expect(mirror.integrity, what).toBe('ok');
    expect(mirror.rows, what).toBe(mirror.distinct);
    for (const id of mirror.events.keys()) expect(fake.truth().has(id), `${what}: ${id} is served`).toBe(true);
    return r.signal === 'SIGKILL';
  };
  /** A few new events and a few late ones inside the overlap. */
  const change = () => {
    fake.addNew(3 + Math.floor(rnd() * 8));
    fake.addLate(1 + Math.floor(rnd() * 3), 30_000 + Math.floor(rnd() * 90_000));
  };
  /** A sync left to finish: the mirror is sound and equals the truth. */
  const complete = async (what: string) => {
    const r = await runEvents(['sync'], env);
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    const mirror = await inspectMirror(db);
    expect(mirror.integrity).toBe('ok');
    expect(mirror.rows).toBe(mirror.distinct);
    expect(sortedEntries(mirror.events), what).toEqual(sortedEntries(fake.truth()));
  };
  return { killAfter, change, complete };
}
