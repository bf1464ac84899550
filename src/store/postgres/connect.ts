// Opening one PostgreSQL session for a target: pg is imported here, on first use, so SQLite runs
// and `--help` never load it. Every setting is passed explicitly (pg would otherwise read
// process.env, not the environment we were given).
import fs from 'node:fs';
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Client, ClientConfig } from 'pg';
import { MirrorError } from '../../errors.js';
import { connectFailure } from './failure.js';
import { lookupPassword, passFile } from './pgpass.js';
import type { Target } from './target.js';

type Env = Record<string, string | undefined>;
type Pg = typeof import('pg').default;

let loading: Promise<Pg> | undefined;

/** The pg module, imported once. */
export function loadPg(): Promise<Pg> {
  loading ??= import('pg').then((m) => m.default);
  return loading;
}

// Server-side keepalives, so a dead client's session (and its locks) goes within a minute.
const KEEPALIVES = '-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3';

/** A connected client, or a MirrorError saying why not. sslmode=prefer falls back to plain text. */
export async function connect(target: Target, env: Env): Promise<Client> {
  const pg = await loadPg();
  const attempt = async (ssl: false | ConnectionOptions): Promise<Client> => {
    const client = new pg.Client(clientConfig(pg, target, env, ssl));
    // Until a session takes the client over, an error event must not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
  };
  try {
    const tls = tlsOptions(target);
    if (target.sslmode !== 'prefer' || tls === false) return await attempt(tls);
    try {
      return await attempt(tls);
    } catch (err) {
      if (!/does not support SSL/i.test((err as Error).message ?? '')) throw err;
      return await attempt(false);
    }
  } catch (err) {
    throw connectFailure(err, target);
  }
}

function clientConfig(pg: Pg, target: Target, env: Env, ssl: false | ConnectionOptions): ClientConfig {
  const parse = pg.types.getTypeParser.bind(pg.types) as (oid: number, format?: string) => (value: string) => unknown;
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password: target.password ?? (async () => pgpassPassword(target, env)),
    ssl,
    enableChannelBinding: target.channelBinding,
    application_name: target.applicationName,
    options: target.options ? `${KEEPALIVES} ${target.options}` : KEEPALIVES,
    // TCP keepalive from our side too, so a dead network fails a waiting call instead of hanging.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: target.connectTimeoutMs,
    // On this client only (not pg's global table): int8 as a number (epoch ms and revisions fit in
    // 2^53), and json as its text, because the raw event must come back byte for byte.
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === 20) return Number;
        if (oid === 114) return (text: string) => text;
        return parse(oid, format);
      }) as NonNullable<ClientConfig['types']>['getTypeParser'],
    },
  };
}

function pgpassPassword(target: Target, env: Env): string {
  const file = target.passfile ?? passFile(env);
  const found = lookupPassword(file, { host: target.host, port: target.port, database: target.database, user: target.user });
  if (found === undefined) {
    throw new MirrorError(`PostgreSQL refused user "${target.user}" at ${target.display}: it asks for a password; give it in the URL, $PGPASSWORD or ${file}`);
  }
  target.secrets.push(found);
  return found;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/** libpq's sslmode as Node TLS options; false for none. */
function tlsOptions(target: Target): false | ConnectionOptions {
  const { sslmode } = target;
  if (sslmode === 'disable' || sslmode === 'allow') return false;
  // A Unix socket (libpq skips TLS there too), or loopback: nothing on the wire to protect, and
  // pg cannot fall back to plain text on the same connection as libpq does, so prefer would cost
  // every local open a second connection.
  if (sslmode === 'prefer' && (target.host.startsWith('/') || LOOPBACK.has(target.host))) return false;
  const opts: ConnectionOptions = {};
  const rootcert = target.sslrootcert && target.sslrootcert !== 'system' ? readFile(target.sslrootcert, 'sslrootcert') : undefined;
  if (rootcert) opts.ca = rootcert;
  if (target.sslcert) opts.cert = readFile(target.sslcert, 'sslcert');
  if (target.sslkey) opts.key = readFile(target.sslkey, 'sslkey');
  // require (and prefer) encrypt without checking whom they talk to, as in libpq, unless a root
  // certificate is given (libpq then verifies the chain, as verify-ca).
  const verify = sslmode === 'verify-ca' || sslmode === 'verify-full' || rootcert !== undefined;
  opts.rejectUnauthorized = verify;
  if (verify && sslmode !== 'verify-full') opts.checkServerIdentity = () => undefined;
  // SNI: hosted servers route by it (Neon); Node refuses an IP address there.
  if (!target.host.startsWith('/') && net.isIP(target.host) === 0) opts.servername = target.host;
  return opts;
}

function readFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new MirrorError(`cannot read the ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
