// The real binary's `forward` and durable consumers: delivered live as a provider adds events,
// kill -9 at random moments while the handler fails now and then (every event delivered and
// acknowledged in the end, none skipped, duplicates only for deliveries in flight at a kill), two
// forwarders with one consumer, `tail --consumer` across restarts, and `events consumers`.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { cleanupAfterEach, collecting, engineHome, runEvents, waitFor } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai } from '../support/fake-blueai.js';
import { putEvents, sampleEvents, SECRETS, seededMirror } from '../support/deliver.js';
import { seededRandom } from '../support/fake-server.js';
import { ENGINES } from '../support/engines.js';
import { startReceiver } from '../support/receiver.js';
import { verifyRequest } from '../support/verify.js';

const cleanups = cleanupAfterEach();

/** A started process whose output is collected as it comes, one JSON object a line on stdout. */
function started(args: string[], env: Record<string, string>) {
  const run = collecting(args, env, cleanups);
  const lines = () => run.stdout().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...run, lines };
}

async function consumerState(db: string, name: string, profile: string) {
  const store = await openStore(db, { readonly: true });
  try {
    return { state: await store.consumer(name, profile), head: await store.headRevision(profile) };
  } finally {
    await store.close();
  }
}

describe.each(ENGINES)('forward --consumer (%s)', (engine) => {
  it('killed with SIGKILL at random moments while events arrive and the handler fails 20%: every event delivered and acknowledged, none skipped', async () => {
    const fake = await startFakeBlueai();
    const home = await engineHome(engine);
    const random = seededRandom(engine === 'sqlite' ? 7 : 11);
    // The handler fails a fifth of the requests; each answer is recorded, in request order.
    const answers: number[] = [];
    const rx = await startReceiver(() => {
      const status = random() < 0.2 ? 500 : 200;
      answers.push(status);
      return { status };
    });
    cleanups.push(() => fake.close(), home.cleanup, () => rx.close());
    const env = { EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.url, EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, SECRET: SECRETS.blueai };
    const profile = `env:blueai@${new URL(fake.url).host}`;
    fake.add(...blueaiHistory(5, Date.now() - 60_000));
    const args = ['forward', '--consumer', 'k', '--interval', '200ms', '--to', rx.url, '--secret-env', 'SECRET'];

    let n = 100;
    const added: string[] = [];
    const addSome = (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        const e = blueaiEvent(n, Date.now());
        added.push(e.id);
        fake.add(e);
      }
    };
    const okIds = () => rx.requests.filter((_, i) => answers[i] === 200).map((q) => (JSON.parse(q.body) as { id: string }).id);

    let kills = 0;
    for (let round = 0; round < 6; round++) {
      const f = started(args, env);
      await waitFor(() => /consumer "k" (is new|resumes)/.test(f.stderr()), 15_000, 'forward to start');
      const count = 2 + Math.floor(random() * 4);
      const before = rx.requests.length;
      addSome(count);
      // A random moment: after 1..count further requests (some failing), which must come: each
      // new event needs at least one.
      const target = before + 1 + Math.floor(random() * count);
      await waitFor(() => rx.requests.length >= target, 15_000, 'some deliveries');
      f.child.kill('SIGKILL');
      await f.exit;
      kills += 1;
    }
    // Events synced while no forward runs are delivered by the next one too.
    addSome(3);
    const last = started(args, env);
    await waitFor(() => added.every((id) => okIds().includes(id)), 30_000, 'every event delivered');
    await waitFor(async () => {
      const { state, head } = await consumerState(home.db, 'k', profile);
      return state?.rev === head;
    }, 10_000, 'the position to reach the head');
    last.child.kill('SIGINT');
    expect(await last.exit).toBe(130);

    const { state } = await consumerState(home.db, 'k', profile);
    expect(state?.failures).toBe(0);
    for (const q of rx.requests) verifyRequest('blueai', SECRETS.blueai, q.headers, q.body);
    // The first history (before the consumer existed) is not delivered; everything after is.
    const ok = okIds();
    expect(new Set(ok)).toEqual(new Set(added));
    // At-least-once: a repeat only for a delivery in flight at a kill (delivered, not yet acknowledged).
    expect(ok.length - new Set(ok).size).toBeLessThanOrEqual(kills);
    expect(answers.filter((a) => a === 500).length).toBeGreaterThan(0);
  }, 120_000);

  it('a second forward with the same consumer waits, then takes over when the first dies', async () => {
    const { home, env } = await seededMirror(engine, 'bem', sampleEvents('bem', 2), cleanups);
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const args = ['--profile', 'p1', 'forward', '--offline', '--consumer', 'two', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET'];
    const a = started(args, env);
    await waitFor(() => a.stderr().includes('consumer "two" is new'), 15_000, 'the first forward');
    const b = started(args, env);
    await waitFor(() => b.stderr().includes('is in use by'), 15_000, 'the second to wait');
    const first = sampleEvents('bem', 4, 100);
    await putEvents(home.db, 'bem', first);
    await waitFor(() => a.lines().length === 4, 15_000, 'the first to deliver');
    // Acknowledged too (a result is printed just before its acknowledgement is written).
    await waitFor(async () => {
      const { state, head } = await consumerState(home.db, 'two', 'p1');
      return state?.rev === head;
    }, 10_000, 'the first to acknowledge');
    expect(b.stdout()).toBe('');
    a.child.kill('SIGKILL');
    await a.exit;
    await waitFor(() => b.stderr().includes('taking over'), 15_000, 'the second to take over');
    const second = sampleEvents('bem', 3, 200);
    await putEvents(home.db, 'bem', second);
    await waitFor(() => b.lines().length === 3, 15_000, 'the second to deliver');
    expect(b.lines().map((r) => r.id)).toEqual(second.map((e) => e.eventID));
    expect(rx.requests).toHaveLength(7);
  });

  it('--skip-failed records a delivery that failed after its retries in `events consumers`, and goes on', async () => {
    const { home, env } = await seededMirror(engine, 'seam', [], cleanups);
    const rx = await startReceiver((req) => (req.body.includes('"event_id":"bad') ? { status: 500, body: 'no' } : { status: 200 }));
    cleanups.push(() => rx.close());
    const f = started(['--profile', 'p1', '--retries', '1', 'forward', '--offline', '--consumer', 'sk', '--skip-failed', '--to', rx.url, '--secret-env', 'WEBHOOK_SECRET'], env);
    await waitFor(() => f.stderr().includes('is new'), 15_000, 'forward to start');
    const [a, b] = sampleEvents('seam', 2, 40);
    await putEvents(home.db, 'seam', [a!, { ...b!, event_id: `bad-${String(b!.event_id)}` }]);
    await waitFor(() => f.lines().length === 2, 15_000, 'both outcomes');
    expect(f.lines().map((r) => [r.ok, r.attempts])).toEqual([[true, 1], [false, 2]]);
    await waitFor(async () => (await consumerState(home.db, 'sk', 'p1')).state?.failures === 1, 10_000, 'the failure recorded');
    const { state, head } = await consumerState(home.db, 'sk', 'p1');
    expect(state?.rev).toBe(head);
    expect(state?.lastError).toMatch(/^bad-.*: 500: no$/);
    f.child.kill('SIGINT');
    expect(await f.exit).toBe(130);
  });

  it('tail --consumer resumes after the last event it wrote, with no gap across restarts', async () => {
    const { home, env } = await seededMirror(engine, 'close', sampleEvents('close', 3), cleanups);
    const args = ['--profile', 'p1', 'tail', '--offline', '--consumer', 'script'];
    const t1 = started(args, env);
    await waitFor(() => t1.stderr().includes('is new'), 15_000, 'tail to start');
    const a = sampleEvents('close', 3, 10);
    await putEvents(home.db, 'close', a);
    await waitFor(() => t1.lines().length === 3, 15_000, 'three lines');
    t1.child.kill('SIGINT');
    expect(await t1.exit).toBe(130);
    // While no tail runs, a sync writes more.
    const b = sampleEvents('close', 2, 20);
    await putEvents(home.db, 'close', b);
    const t2 = started(args, env);
    await waitFor(() => t2.lines().length === 2, 15_000, 'the two written while down');
    const c = sampleEvents('close', 1, 30);
    await putEvents(home.db, 'close', c);
    await waitFor(() => t2.lines().length === 3, 15_000, 'the next one');
    expect(t1.lines()).toEqual(a);
    expect(t2.lines()).toEqual([...b, ...c]);
    t2.child.kill('SIGINT');
    await t2.exit;

    const list = await runEvents(['consumers'], env);
    expect(list.code, list.stderr).toBe(0);
    const [row] = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(row).toMatchObject({ name: 'script', profile: 'p1', behind: 0, failures: 0 });
    const reset = await runEvents(['consumers', 'reset', 'script', '--since', '1d'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const after = JSON.parse((await runEvents(['consumers'], env)).stdout) as { rev: number; behind: number };
    expect(after.rev).toBe(0);
    expect(after.behind).toBe(9);
    expect((await runEvents(['consumers', 'remove', 'script'], env)).code).toBe(0);
    expect((await runEvents(['consumers', 'remove', 'script'], env)).code).toBe(2);
    expect((await runEvents(['consumers'], env)).stdout).toBe('');
  });
});

describe('forward over several profiles', () => {
  it('--profile a,b follows each profile and signs each as its provider does', async () => {
    const { home, env } = await seededMirror('sqlite', 'bem', [], cleanups);
    await putEvents(home.db, 'seam', [], 'p2');
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    // One secret for both: each provider reads it as its own kind of key (bem: text; Svix: whsec_ base64).
    const f = started(['--profile', 'p1,p2', 'forward', '--offline', '--consumer', 'both', '--to', rx.url, '--secret-env', 'SECRET'], { ...env, SECRET: SECRETS.seam });
    await waitFor(() => (f.stderr().match(/is new/g) ?? []).length === 2, 15_000, 'both followers');
    const bem = sampleEvents('bem', 2, 60);
    const seam = sampleEvents('seam', 2, 70);
    await putEvents(home.db, 'bem', bem, 'p1');
    await putEvents(home.db, 'seam', seam, 'p2');
    await waitFor(() => f.lines().length === 4, 15_000, 'four deliveries');
    for (const q of rx.requests) verifyRequest(q.headers['svix-id'] ? 'seam' : 'bem', SECRETS.seam, q.headers, q.body);
    expect(new Set(f.lines().map((r) => r.profile))).toEqual(new Set(['p1', 'p2']));
    f.child.kill('SIGINT');
    expect(await f.exit).toBe(130);
  });
});

describe('forward refuses bad input before anything is sent', () => {
  it.each([
    [['forward', '--offline', '--to', 'mailto:x']],
    [['forward', '--offline', '--to', 'http://127.0.0.1:1/', '--exec', 'cat']],
    [['forward', '--offline', '--to', 'http://127.0.0.1:1/', '--skip-failed']],
    [['forward', '--offline', '--to', 'http://127.0.0.1:1/', '--consumer', 'no spaces']],
    [['tail', '--offline', '--consumer', 'x', '--since', '1h']],
  ])('%j: exit 2', async (args) => {
    const { run } = await seededMirror('sqlite', 'bem', sampleEvents('bem', 1), cleanups);
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
  });
});
