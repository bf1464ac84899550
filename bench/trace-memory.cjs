// `node --require ./bench/trace-memory.cjs bin/events.js sync …` samples what the process holds,
// once a second, as JSON lines into $EVENTS_BENCH_MEMORY: V8's heap (used, total, and per space),
// what lives outside it (external, array buffers), RSS and its peak (VmHWM), and the size of the
// mirror's WAL and -shm files when $EVENTS_DB names a file. For finding what grows over a long
// sync; nothing in the product reads it.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');

const out = process.env.EVENTS_BENCH_MEMORY;
const db = process.env.EVENTS_DB;
const started = Date.now();
const size = (file) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};
const mb = (n) => Math.round((n / 1048576) * 10) / 10;
const sample = () => {
  const m = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), mb(s.space_used_size)]));
  const line = {
    s: Math.round((Date.now() - started) / 100) / 10,
    rss: mb(m.rss),
    hwm: mb(kb('VmHWM')),
    anon: mb(kb('RssAnon')),
    file: mb(kb('RssFile')),
    shmem: mb(kb('RssShmem')),
    heapUsed: mb(m.heapUsed),
    heapTotal: mb(m.heapTotal),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    spaces,
    wal: db ? mb(size(`${db}-wal`)) : undefined,
    shm: db ? mb(size(`${db}-shm`)) : undefined,
  };
  fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
};
if (out) setInterval(sample, Number(process.env.EVENTS_BENCH_MEMORY_MS ?? 1000)).unref();
