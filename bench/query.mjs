// The query figures on a million events: full text search, stats --by type, a timeline
// over two profiles, and export (wall time and peak RSS). Figures, never assertions.
//   node bench/query.mjs [sqlite] [postgres]   (default: both; BENCH_QUERY_ROWS, default 1000000,
//   split over two profiles; PostgreSQL: EVENTS_BENCH_PG=postgres://…, else a throwaway server)
// run.mjs can import `issue10Bench(report)` as a section.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMirror } from './build-mirror.mjs';
import { benchPostgres } from './pg.mjs';
import { BIN, CLEAN_ENV, compareStarts, load, runEvents, tempDir } from './lib.mjs';

const ROWS = Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** Runs the figures on a fresh mirror at `db` (a file, or a postgres:// URL with ?schema=). */
async function figures(report, engine, db) {
  process.stderr.write(`query (${engine}): building a ${fmt(ROWS)}-event mirror over two profiles…\n`);
  const started = performance.now();
  await buildMirror(db, ['a', 'b'], ROWS / 2);
  const buildS = (performance.now() - started) / 1000;
  report(`${engine}: build ${fmt(ROWS)} events (2 profiles) with the full text index`, `${buildS.toFixed(1)} s (${fmt(ROWS / buildS)} rows/s)`);
  const env = { ...CLEAN_ENV, EVENTS_DB: db };
  const cmd = (name, args) => ({ name, argv: [process.execPath, BIN, ...args], env });
  const commands = [
    cmd('list --offline --limit 20 --all-profiles', ['list', '--offline', '--limit', '20', '--all-profiles']),
    cmd('list --offline --search req_123457 --all-profiles (2 matches)', ['list', '--offline', '--limit', '20', '--search', 'req_123457', '--all-profiles']),
    cmd("list --offline --search 'customer' -p a (1 in 6 events)", ['list', '--offline', '--limit', '20', '--search', 'customer', '--profile', 'a']),
    cmd("list --offline --search 'paid' -p a (1 in 2 events)", ['list', '--offline', '--limit', '20', '--search', 'paid', '--profile', 'a']),
    cmd("list --offline --search 'req_1234*' -p a (prefix)", ['list', '--offline', '--limit', '20', '--search', 'req_1234*', '--profile', 'a']),
    cmd('stats --by type --all-profiles', ['stats', '--by', 'type', '--all-profiles', '-o', 'json']),
    cmd('stats --by day --all-profiles', ['stats', '--by', 'day', '--all-profiles', '-o', 'json']),
  ];
  process.stderr.write(`query (${engine}): queries (load ${load()}; median of 3 after a warm-up)\n`);
  const times = compareStarts(commands, 3);
  commands.forEach((c, i) => report(`${engine}: \`${c.name}\` on ${fmt(ROWS)} events`, `${fmt(times[i])} ms`));
  const exp = await runEvents(['export', '--all-profiles'], env);
  if (exp.code !== 0) throw new Error(`export exited ${exp.code}: ${exp.stderr}`);
  report(`${engine}: \`export --all-profiles\` of ${fmt(ROWS)} events (to /dev/null)`, `${(exp.ms / 1000).toFixed(1)} s (${fmt(ROWS / (exp.ms / 1000))} events/s), peak RSS ${fmt(exp.rssMb)} MB`);
}

export async function issue10Bench(report, engines = ['sqlite', 'postgres']) {
  if (engines.includes('sqlite')) {
    const dir = tempDir('issue10');
    try {
      await figures(report, 'sqlite', path.join(dir, 'big.db'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (engines.includes('postgres')) {
    const pg = await benchPostgres();
    if (!pg.url) return report('postgres', `skipped: ${pg.missing}`);
    try {
      await figures(report, 'postgres', `${pg.url}${pg.url.includes('?') ? '&' : '?'}schema=bench_issue10_${process.pid}`);
    } finally {
      await pg.stop();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = [];
  const report = (what, figure) => {
    rows.push({ what, figure });
    process.stderr.write(`  ${what}: ${figure}\n`);
  };
  const engines = process.argv.slice(2);
  await issue10Bench(report, engines.length > 0 ? engines : undefined);
  process.stdout.write(`\nMachine: ${os.cpus().length} cores, Node ${process.version}, load ${load()}\n\n| what | figure |\n|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.what} | ${r.figure} |\n`);
}
