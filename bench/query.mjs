// Query figures on a big mirror (the figures that must hold at ten million events), both engines. One mirror of
// 100,000 events and one of BENCH_QUERY_ROWS (default 1,000,000), each over two profiles, built
// once per engine and kept for every part:
//  - each everyday query, whole process with its output in a pipe, on the big mirror beside the
//    small one (target: within 1.5×); a rare word with --search (within 1 s) and stats --by type
//    over the whole mirror (within 2 s);
//  - bytes on disk per event by part (events, versions, search index, other indexes) beside the
//    same events as NDJSON (target on SQLite: under 2×);
//  - the search, stats and export figures: full text, stats, export (wall time and peak RSS).
//   node bench/query.mjs [sqlite] [postgres]   (default: both; PostgreSQL: EVENTS_BENCH_PG=postgres://…,
//   else a throwaway server). BENCH_QUERY_ROWS sets the big mirror's size (BENCH_TEN_MILLION=1:
//   10,000,000), BENCH_QUERY_RUNS the timed rounds (default 3, after a warm-up); BENCH_KEEP=DIR
//   keeps the mirrors there (PostgreSQL's as schemas of $EVENTS_BENCH_PG) and uses them again on
//   the next run. run.mjs runs it as its `scale` section.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMirror, upgradeMirror } from './build-mirror.mjs';
import { blueaiEvent } from '../test/support/generators.mjs';
import { benchPostgres } from './pg.mjs';
import { BIN, CLEAN_ENV, compareStarts, load, runEvents, tempDir } from './lib.mjs';
import { postgresSizes, sqliteSizes } from './sizes.mjs';

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? (process.env.BENCH_TEN_MILLION === '1' ? 10_000_000 : 1_000_000));
const KEEP = process.env.BENCH_KEEP;
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 3);
const SMALL = 100_000;
const PROFILES = ['a', 'b'];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const iso = (ms) => new Date(ms).toISOString();

/**
 * Builds a mirror of `rows` events over the two profiles; the time its newest event has. With
 * `kept` (a file in $BENCH_KEEP), a mirror a run built before is used again: its newest time is
 * in that file, written once the build is whole.
 */
export async function build(report, engine, db, rows, kept) {
  if (kept && fs.existsSync(kept)) {
    const { end } = JSON.parse(fs.readFileSync(kept, 'utf8'));
    const started = performance.now();
    // Not the mirror that was kept (another server at the same address, a file removed): build it again.
    const held = (await upgradeMirror(db, PROFILES)).reduce((a, b) => a + b, 0);
    if (held === rows) {
      report(`${engine}: ${fmt(rows)} events (2 profiles), kept from an earlier run`, `opened (and upgraded) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return end;
    }
  }
  process.stderr.write(`query (${engine}): building a ${fmt(rows)}-event mirror over two profiles…\n`);
  const end = Date.now();
  const started = performance.now();
  await buildMirror(db, PROFILES, rows / PROFILES.length);
  const s = (performance.now() - started) / 1000;
  report(`${engine}: build ${fmt(rows)} events (2 profiles) through the store`, `${s.toFixed(1)} s (${fmt(rows / s)} rows/s)`);
  if (kept) fs.writeFileSync(kept, JSON.stringify({ end }));
  return end;
}

/** The everyday queries on a mirror of `rows` events whose newest is at `end`. */
function everyday(db, rows, end) {
  const perProfile = rows / PROFILES.length;
  const middle = end - (perProfile / 2) * 1000;
  const env = { ...CLEAN_ENV, EVENTS_DB: db };
  const list = ['list', '--offline', '--limit', '20'];
  const cmd = (args) => ({ argv: [process.execPath, BIN, ...args], env });
  return {
    'list --offline --limit 20': cmd([...list, '-p', 'a']),
    "list --offline --limit 20 --type 'invoice.*'": cmd([...list, '-p', 'a', '--type', 'invoice.*']),
    'list --offline --limit 20 --object customer_5': cmd([...list, '-p', 'a', '--object', 'customer_5']),
    'list --offline --limit 20 --since/--until (an hour in the middle)': cmd([...list, '-p', 'a', '--since', iso(middle - 1_800_000), '--until', iso(middle + 1_800_000)]),
    'list --offline --limit 20 --where data.status=paid': cmd([...list, '-p', 'a', '--where', 'data.status=paid']),
    'list --offline --limit 20 --all-profiles': cmd([...list, '--all-profiles']),
    'get ID --offline (an event in the middle)': cmd(['get', blueaiEvent(Math.floor(perProfile / 2), middle).id, '--offline', '-p', 'a']),
    status: cmd(['status']),
  };
}

/** Runs every part on a small and a big mirror at `location(name)` (a file, or a URL with its own schema). */
async function figures(report, engine, location) {
  const small = location('small', SMALL);
  const big = location('big', ROWS);
  const kept = (name, rows) => (KEEP ? path.join(KEEP, `${engine}-${name}-${rows}.json`) : undefined);
  const smallEnd = await build(report, engine, small, SMALL, kept('small', SMALL));
  const bigEnd = await build(report, engine, big, ROWS, kept('big', ROWS));

  const smallCmds = everyday(small, SMALL, smallEnd);
  const bigCmds = everyday(big, ROWS, bigEnd);
  const names = Object.keys(smallCmds);
  const bigEnv = { ...CLEAN_ENV, EVENTS_DB: big };
  const absolute = {
    "list --offline --limit 20 --search req_123457 --all-profiles (a rare word: 2 events)": { argv: [process.execPath, BIN, 'list', '--offline', '--limit', '20', '--search', 'req_123457', '--all-profiles'], env: bigEnv, target: 1000 },
    'stats --by type --all-profiles (the whole mirror)': { argv: [process.execPath, BIN, 'stats', '--by', 'type', '--all-profiles', '-o', 'json'], env: bigEnv, target: 2000 },
  };
  // Small and big take turns within each round, so a burst of load on a shared machine hits both.
  const commands = [...names.flatMap((n) => [smallCmds[n], bigCmds[n]]), ...Object.values(absolute)];
  process.stderr.write(`query (${engine}): ${commands.length} commands (load ${load()}; median of ${RUNS} after a warm-up)\n`);
  const times = compareStarts(commands, RUNS);
  names.forEach((n, i) => {
    const [s, b] = [times[2 * i], times[2 * i + 1]];
    report(`${engine}: \`${n}\`, ${fmt(SMALL)} → ${fmt(ROWS)} events`, `${fmt(s)} → ${fmt(b)} ms = ${(b / s).toFixed(2)}×`, '≤ 1.5×', b / s <= 1.5 ? 'yes' : 'no');
  });
  Object.entries(absolute).forEach(([n, c], i) => {
    const ms = times[2 * names.length + i];
    report(`${engine}: \`${n}\` on ${fmt(ROWS)} events`, `${fmt(ms)} ms`, `≤ ${c.target / 1000} s`, ms <= c.target ? 'yes' : 'no');
  });

  // Bytes per event, beside the same events as NDJSON (what `list -o ndjson` prints).
  let ndjson = 0;
  for (let n = 0; n < ROWS / PROFILES.length; n++) ndjson += Buffer.byteLength(JSON.stringify(blueaiEvent(n, bigEnd))) + 1;
  ndjson *= PROFILES.length;
  const { parts, detail } = engine === 'sqlite' ? await sqliteSizes(big) : await postgresSizes(big);
  const total = parts.events + parts.versions + parts.search + parts.indexes + (parts.free ?? 0);
  const per = (b) => (b / ROWS).toFixed(0);
  const shown = Object.entries(parts).filter(([k]) => k !== 'toast').map(([k, b]) => `${k} ${per(b)}`).join(', ');
  report(
    `${engine}: bytes on disk per event, ${fmt(ROWS)} events (${shown}${parts.toast ? `; TOAST ${per(parts.toast)} of the events'` : ''})`,
    `${per(total)} B = ${(total / ndjson).toFixed(2)}× the NDJSON (${per(ndjson)} B)`,
    engine === 'sqlite' ? '< 2×' : '',
    engine === 'sqlite' ? (total / ndjson < 2 ? 'yes' : 'no') : '',
  );
  report(`${engine}: bytes per event of each index on events`, detail.map((d) => `${d.name} ${per(d.bytes)}`).join(', '));

  // Issue 10's figures, on the same big mirror.
  const searchAndStats = [
    ["list --offline --search 'customer' -p a (1 in 6 events)", ['list', '--offline', '--limit', '20', '--search', 'customer', '--profile', 'a']],
    ["list --offline --search 'paid' -p a (1 in 2 events)", ['list', '--offline', '--limit', '20', '--search', 'paid', '--profile', 'a']],
    ["list --offline --search 'req_1234*' -p a (prefix)", ['list', '--offline', '--limit', '20', '--search', 'req_1234*', '--profile', 'a']],
    ['stats --by day --all-profiles', ['stats', '--by', 'day', '--all-profiles', '-o', 'json']],
  ];
  const more = compareStarts(searchAndStats.map(([, args]) => ({ argv: [process.execPath, BIN, ...args], env: bigEnv })), RUNS);
  searchAndStats.forEach(([n], i) => report(`${engine}: \`${n}\` on ${fmt(ROWS)} events`, `${fmt(more[i])} ms`));
  const exp = await runEvents(['export', '--all-profiles'], bigEnv);
  if (exp.code !== 0) throw new Error(`export exited ${exp.code}: ${exp.stderr}`);
  report(`${engine}: \`export --all-profiles\` of ${fmt(ROWS)} events (to /dev/null)`, `${(exp.ms / 1000).toFixed(1)} s (${fmt(ROWS / (exp.ms / 1000))} events/s), peak RSS ${fmt(exp.rssMb)} MB`, '< 150 MB', exp.rssMb < 150 ? 'yes' : 'no');
}

export async function queryBench(report, engines = ['sqlite', 'postgres']) {
  if (engines.includes('sqlite')) {
    const dir = KEEP ?? tempDir('query');
    try {
      await figures(report, 'sqlite', (name, rows) => path.join(dir, `sqlite-${name}-${rows}.db`));
    } finally {
      if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (engines.includes('postgres')) {
    const pg = await benchPostgres();
    if (!pg.url) return report('postgres', `skipped: ${pg.missing}`);
    // Kept mirrors need a server that outlives the run: $EVENTS_BENCH_PG.
    const keep = KEEP && process.env.EVENTS_BENCH_PG;
    const schemas = [];
    const at = (name, rows) => {
      schemas.push(keep ? `bench_keep_${name}_${rows}` : `bench_query_${name}_${process.pid}`);
      return `${pg.url}${pg.url.includes('?') ? '&' : '?'}schema=${schemas[schemas.length - 1]}`;
    };
    try {
      await figures(report, 'postgres', at);
    } finally {
      // A server of the caller's own ($EVENTS_BENCH_PG) keeps nothing of the run.
      if (process.env.EVENTS_BENCH_PG && !keep) await dropSchemas(pg.url, schemas);
      await pg.stop();
    }
  }
}

async function dropSchemas(url, schemas) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = [];
  const report = (what, figure, target = '', met = '') => {
    rows.push({ what, figure, target, met });
    process.stderr.write(`  ${what}: ${figure}${target ? ` (target ${target}: ${met})` : ''}\n`);
  };
  const engines = process.argv.slice(2);
  await queryBench(report, engines.length > 0 ? engines : undefined);
  process.stdout.write(`\nMachine: ${os.cpus().length} cores, Node ${process.version}, load ${load()}\n\n| what | figure | target | met? |\n|---|---|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.what} | ${r.figure} | ${r.target} | ${r.met} |\n`);
}
