// `npm run bench`: the benchmarks and their targets (README, "Benchmarks"). Runs on the built
// product (dist/) with plain node; prints a table of figures.
//   node bench/run.mjs [sync] [start] [query]     (default: all three)
// Environment: BENCH_SYNC_RUNS (default 3), BENCH_START_RUNS (15), BENCH_QUERY_ROWS (1000000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMirror } from './build-mirror.mjs';
import { BIN, ROOT, compareStarts, load, median, rssMethod, runEvents, startFake, tempDir } from './lib.mjs';

const SYNC_RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 15);
const QUERY_ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000);
const sections = process.argv.slice(2);
const want = (s) => sections.length === 0 || sections.includes(s);

/** Every EVENTS_* variable blanked, so the caller's own setup never leaks into a figure. */
const CLEAN_ENV = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('EVENTS_')).map((k) => [k, '']));
/** The env-only connection the start-up and query runs use (no config file; nothing is fetched). */
const ENV_CONN = { ...CLEAN_ENV, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'bench_key', EVENTS_BASE_URL: 'http://127.0.0.1:9' };
const ENV_PROFILE = 'env:blueai@127.0.0.1:9';

const rows = [];
const report = (what, figure, target = '', met = '') => {
  rows.push({ what, figure, target, met });
  process.stderr.write(`  ${what}: ${figure}${target ? ` (target ${target}: ${met})` : ''}\n`);
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** One sync of `count` events from a fake in its own process, into a fresh mirror. */
async function syncOnce(provider, count) {
  const fake = await startFake(provider, count);
  const dir = tempDir(`sync-${provider}`);
  try {
    const env = { ...CLEAN_ENV, EVENTS_PROVIDER: provider, EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.baseUrl, EVENTS_DB: path.join(dir, 'm.db') };
    const r = await runEvents(['sync'], env);
    if (r.code !== 0) throw new Error(`${provider} sync exited ${r.code}: ${r.stderr}`);
    return r;
  } finally {
    fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function syncBench() {
  process.stderr.write(`sync (load ${load()}; peak RSS by ${rssMethod}; median of ${SYNC_RUNS})\n`);
  const pages = { blueai: 100, bem: 100, close: 50, seam: 500 };
  for (const provider of Object.keys(pages)) {
    const runs = [];
    for (let i = 0; i < SYNC_RUNS; i++) runs.push(await syncOnce(provider, 100_000));
    const ms = median(runs.map((r) => r.ms));
    const rate = 100_000 / (ms / 1000);
    const rss = Math.max(...runs.map((r) => r.rssMb));
    const target = provider === 'blueai' ? '≥ 25,000/s' : '';
    report(`sync 100k ${provider} (${pages[provider]}/page)`, `${fmt(rate)} events/s (${(ms / 1000).toFixed(1)} s)`, target, target ? (rate >= 25_000 ? 'yes' : 'no') : '');
    const small = [];
    for (let i = 0; i < SYNC_RUNS; i++) small.push(await syncOnce(provider, 20_000));
    const smallRss = Math.max(...small.map((r) => r.rssMb));
    report(`peak RSS ${provider}, 20k → 100k events`, `${smallRss.toFixed(0)} → ${rss.toFixed(0)} MB`, '< 150 MB', rss < 150 ? 'yes' : 'no');
  }
}

/** The packages (node_modules) a command loads, from one traced run. */
function packagesLoaded(args, env) {
  const trace = path.join(os.tmpdir(), `events-bench-trace-${process.pid}`);
  fs.rmSync(trace, { force: true });
  const hooks = path.join(ROOT, 'bench', 'trace.mjs');
  compareStarts([{ argv: [process.execPath, '--import', hooks, BIN, ...args], env: { ...env, EVENTS_BENCH_TRACE: trace } }], 0);
  const urls = fs.readFileSync(trace, 'utf8').split('\n');
  fs.rmSync(trace, { force: true });
  const names = urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter(Boolean);
  return [...new Set(names)].sort();
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
      const loaded = packagesLoaded(c.args, c.env).join(', ') || 'none';
      report(`\`${c.name}\``, `${fmt(times[i + 1])} ms = ${ratio.toFixed(2)}× node; packages: ${loaded}`, '≤ 1.3×', ratio <= 1.3 ? 'yes' : 'no');
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
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.stderr.write(`events benchmarks: ${os.cpus().length} cores, Node ${process.version}\n`);
if (want('sync')) await syncBench();
if (want('start')) await startBench();
if (want('query')) await queryBench();

process.stdout.write(`\nMachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load ${load()}\n\n`);
process.stdout.write('| what | figure | target | met? |\n|---|---|---|---|\n');
for (const r of rows) process.stdout.write(`| ${r.what} | ${r.figure} | ${r.target} | ${r.met} |\n`);
