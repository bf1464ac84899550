// `npm test` runs this first: the tests drive real PostgreSQL servers, PgBouncer and tmux.
// Present: exits at once, silently. Missing: installs Debian's packages when it may (root, or
// sudo without a password), else stops the run with one line naming the command to run.
// EVENTS_TEST_TOOLS_ROOT re-roots the fixed tool locations; only this script's own test sets it.
import { spawnSync } from 'node:child_process';
import { findPgbouncer, findPostgresBinDir, findTmux } from './test-tools.mjs';

const where = { root: process.env.EVENTS_TEST_TOOLS_ROOT || '/', PATH: process.env.PATH };
const TOOLS = [
  { pkg: 'postgresql', name: "PostgreSQL's server", find: () => findPostgresBinDir(where) },
  { pkg: 'pgbouncer', name: 'PgBouncer', find: () => findPgbouncer(where) },
  { pkg: 'tmux', name: 'tmux', find: () => findTmux(where) },
];
const missing = () => TOOLS.filter((t) => !t.find());

let need = missing();
if (need.length === 0) process.exit(0);

let failure = '';
const prefix = process.getuid?.() === 0 ? [] : run(['sudo', '-n', 'true']).ok ? ['sudo', '-n'] : undefined;
if (prefix) {
  process.stderr.write(`events tests: installing ${need.map((t) => t.pkg).join(' ')} (apt-get)\n`);
  const update = run([...prefix, 'apt-get', 'update', '-qq']);
  const install = update.ok ? run([...prefix, 'apt-get', 'install', '-y', '-qq', ...need.map((t) => t.pkg)]) : update;
  if (!install.ok) failure = ` (apt-get failed: ${install.why})`;
  need = missing();
  if (need.length === 0) process.exit(0);
}
const names = need.map((t) => t.name);
const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
process.stderr.write(`events tests need ${list}${failure}: run sudo apt-get install ${need.map((t) => t.pkg).join(' ')}\n`);
process.exit(1);

function run(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status === 0) return { ok: true };
  const last = `${r.stderr ?? ''}`.trim().split('\n').at(-1);
  return { ok: false, why: r.error ? r.error.message : last || `${argv.join(' ')} exited ${r.status}` };
}
