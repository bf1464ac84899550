// How long `events mcp` takes to answer an MCP client's `initialize`, against how long
// `events list --offline --limit 20` takes to run, as bench/run.mjs measures it (an env
// connection, a mirror of 100k BlueAI events): the target is 1.5x. The commands take turns within
// each round, so a burst of load on this shared machine hits both alike; the figures are medians,
// given as ratios to bare `node -e 0` and to each other.
// Run after `npm run build`: node bench/mcp-start.mjs (BENCH_START_RUNS, default 15;
// BENCH_MIRROR_ROWS, default 100000).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildMirror } from './build-mirror.mjs';
import { BIN, CLEAN_ENV, childEnv, load, median, tempDir, timeOnce } from './lib.mjs';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 15);
const ROWS = Number(process.env.BENCH_MIRROR_ROWS ?? 100_000);
const TARGET = 1.5;

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

/** Wall ms from spawning `events mcp` to its answer to initialize; then stdin closes and it exits. */
function timeToInitialize(env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'mcp'], { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let ms;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (ms === undefined && out.includes('\n')) {
        ms = performance.now() - started;
        const answer = JSON.parse(out.slice(0, out.indexOf('\n')));
        if (answer.id !== 1 || !answer.result?.serverInfo) reject(new Error(`not an initialize answer: ${out}`));
        child.stdin.end();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (ms === undefined || code !== 0 ? reject(new Error(`events mcp exited ${code} before answering: ${stderr}`)) : resolve(ms)));
    child.stdin.write(INITIALIZE);
  });
}

const dir = tempDir('mcp-start');
try {
  const db = path.join(dir, 'mirror.db');
  await buildMirror(db, ['env:blueai@127.0.0.1:9'], ROWS);
  const env = { ...CLEAN_ENV, EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'bench_key', EVENTS_BASE_URL: 'http://127.0.0.1:9', EVENTS_DB: db };
  const list = [process.execPath, BIN, 'list', '--offline', '--limit', '20'];
  const bare = [process.execPath, '-e', '0'];
  const times = { node: [], list: [], mcp: [] };
  // Two warm-up rounds: the first run of each bundle writes its code cache.
  for (let round = -2; round < RUNS; round++) {
    const n = timeOnce(bare, env);
    const l = timeOnce(list, env);
    const m = await timeToInitialize(env);
    if (round >= 0) {
      times.node.push(n);
      times.list.push(l);
      times.mcp.push(m);
    }
  }
  const [node, listMs, mcpMs] = [median(times.node), median(times.list), median(times.mcp)];
  const ratio = mcpMs / listMs;
  process.stdout.write(
    [
      `start-up (load ${load()}; median of ${RUNS} after two warm-up rounds, commands taking turns; ${ROWS.toLocaleString('en-US')}-event mirror)`,
      `  node -e 0                          ${node.toFixed(1)} ms`,
      `  events list --offline --limit 20   ${listMs.toFixed(1)} ms = ${(listMs / node).toFixed(2)}x node`,
      `  events mcp, initialize answered    ${mcpMs.toFixed(1)} ms = ${(mcpMs / node).toFixed(2)}x node`,
      `  mcp / list                         ${ratio.toFixed(2)}x (target <= ${TARGET}x: ${ratio <= TARGET ? 'met' : 'not met'})`,
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
