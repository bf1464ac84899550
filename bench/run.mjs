// `npm run bench`: the benchmarks and their targets (README, "Benchmarks"). Runs on the built
// product (dist/) with plain node; prints a table of figures.
//   node bench/run.mjs [sync] [start] [query] [scale] [postgres] [deliver] [described]     (default: all)
// Environment: BENCH_TEN_MILLION=1 (the ten-million parts: the big sync and the big mirror of
// `scale` become 10,000,000 events; they take an hour or more), BENCH_SYNC_RUNS (default 3),
// BENCH_SYNC_BIG (1000000; 0 skips the big sync), BENCH_PROVIDERS (blueai,bem,close,seam),
// BENCH_START_RUNS (15), BENCH_QUERY_ROWS (1000000: the big mirror of `query` and `scale`),
// BENCH_QUERY_RUNS (3), BENCH_ENGINES (sqlite,postgres: the engines of `sync` and `scale`),
// BENCH_KEEP (a directory where `scale` keeps its mirrors for the next run), EVENTS_BENCH_PG (a
// PostgreSQL to use instead of a throwaway one).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMirror } from './build-mirror.mjs';
import { benchPostgres } from './pg.mjs';
import { postgresSizes, sqliteSizes } from './sizes.mjs';
import { history } from '../test/support/generators.mjs';
import { BIN, CLEAN_ENV, ROOT, childEnv, compareStarts, followUntil, load, median, rssMethod, runEvents, startFake, tempDir } from './lib.mjs';

const SYNC_RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 15);
const QUERY_ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000);
const TEN_MILLION = process.env.BENCH_TEN_MILLION === '1';
const BIG = Number(process.env.BENCH_SYNC_BIG ?? (TEN_MILLION ? 10_000_000 : 1_000_000));
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const sections = process.argv.slice(2);
const want = (s) => sections.length === 0 || sections.includes(s);

/** The env-only connection the start-up and query runs use (no config file; nothing is fetched). */
const ENV_CONN = { ...CLEAN_ENV, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'bench_key', EVENTS_BASE_URL: 'http://127.0.0.1:9' };
const ENV_PROFILE = 'env:blueai@127.0.0.1:9';

const rows = [];
const report = (what, figure, target = '', met = '') => {
  rows.push({ what, figure, target, met });
  process.stderr.write(`  ${what}: ${figure}${target ? ` (target ${target}: ${met})` : ''}\n`);
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** One sync of `count` events from a fake in its own process, into a fresh mirror (a file, or a fresh schema at `pgUrl`). */
async function syncOnce(provider, count, pgUrl, measure = false) {
  const fake = await startFake(provider, count);
  const dir = tempDir(`sync-${provider}`);
  try {
    const db = pgUrl ? `${pgUrl}?schema=bench_${process.pid}_${++schemas}` : path.join(dir, 'm.db');
    const env = { ...CLEAN_ENV, EVENTS_PROVIDER: provider, EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.baseUrl, EVENTS_DB: db };
    const r = await runEvents(['sync'], env);
    if (r.code !== 0) throw new Error(`${provider} sync exited ${r.code}: ${r.stderr}`);
    // What the synced mirror takes on disk, by part (bench/sizes.mjs).
    if (measure) r.sizes = pgUrl ? await postgresSizes(db) : await sqliteSizes(db);
    return r;
  } finally {
    fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
let schemas = 0;

/**
 * A reference script over the same fake (bench/raw-dump.mjs, bench/least-work.mjs): wall ms, or
 * undefined when it cannot run here (the raw one needs the `sqlite3` shell).
 */
async function referenceOnce(script, provider, count) {
  if (script === 'raw-dump.mjs' && !HAS_SQLITE3) return undefined;
  const fake = await startFake(provider, count);
  const dir = tempDir(`ref-${provider}`);
  try {
    const started = performance.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', script), provider, fake.baseUrl, fake.apiKey, path.join(dir, 'ref.db')], { encoding: 'utf8', env: childEnv(CLEAN_ENV) });
    const ms = performance.now() - started;
    if (r.status !== 0 || Number(r.stdout) !== count) throw new Error(`${script} ${provider} exited ${r.status} with ${r.stdout}: ${r.stderr}`);
    return ms;
  } finally {
    fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const HAS_SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

async function syncBench() {
  process.stderr.write(`sync (load ${load()}; peak RSS by ${rssMethod}; median of ${SYNC_RUNS}; the runs of one provider take turns)\n`);
  if (!HAS_SQLITE3) process.stderr.write('  no `sqlite3` shell on PATH (Debian package sqlite3): the same-work raw reference is skipped\n');
  const onSqlite = ENGINES.includes('sqlite');
  const pg = ENGINES.includes('postgres') ? await benchPostgres() : { missing: 'not in BENCH_ENGINES' };
  if (pg.missing) process.stderr.write(`  PostgreSQL figures skipped: ${pg.missing}\n`);
  const all = { blueai: 100, bem: 100, close: 50, seam: 500 };
  const only = process.env.BENCH_PROVIDERS?.split(',');
  const pages = Object.fromEntries(Object.entries(all).filter(([p]) => !only || only.includes(p)));
  const N = 100_000;
  // Every 100k BlueAI sync (peak RSS, wall ms), per engine: the big sync is held to them.
  const hundredK = { sqlite: [], postgres: [] };
  try {
    for (const provider of Object.keys(pages)) {
      const least = [];
      const raw = [];
      const lite = [];
      const post = [];
      for (let i = 0; i < SYNC_RUNS; i++) {
        least.push(await referenceOnce('least-work.mjs', provider, N));
        if (onSqlite) raw.push(await referenceOnce('raw-dump.mjs', provider, N));
        if (onSqlite) lite.push(await syncOnce(provider, N, undefined, i === 0));
        if (pg.url) post.push(await syncOnce(provider, N, pg.url, i === 0));
      }
      if (provider === 'blueai') {
        hundredK.sqlite.push(...lite);
        hundredK.postgres.push(...post);
      }
      const leastMs = median(least);
      const rawMs = HAS_SQLITE3 && onSqlite ? median(raw) : undefined;
      const rate = (ms) => `${fmt(N / (ms / 1000))} events/s (${(ms / 1000).toFixed(1)} s)`;
      // Each sync as a fraction of the least work's speed (1.0×: no cost beyond fetching and one
      // plain insert per event), and of the same-work raw reference's.
      const vs = (ms) => ` = ${(leastMs / ms).toFixed(2)}× least work${rawMs === undefined ? '' : `, ${(rawMs / ms).toFixed(2)}× the raw reference`}`;
      const label = `sync 100k ${provider} (${pages[provider]}/page)`;
      report(`least-work reference, ${provider}: page loop + JSON.parse + one plain insert per event (primary key only), one transaction`, rate(leastMs));
      if (rawMs !== undefined) report(`same-work raw reference, ${provider}: page loop + \`sqlite3\` shell in a second process (the mirror's indexes, a commit per 250 ms)`, `${rate(rawMs)} = ${(leastMs / rawMs).toFixed(2)}× least work`);
      const blue = provider === 'blueai';
      const liteMs = onSqlite ? median(lite.map((r) => r.ms)) : undefined;
      if (liteMs !== undefined) report(`${label}, SQLite file`, rate(liteMs) + vs(liteMs), blue ? '≥ 0.75× least work' : '', blue ? (leastMs / liteMs >= 0.75 ? 'yes' : 'no') : '');
      if (pg.url) {
        const pgMs = median(post.map((r) => r.ms));
        const vsLite = liteMs === undefined ? '' : ` = ${(liteMs / pgMs).toFixed(2)}× SQLite`;
        const target = blue && liteMs !== undefined ? '≥ 0.9× SQLite' : '';
        report(`${label}, PostgreSQL (loopback)`, `${rate(pgMs)}${vs(pgMs)}${vsLite}`, target, target ? (liteMs / pgMs >= 0.9 ? 'yes' : 'no') : '');
      }
      // Bytes per event on disk after the first sync of each engine, beside the same events as NDJSON.
      const ndjson = history(provider, N).reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0);
      for (const [engine, r] of [['SQLite', lite[0]], ['PostgreSQL', post[0]]]) {
        if (!r) continue;
        const { parts, detail } = r.sizes;
        const total = Object.values(parts).reduce((a, b) => a + b, 0) - (parts.toast ?? 0);
        const per = (bytes) => Math.round(bytes / N);
        const of = Object.entries(parts).filter(([, b]) => b > 0).map(([k, b]) => `${k} ${per(b)}`).join(', ');
        const indexes = detail.map((d) => `${d.name} ${per(d.bytes)}`).join(', ');
        report(`bytes per event on disk after the 100k ${provider} sync, ${engine}`, `${per(total)} B = ${(total / ndjson).toFixed(2)}× the NDJSON (${per(ndjson)} B): ${of}; indexes: ${indexes}`, engine === 'SQLite' && blue ? '< 2×' : '', engine === 'SQLite' && blue ? (total / ndjson < 2 ? 'yes' : 'no') : '');
      }
      report(`peak RSS of the 100k ${provider} sync (SQLite / PostgreSQL)`, `${lite.length ? Math.max(...lite.map((r) => r.rssMb)).toFixed(0) : '–'} / ${post.length ? Math.max(...post.map((r) => r.rssMb)).toFixed(0) : '–'} MB`, '< 150 MB', Math.max(...lite.map((r) => r.rssMb), ...post.map((r) => r.rssMb)) < 150 ? 'yes' : 'no');
    }
    if (BIG > 0) {
      process.stderr.write(`sync of ${fmt(BIG)} BlueAI events (one run each engine; load ${load()})\n`);
      // "No growth": the big peak within 10 % of the highest 100k peak of the same run (one 100k
      // peak alone varies by 20 % from run to run: 115-140 MB here), and its events/s within 10 %
      // of the median 100k rate.
      const grown = (label, smalls, big) => {
        const rss = smalls.map((r) => r.rssMb);
        const range = `${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB (${smalls.length} runs)`;
        report(`peak RSS, BlueAI sync into ${label}, 100k → ${fmt(BIG)} events`, `${range} → ${big.rssMb.toFixed(0)} MB`, '≤ 100k peak + 10 %, < 150 MB', big.rssMb < 150 && big.rssMb <= Math.max(...rss) * 1.1 ? 'yes' : 'no');
        const small = N / (median(smalls.map((r) => r.ms)) / 1000);
        const large = BIG / (big.ms / 1000);
        report(`events/s, BlueAI sync into ${label}, 100k → ${fmt(BIG)} events`, `${fmt(small)} → ${fmt(large)} events/s = ${(large / small).toFixed(2)}× (${(big.ms / 60000).toFixed(1)} min)`, '≥ 0.9×', large >= small * 0.9 ? 'yes' : 'no');
      };
      // One more 100k run beside the big one, so a change of load shows in both.
      if (onSqlite) {
        hundredK.sqlite.push(await syncOnce('blueai', N));
        grown('SQLite', hundredK.sqlite, await syncOnce('blueai', BIG));
      }
      if (pg.url) {
        hundredK.postgres.push(await syncOnce('blueai', N, pg.url));
        grown('PostgreSQL', hundredK.postgres, await syncOnce('blueai', BIG, pg.url));
      }
    }
  } finally {
    await pg.stop?.();
  }
}

/**
 * What a command loads, from one traced run (bench/trace.mjs): the bundle (dist/events.cjs), and
 * the packages it loads from node_modules at run time (those bundled into it are not listed).
 */
function loadedBy(args, env) {
  const trace = path.join(os.tmpdir(), `events-bench-trace-${process.pid}`);
  fs.rmSync(trace, { force: true });
  const hooks = path.join(ROOT, 'bench', 'trace.mjs');
  compareStarts([{ argv: [process.execPath, '--import', hooks, BIN, ...args], env: { ...env, EVENTS_BENCH_TRACE: trace } }], 0);
  const files = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  fs.rmSync(trace, { force: true });
  const names = files.map((f) => (f.endsWith(`${path.sep}dist${path.sep}events.cjs`) ? 'dist/events.cjs' : /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]));
  return [...new Set(names.filter(Boolean))].sort();
}

async function startBench() {
  const dir = tempDir('start');
  try {
    const envDb = path.join(dir, 'env.db');
    const savedDb = path.join(dir, 'saved.db');
    await buildMirror(envDb, [ENV_PROFILE], 100_000);
    await buildMirror(savedDb, ['bench'], 100_000);
    const configDir = path.join(dir, 'config');
    fs.mkdirSync(configDir);
    const profiles = { default: 'bench', profiles: { bench: { provider: 'blueai', baseUrl: 'http://127.0.0.1:9', apiKey: 'bench_key' } } };
    fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(profiles), { mode: 0o600 });

    const list = ['list', '--offline', '--limit', '20'];
    const commands = [
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'], env: CLEAN_ENV },
      { name: 'events --help', args: ['--help'], env: CLEAN_ENV },
      { name: 'events list --offline --limit 20 (env connection, 100k mirror)', args: list, env: { ...ENV_CONN, EVENTS_DB: envDb } },
      { name: 'events list --offline --limit 20 (saved profile, 100k mirror)', args: list, env: { ...CLEAN_ENV, EVENTS_CONFIG_DIR: configDir, EVENTS_DB: savedDb } },
    ].map((c) => ({ ...c, argv: c.argv ?? [process.execPath, BIN, ...c.args] }));
    process.stderr.write(`start-up (load ${load()}; median of ${START_RUNS} after a warm-up, commands taking turns)\n`);
    const times = compareStarts(commands, START_RUNS);
    const bare = times[0];
    report('bare `node -e 0`', `${fmt(bare)} ms`);
    commands.slice(1).forEach((c, i) => {
      const ratio = times[i + 1] / bare;
      const loaded = loadedBy(c.args, c.env).join(', ') || 'nothing (the help the build saved)';
      // The start-up targets: --help within 1.3× of bare node, list --offline within 1.5×.
      const target = c.args[0] === '--help' ? 1.3 : 1.5;
      report(`\`${c.name}\``, `${fmt(times[i + 1])} ms = ${ratio.toFixed(2)}× node; loads: ${loaded}`, `≤ ${target}×`, ratio <= target ? 'yes' : 'no');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function queryBench() {
  const dir = tempDir('query');
  try {
    const db = path.join(dir, 'big.db');
    process.stderr.write(`query: building a ${fmt(QUERY_ROWS)}-event mirror…\n`);
    const started = performance.now();
    await buildMirror(db, [ENV_PROFILE], QUERY_ROWS);
    const buildS = (performance.now() - started) / 1000;
    report(`build a ${fmt(QUERY_ROWS)}-event mirror through src/store (one transaction)`, `${buildS.toFixed(1)} s (${fmt(QUERY_ROWS / buildS)} rows/s)`);
    const env = { ...ENV_CONN, EVENTS_DB: db };
    const base = ['list', '--offline', '--limit', '20'];
    const commands = [
      { name: `list --offline --limit 20`, argv: [process.execPath, BIN, ...base], env },
      { name: `list --offline --where data.status=paid --limit 20`, argv: [process.execPath, BIN, ...base, '--where', 'data.status=paid'], env },
      { name: `list --offline --type 'invoice.*' --limit 20`, argv: [process.execPath, BIN, ...base, '--type', 'invoice.*'], env },
    ];
    process.stderr.write(`query (load ${load()}; median of 5 after a warm-up)\n`);
    const times = compareStarts(commands, 5);
    commands.forEach((c, i) => report(`\`${c.name}\` on ${fmt(QUERY_ROWS)} events`, `${fmt(times[i])} ms`));

    // Streams: every event of the mirror out, each in flat memory.
    process.stderr.write(`streams (load ${load()}; one run each)\n`);
    const streamed = (what, ms, rssMb) =>
      report(`${what}, ${fmt(QUERY_ROWS)} events`, `${(ms / 1000).toFixed(1)} s (${fmt((QUERY_ROWS / ms) * 1000)} events/s), peak RSS ${Math.round(rssMb)} MB`, '< 150 MB', rssMb < 150 ? 'yes' : 'no');
    for (const args of [['export'], ['list', '--offline', '--all']]) {
      const r = await runEvents(args, env);
      if (r.code !== 0) throw new Error(`events ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      streamed(`\`${args.join(' ')}\` to /dev/null`, r.ms, r.rssMb);
    }
    const replay = await followUntil(['tail', '--offline', '--since', '30d'], env, QUERY_ROWS);
    streamed('`tail --offline --since 30d` into a pipe, until its replay is printed', replay.ms, replay.rssMb);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.stderr.write(`events benchmarks: ${os.cpus().length} cores, Node ${process.version}\n`);
if (want('sync')) await syncBench();
if (want('start')) await startBench();
if (want('query')) await queryBench();
if (want('scale')) await (await import('./query.mjs')).queryBench(report, ENGINES);
if (want('postgres')) await (await import('./postgres.mjs')).postgresBench(report);
if (want('deliver')) await (await import('./deliver.mjs')).deliverBench(report);
if (want('described')) await (await import('./described.mjs')).describedBench(report);

process.stdout.write(`\nMachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load ${load()}\n\n`);
process.stdout.write('| what | figure | target | met? |\n|---|---|---|---|\n');
for (const r of rows) process.stdout.write(`| ${r.what} | ${r.figure} | ${r.target} | ${r.met} |\n`);
