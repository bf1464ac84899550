// A provider described in a data file against a built-in one: 100k events synced from a Stripe-like
// API through examples/providers/stripe.json, and from BlueAI through the built-in provider, runs
// taking turns so a burst of load on a shared machine hits both alike. Target: the described sync
// at ≥ 0.95× the built-in's events per second.
import fs from 'node:fs';
import path from 'node:path';
import { CLEAN_ENV, ROOT, load, median, runEvents, startFake, tempDir } from './lib.mjs';

const N = 100_000;
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);

async function syncOnce(provider, described) {
  const fake = await startFake(described ? 'stripe' : provider, N);
  const dir = tempDir(`described-${provider}`);
  try {
    const configDir = path.join(dir, 'config');
    if (described) {
      fs.mkdirSync(path.join(configDir, 'providers'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'examples', 'providers', 'stripe.json'), path.join(configDir, 'providers', 'stripe.json'));
    }
    const env = { ...CLEAN_ENV, EVENTS_PROVIDER: provider, EVENTS_API_KEY: fake.apiKey, EVENTS_BASE_URL: fake.baseUrl, EVENTS_DB: path.join(dir, 'm.db'), EVENTS_CONFIG_DIR: configDir };
    const r = await runEvents(['sync'], env);
    if (r.code !== 0) throw new Error(`${provider} sync exited ${r.code}: ${r.stderr}`);
    return r.ms;
  } finally {
    fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function describedBench(report) {
  process.stderr.write(`described provider (load ${load()}; median of ${RUNS}; runs take turns)\n`);
  const builtin = [];
  const described = [];
  for (let i = 0; i < RUNS; i++) {
    builtin.push(await syncOnce('blueai', false));
    described.push(await syncOnce('stripe', true));
  }
  const rate = (ms) => `${Math.round(N / (ms / 1000)).toLocaleString('en-US')} events/s (${(ms / 1000).toFixed(1)} s)`;
  const [b, d] = [median(builtin), median(described)];
  report('sync 100k blueai, built-in provider, SQLite file', rate(b));
  report('sync 100k Stripe-like, described provider (examples/providers/stripe.json), SQLite file', `${rate(d)} = ${(b / d).toFixed(2)}× the built-in`, '≥ 0.95× built-in', b / d >= 0.95 ? 'yes' : 'no');
}
