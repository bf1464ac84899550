// What a `--db postgres://…` URL means, resolved the way libpq (psql) resolves it: the URL first,
// then libpq's PG* variables, then defaults. Our own parameter `schema=NAME` picks the schema the
// mirror lives in and is never sent to the server. Nothing here connects.
import fs from 'node:fs';
import os from 'node:os';
import { MirrorError } from '../../errors.js';

type Env = Record<string, string | undefined>;

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface Target {
  host: string; // a name, an address, or a Unix-socket directory (starts with /)
  port: number;
  user: string;
  database: string;
  password: string | undefined; // from the URL or $PGPASSWORD; else ~/.pgpass when asked
  passfile: string | undefined;
  sslmode: SslMode;
  sslrootcert: string | undefined;
  sslcert: string | undefined;
  sslkey: string | undefined;
  channelBinding: boolean;
  connectTimeoutMs: number;
  applicationName: string;
  options: string | undefined; // the user's own -c settings (PGOPTIONS / options=)
  schema: string;
  /** The URL as given, without its password, and without `schema` when it is the default. */
  location: string;
  /** The resolved server, fit for messages: postgres://user@host:port/db[?schema=…]. */
  display: string;
  /** Passwords this target uses (URL, env, ~/.pgpass once read): scrubbed from every message. */
  secrets: string[];
  /** Why the URL looks like a transaction pooler, if it does. */
  poolerHint: string | undefined;
}

export const DEFAULT_SCHEMA = 'events';

// libpq's parameters we act on, and those we accept and leave to their defaults.
const USED = new Set(['host', 'hostaddr', 'port', 'user', 'password', 'dbname', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey',
  'channel_binding', 'connect_timeout', 'application_name', 'options', 'passfile', 'schema', 'pgbouncer']);
const IGNORED = new Set(['fallback_application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count',
  'tcp_user_timeout', 'target_session_attrs', 'gssencmode', 'sslcompression', 'sslsni', 'krbsrvname', 'gsslib', 'client_encoding']);
const SSL_MODES = new Set<SslMode>(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** Resolves `url` against `env`; a malformed URL is a MirrorError that never shows the password. */
export function resolveTarget(url: string, env: Env): Target {
  const shown = maskPassword(url);
  const m = /^(postgres(?:ql)?):\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?(#.*)?$/i.exec(url);
  if (!m) throw new MirrorError(`${shown} is not a PostgreSQL URL (postgres://user@host:port/database)`);
  const [, scheme, authority = '', rawPath = '', rawQuery = ''] = m;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo?.indexOf(':') ?? -1;
  const decode = (s: string, what: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new MirrorError(`${shown}: the ${what} is not valid percent-encoding`);
    }
  };
  const urlUser = userinfo === undefined ? '' : decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, 'user name');
  const urlPassword = userinfo !== undefined && colon >= 0 ? decode(userinfo.slice(colon + 1), 'password') : undefined;

  const hp = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d*))?$/.exec(hostport);
  if (!hp) throw new MirrorError(`${shown}: cannot read the host and port "${hostport}"`);
  let host = decode(hp[1] ?? hp[2] ?? '', 'host');
  let portText = hp[3] ?? '';
  let database = decode(rawPath, 'database name');

  const params = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq >= 0 ? part.slice(0, eq) : part, 'query');
    const value = decode(eq >= 0 ? part.slice(eq + 1) : '', 'query');
    if (!USED.has(key) && !IGNORED.has(key)) {
      throw new MirrorError(`${shown}: unknown parameter "${key}" (libpq's connection parameters and schema=NAME are accepted)`);
    }
    params.set(key, value);
  }
  const param = (key: string, envName?: string) => params.get(key) || (envName ? env[envName] : undefined) || undefined;

  if (host.includes(',') || (params.get('host') ?? '').includes(',')) {
    throw new MirrorError(`${shown}: several hosts in one URL are not supported; name one server`);
  }
  host = params.get('host') || params.get('hostaddr') || host || env.PGHOST || env.PGHOSTADDR || defaultHost(portText || env.PGPORT);
  portText = params.get('port') || portText || env.PGPORT || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MirrorError(`${shown}: the port "${portText}" is not a port number`);
  const user = params.get('user') || urlUser || env.PGUSER || env.USER || safeUsername();
  database = params.get('dbname') || database || env.PGDATABASE || user;
  const password = params.get('password') ?? urlPassword ?? (env.PGPASSWORD || undefined);

  const sslmode = (param('sslmode', 'PGSSLMODE') ?? 'prefer') as SslMode;
  if (!SSL_MODES.has(sslmode)) throw new MirrorError(`${shown}: sslmode "${sslmode}" is not one of ${[...SSL_MODES].join(', ')}`);
  const channel = param('channel_binding', 'PGCHANNELBINDING') ?? 'prefer';
  const timeout = Number(param('connect_timeout', 'PGCONNECT_TIMEOUT') ?? '10');

  const schema = params.get('schema') ?? DEFAULT_SCHEMA;
  if (schema === '' || Buffer.byteLength(schema) > 63) throw new MirrorError(`${shown}: schema= needs a name of 1 to 63 bytes`);

  const display = `postgres://${encodeURIComponent(user)}@${showHost(host)}:${port}/${encodeURIComponent(database)}` +
    (schema === DEFAULT_SCHEMA ? '' : `?schema=${encodeURIComponent(schema)}`);
  return {
    host,
    port,
    user,
    database,
    password,
    passfile: param('passfile'),
    sslmode,
    sslrootcert: param('sslrootcert', 'PGSSLROOTCERT'),
    sslcert: param('sslcert', 'PGSSLCERT'),
    sslkey: param('sslkey', 'PGSSLKEY'),
    channelBinding: channel === 'require',
    connectTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.max(2, timeout) * 1000 : 10_000,
    applicationName: param('application_name', 'PGAPPNAME') ?? 'events',
    options: param('options', 'PGOPTIONS'),
    schema,
    location: locationOf(scheme!, userinfo, colon, hostport, rawPath, rawQuery, schema),
    display,
    secrets: password ? [password] : [],
    poolerHint: poolerHint(host, port, params),
  };
}

/** Hides the password of a URL that could not be parsed (for the message that says so). */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/?#@]*):[^/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function locationOf(scheme: string, userinfo: string | undefined, colon: number, hostport: string, path: string, query: string, schema: string): string {
  const user = userinfo === undefined ? '' : `${colon >= 0 ? userinfo.slice(0, colon) : userinfo}@`;
  const kept = query.split('&').filter((p) => p !== '' && !/^password(=|$)/.test(p) && !(schema === DEFAULT_SCHEMA && /^schema(=|$)/.test(p)));
  return `${scheme.toLowerCase()}://${user}${hostport}${path ? `/${path}` : ''}${kept.length ? `?${kept.join('&')}` : ''}`;
}

/** Transaction poolers hand each statement to any server session: no advisory locks, no LISTEN. */
function poolerHint(host: string, port: number, params: Map<string, string>): string | undefined {
  if (params.get('pgbouncer') === 'true') return 'pgbouncer=true';
  if (/-pooler\./i.test(host)) return `the host ${host} is a Neon pooler`;
  if (port === 6543) return 'port 6543 is the Supabase transaction pooler';
  return undefined;
}

/** libpq's default: the local socket where this system's server puts it, else localhost. */
function defaultHost(port: string | undefined): string {
  for (const dir of ['/var/run/postgresql', '/tmp']) {
    if (fs.existsSync(`${dir}/.s.PGSQL.${port || '5432'}`)) return dir;
  }
  return 'localhost';
}

function showHost(host: string): string {
  if (host.startsWith('/')) return encodeURIComponent(host);
  return host.includes(':') ? `[${host}]` : host;
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'postgres';
  }
}
