// A/B of the sync into PostgreSQL against SQLite: pairs of 100k syncs back to back, each pair's
// PostgreSQL/SQLite ratio and the median. For work on the PostgreSQL store; `bench/run.mjs sync`
// is the reported figure.
//   node bench/pgsync.mjs [provider=blueai] [pairs=3] [count=100000]     ($EVENTS_BENCH_PG: a server of yours)
import fs from 'node:fs';
import path from 'node:path';
import { benchPostgres } from './pg.mjs';
import { CLEAN_ENV, load, median, runEvents, startFake, tempDir } from './lib.mjs';

const [provider = 'blueai', pairs = '3', count = '100000'] = process.argv.slice(2);
const pg = await benchPostgres();
if (pg.missing) throw new Error(pg.missing);

async function once(pgUrl) {
  const fake = await startFake(provider, Number(count));
  const dir = tempDir(`pgsync-${provider}`);
  try {
    const db = pgUrl ? `${pgUrl}?schema=pgsync_${process.pid}_${Date.now()}` : path.join(dir, 'm.db');
    const r = await runEvents(['sync'], { ...CLEAN_ENV, EVENTS_PROVIDER: provider, EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.baseUrl, EVENTS_DB: db });
    if (r.code !== 0) throw new Error(`sync exited ${r.code}: ${r.stderr}`);
    return r.ms;
  } finally {
    fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ratios = [];
try {
  for (let i = 0; i < Number(pairs); i++) {
    const lite = await once(undefined);
    const post = await once(pg.url);
    ratios.push(lite / post);
    process.stderr.write(`${provider} pair ${i + 1}: SQLite ${(lite / 1000).toFixed(1)} s, PostgreSQL ${(post / 1000).toFixed(1)} s = ${(lite / post).toFixed(2)}× SQLite (load ${load()})\n`);
  }
  process.stderr.write(`${provider}: median ${median(ratios).toFixed(2)}× SQLite over ${pairs} pairs\n`);
} finally {
  await pg.stop();
}
