// The shared-mirror benchmarks (`npm run bench postgres`), each figure beside the SQLite one of the
// same run (the sync of each provider into PostgreSQL is in the `sync` section):
//  - `list --offline --limit 20` and a `--where` query on a 1,000,000-event mirror;
//  - the time from a commit to a `tail --offline` reader printing the event.
// Environment: BENCH_PG_ROWS (default 1000000), EVENTS_BENCH_PG (a PostgreSQL to use).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMirror } from './build-mirror.mjs';
import { benchPostgres } from './pg.mjs';
import { blueaiEvent } from '../test/support/generators.mjs';
import { BIN, childEnv, CLEAN_ENV, compareStarts, load, median, ROOT, tempDir, withText } from './lib.mjs';

const ROWS = Number(process.env.BENCH_PG_ROWS ?? 1_000_000);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

export async function postgresBench(report) {
  const server = await benchPostgres();
  if (server.missing) return void process.stderr.write(`postgres: skipped: ${server.missing}\n`);
  const dir = tempDir('postgres');
  let schemas = 0;
  const pgMirror = () => `${server.url}${server.url.includes('?') ? '&' : '?'}schema=bench_${process.pid}_${++schemas}`;
  try {
    await queryFigures(report, dir, pgMirror);
    await latencyFigures(report, dir, pgMirror);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The list queries of the start-up bench on a million events, on both engines. */
async function queryFigures(report, dir, pgMirror) {
  const profile = 'env:blueai@127.0.0.1:9';
  const env = { ...CLEAN_ENV, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'bench_key', EVENTS_BASE_URL: 'http://127.0.0.1:9' };
  const mirrors = { sqlite: path.join(dir, 'big.db'), postgres: pgMirror() };
  for (const [engine, db] of Object.entries(mirrors)) {
    process.stderr.write(`postgres: building a ${fmt(ROWS)}-event ${engine} mirror…\n`);
    const started = performance.now();
    await buildMirror(db, [profile], ROWS);
    const s = (performance.now() - started) / 1000;
    report(`build a ${fmt(ROWS)}-event ${engine} mirror through the store contract (5,000-row commits)`, `${s.toFixed(1)} s (${fmt(ROWS / s)} rows/s)`);
  }
  const base = ['list', '--offline', '--limit', '20'];
  const queries = [
    { name: 'list --offline --limit 20', args: base },
    { name: 'list --offline --where data.status=paid --limit 20', args: [...base, '--where', 'data.status=paid'] },
  ];
  const commands = queries.flatMap((q) =>
    Object.entries(mirrors).map(([engine, db]) => ({ name: `\`${q.name}\` on ${fmt(ROWS)} events, ${engine}`, argv: [process.execPath, BIN, ...q.args], env: { ...env, EVENTS_DB: db } })),
  );
  process.stderr.write(`postgres: queries (load ${load()}; median of 5 after a warm-up)\n`);
  const times = compareStarts(commands, 5);
  commands.forEach((c, i) => report(c.name, `${fmt(times[i])} ms`));
}

/** From a commit (in this process, through the store) to a `tail --offline` process printing it. */
async function latencyFigures(report, dir, pgMirror) {
  const { openStore } = await import(pathToFileURL(path.join(ROOT, 'dist', 'store', 'open.js')).href);
  const { blueai } = await import(pathToFileURL(path.join(ROOT, 'dist', 'providers', 'blueai.js')).href);
  for (const [engine, db] of [['sqlite', path.join(dir, 'tail.db')], ['postgres', pgMirror()]]) {
    const profile = 'bench';
    const store = await openStore(db);
    await store.putEvents(profile, 'blueai', [withText(blueai.normalize(blueaiEvent(0, Date.now())))]);
    const env = { ...CLEAN_ENV, EVENTS_DB: db, EVENTS_CONFIG_DIR: path.join(dir, 'no-config'), EVENTS_PROFILE: profile };
    const tail = spawn(process.execPath, [BIN, 'tail', '--offline'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const seen = new Map();
    let partial = '';
    tail.stdout.on('data', (d) => {
      partial += d;
      const lines = partial.split('\n');
      partial = lines.pop();
      for (const l of lines) if (l) seen.set(JSON.parse(l).id, performance.now());
    });
    let stderr = '';
    tail.stderr.on('data', (d) => (stderr += d));
    await until(() => stderr.includes('following the mirror'), 15_000, `tail --offline on ${engine} to go live: ${stderr}`);
    const latencies = [];
    for (let n = 1; n <= 20; n++) {
      const event = blueaiEvent(n, Date.now());
      await store.putEvents(profile, 'blueai', [withText(blueai.normalize(event))]);
      const committed = performance.now();
      await until(() => seen.has(event.id), 5_000, `event ${n} on the ${engine} tail`);
      latencies.push(seen.get(event.id) - committed);
    }
    tail.kill('SIGINT');
    await store.close();
    const max = Math.max(...latencies);
    report(`commit → \`tail --offline\` prints it, ${engine} (median / max of 20)`, `${fmt(median(latencies))} / ${fmt(max)} ms`, '< 1,000 ms', max < 1000 ? 'yes' : 'no');
  }
}

async function until(predicate, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
