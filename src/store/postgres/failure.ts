// PostgreSQL and socket errors as one line a person can act on. Every message names the server by
// its display URL (never with a password), and any text that came from elsewhere is scrubbed of
// the password before it is shown.
import { MirrorError } from '../../errors.js';
import type { Target } from './target.js';

/** What a transaction pooler breaks, and what to use instead (also the runtime pid check's message). */
export function poolerMessage(target: Target, why: string): string {
  return `${target.display} is a transaction pooler (${why}): advisory locks and LISTEN do not work through one — use the direct (session) connection URL`;
}

interface PgLikeError {
  code?: string;
  message?: string;
  errno?: number;
  syscall?: string;
  address?: string;
}

/** An error met while connecting (or authenticating). */
export function connectFailure(err: unknown, target: Target): MirrorError {
  if (err instanceof MirrorError) return err;
  const e = (err ?? {}) as PgLikeError;
  const at = target.display;
  const msg = scrub(e.message ?? String(err), target);
  const refused = (why: string) => new MirrorError(`PostgreSQL refused user "${target.user}" at ${at}: ${why}`, { cause: err });
  const unreachable = (why: string) => new MirrorError(`cannot reach PostgreSQL at ${at}: ${why}`, { cause: err });
  switch (e.code) {
    case 'ECONNREFUSED':
      return unreachable('connection refused');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachable(`host ${target.host} not found`);
    case 'ENOENT':
      return unreachable(`no server socket in ${target.host}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unreachable(e.code === 'ETIMEDOUT' ? 'connection timed out' : 'no route to host');
    case 'ECONNRESET':
      return unreachable('the connection was reset');
    case '28P01':
      return refused('password authentication failed');
    case '28000':
      return refused(msg);
    case '3D000':
      return new MirrorError(`PostgreSQL at ${at}: database "${target.database}" does not exist`, { cause: err });
    case '53300':
      return new MirrorError(`PostgreSQL at ${at} has too many connections; try again later`, { cause: err });
    case '57P03':
      return unreachable('the server is starting up or shutting down');
  }
  if (/timeout/i.test(msg)) return unreachable(`no answer within ${Math.round(target.connectTimeoutMs / 1000)} s`);
  if (/terminated unexpectedly|ended unexpectedly/i.test(msg)) return unreachable('the server closed the connection');
  if (/client password must be a string|password must be a string/i.test(msg)) {
    return refused('it asks for a password; give it in the URL, $PGPASSWORD or ~/.pgpass');
  }
  if (/unsupported startup parameter/i.test(msg)) {
    return new MirrorError(poolerMessage(target, `a pooler refused the startup parameters: ${msg}`), { cause: err });
  }
  if (/does not support SSL/i.test(msg)) {
    return unreachable(`the server does not accept TLS, which sslmode=${target.sslmode} requires`);
  }
  if (/certificate|self[- ]signed|SSL|TLS/i.test(msg)) return unreachable(`TLS: ${msg}`);
  return new MirrorError(`cannot connect to PostgreSQL at ${at}: ${msg}`, { cause: err });
}

/** An error from a statement on an open session. */
export function queryFailure(err: unknown, target: Target): MirrorError {
  if (err instanceof MirrorError) return err;
  const e = (err ?? {}) as PgLikeError;
  const msg = scrub(e.message ?? String(err), target);
  if (e.code === '42501') return new MirrorError(`PostgreSQL refused user "${target.user}" at ${target.display}: ${msg}`, { cause: err });
  if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) return new MirrorError(`PostgreSQL at ${target.display}: ${msg}`, { cause: err });
  return lostConnection(err, target);
}

/** The session is gone (server restart, network, idle timeout): what was committed stays. */
export function lostConnection(err: unknown, target: Target): MirrorError {
  const msg = scrub((err as PgLikeError | undefined)?.message ?? String(err), target);
  return new MirrorError(`lost the connection to PostgreSQL at ${target.display}: ${msg}`, { cause: err });
}

/** Removes the password, raw or percent-encoded, from text that came from elsewhere. */
export function scrub(text: string, target: Pick<Target, 'secrets'>): string {
  let out = text.split('\n')[0]!.trim();
  for (const secret of target.secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) if (form) out = out.split(form).join('***');
  }
  return out;
}
