// scripts/test-prereqs.mjs, run as a real process against a made-up machine: its tools (and, for
// the install path, stand-ins for apt-get and sudo that log their calls) in temporary directories,
// the fixed locations re-rooted there, and a PATH holding nothing else.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPTS = ['test-prereqs.mjs', 'test-tools.mjs'];
const asRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function machine(tools: { postgres?: boolean; pgbouncer?: boolean; tmux?: boolean }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'events-prereqs-'));
  dirs.push(root);
  fs.chmodSync(root, 0o755);
  const bin = path.join(root, 'bin');
  const exe = (file: string, body = 'exit 0') => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  };
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  if (tools.postgres) for (const t of ['initdb', 'pg_ctl']) exe(path.join(root, 'usr/lib/postgresql/16/bin', t));
  if (tools.pgbouncer) exe(path.join(root, 'usr/sbin/pgbouncer'));
  if (tools.tmux) exe(path.join(bin, 'tmux'));
  // A copy of the scripts that any user may read (the repository may sit in a private home).
  for (const s of SCRIPTS) fs.copyFileSync(path.resolve('scripts', s), path.join(root, s));
  return { root, bin, exe };
}

/** Runs the script on `m`: as `nobody` when we are root, so that "root installs" is not taken. */
function check(m: { root: string; bin: string }, as: 'us' | 'nobody' = 'us') {
  const env = [`PATH=${m.bin}`, `EVENTS_TEST_TOOLS_ROOT=${m.root}`];
  const script = path.join(m.root, 'test-prereqs.mjs');
  const [cmd, args] = as === 'nobody' && asRoot
    ? ['runuser', ['-u', 'nobody', '--', 'env', '-i', ...env, process.execPath, script]]
    : ['env', ['-i', ...env, process.execPath, script]];
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, lines: r.stderr.split('\n').filter(Boolean) };
}

describe('test-prereqs', () => {
  it('passes silently when every tool is there', () => {
    const r = check(machine({ postgres: true, pgbouncer: true, tmux: true }));
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('without root or sudo, stops with one line naming the install command', () => {
    const r = check(machine({}), 'nobody');
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(["events tests need PostgreSQL's server, PgBouncer and tmux: run sudo apt-get install postgresql pgbouncer tmux"]);
  });

  it('names only what is missing', () => {
    const r = check(machine({ postgres: true, tmux: true }), 'nobody');
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['events tests need PgBouncer: run sudo apt-get install pgbouncer']);
  });

  it('installs through apt-get (update once, then the missing packages) when it may', () => {
    const m = machine({ postgres: true, pgbouncer: true });
    const log = path.join(m.root, 'apt.log');
    // sudo -n: root needs none, and anybody else gets this stand-in, which lets every command through.
    m.exe(path.join(m.bin, 'sudo'), '[ "$1" = -n ] && shift; exec "$@"');
    m.exe(path.join(m.bin, 'apt-get'), `echo "$*" >> ${log}; [ "$1" = install ] && printf '#!/bin/sh\\n' > ${m.bin}/tmux && /bin/chmod +x ${m.bin}/tmux; exit 0`);
    const r = check(m);
    expect(r.lines).toEqual(['events tests: installing tmux (apt-get)']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('update -qq\ninstall -y -qq tmux\n');
  });

  it('reports apt-get failing, with its last line, and exits non-zero', () => {
    const m = machine({ postgres: true, tmux: true });
    m.exe(path.join(m.bin, 'sudo'), '[ "$1" = -n ] && shift; exec "$@"');
    m.exe(path.join(m.bin, 'apt-get'), '[ "$1" = install ] && { echo "E: Unable to locate package pgbouncer" >&2; exit 100; }; exit 0');
    const r = check(m);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'events tests: installing pgbouncer (apt-get)',
      'events tests need PgBouncer (apt-get failed: E: Unable to locate package pgbouncer): run sudo apt-get install pgbouncer',
    ]);
  });
});
