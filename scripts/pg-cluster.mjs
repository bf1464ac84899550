// A throwaway PostgreSQL cluster: real locks, LISTEN/NOTIFY and auth, which in-process fakes
// (PGlite) get wrong across connections. Costs ~1.3 s, so the test run starts one
// (test/support/pg-setup.ts), never one per file; the benchmarks start their own (bench/).
// Plain JavaScript because both the tests and the benchmarks (plain node on dist/) use it; its
// types are in pg-cluster.d.mts.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findPostgresBinDir } from './test-tools.mjs';

// A role that must give a password over TCP, for the "wrong password" tests.
export const SECRETIVE_ROLE = 'secretive';
export const SECRETIVE_PASSWORD = 's3cret-pw';

/**
 * `own`: a cluster of the caller's own even under $EVENTS_TEST_PG (a test that restarts it).
 * `durable`: fsync and full-page writes stay on (the benchmarks: only commits are not waited
 * for, the counterpart of the SQLite mirror's synchronous=NORMAL); tests turn them off.
 */
export async function startPostgres(options = {}) {
  const external = options.own ? undefined : process.env.EVENTS_TEST_PG;
  if (external) return { url: external, managed: false, stop: async () => {} };

  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root, and the server must own its data dir.
  const owner = asRoot ? postgresUser() : undefined;
  const run = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args]);

  // Short path: the Unix socket lives here too, and socket paths are limited to ~107 bytes.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'events-pg-'));
  const cleanupDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    await exec(...run('initdb', ['-D', dir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']), dir);
    const hba = path.join(dir, 'pg_hba.conf');
    // First match wins: the secretive role needs its password over TCP, everybody else is trusted.
    writeFileSync(hba, [
      'local all all trust',
      `host all ${SECRETIVE_ROLE} 127.0.0.1/32 scram-sha-256`,
      'host all all 127.0.0.1/32 trust',
      '',
    ].join('\n'));
    if (owner) chownSync(hba, owner.uid, owner.gid);
  } catch (e) {
    cleanupDir();
    throw e;
  }

  const stopCluster = async () => {
    await exec(...run('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']), dir).catch(() => {});
    cleanupDir();
  };

  // The port is free when we look but may be taken before the server binds it: retry then.
  let port = 0;
  let opts = '';
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${options.durable ? '' : '-c fsync=off -c full_page_writes=off '}-c synchronous_commit=off -c max_connections=300`;
    try {
      await exec(...run('pg_ctl', ['-w', '-D', dir, '-l', path.join(dir, 'log'), '-o', opts, 'start']), dir);
      break;
    } catch (e) {
      const log = safeRead(path.join(dir, 'log'));
      if (attempt < 5 && /could not bind|address already in use/i.test(log)) continue;
      await stopCluster();
      throw new Error(`${e.message}\n--- server log ---\n${log.slice(-2000)}`);
    }
  }

  // If vitest dies without running teardown (kill -9, a crash), this stops the cluster and removes
  // the dir once our process is gone. Detached, so a Ctrl-C to the terminal does not kill it first.
  const [pgCtl, pgCtlArgs] = run('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
  const watchdog = spawn('sh', ['-c', 'p=$1; d=$2; shift 2; while kill -0 "$p" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf "$d"',
    'events-pg-watchdog', String(process.pid), dir, pgCtl, ...pgCtlArgs], { detached: true, stdio: 'ignore' });
  watchdog.unref();

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (watchdog.pid && watchdog.exitCode === null) process.kill(watchdog.pid, 'SIGTERM');
    await stopCluster();
  };
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // scram-sha-256 is PG 14+'s default password_encryption; set it so older servers hash alike.
      await client.query(`SET password_encryption = 'scram-sha-256'`);
      await client.query(`CREATE ROLE ${SECRETIVE_ROLE} LOGIN PASSWORD '${SECRETIVE_PASSWORD}'`);
      await client.query(`GRANT CREATE ON DATABASE postgres TO ${SECRETIVE_ROLE}`);
    } finally {
      await client.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const restart = async (whileDown) => {
    await exec(...run('pg_ctl', ['-w', '-D', dir, '-m', 'fast', 'stop']), dir);
    try {
      await whileDown?.();
    } finally {
      await exec(...run('pg_ctl', ['-w', '-D', dir, '-l', path.join(dir, 'log'), '-o', opts, 'start']), dir);
    }
  };
  return { url, managed: true, stop, restart };
}

function findBinDir() {
  const dir = findPostgresBinDir();
  if (!dir) throw new Error('PostgreSQL tests need initdb and pg_ctl (none in /usr/lib/postgresql/*/bin or PATH): install postgresql: apt-get install postgresql, or set EVENTS_TEST_PG=postgres://… to use a running server');
  return dir;
}

function postgresUser() {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running the tests as root needs a `postgres` user to own the throwaway cluster (apt-get install postgresql creates it), or set EVENTS_TEST_PG=postgres://…');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function exec(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    // cwd: the postgres user may not be allowed into ours (e.g. /root).
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${[cmd, ...args].join(' ')} exited ${code}\n${out.trim()}`))));
  });
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
