// What replay and forward share before anything is sent: routes, secret, retries, timeout and
// concurrency, each checked (exit 2) first; then the deliverer and the result writer.
import type { Connection } from '../config/connection.js';
import { UsageError } from '../errors.js';
import { colorEnabled, note } from '../io.js';
import { parseCount, parseDuration } from '../parse.js';
import { Session } from './session.js';
import { selectedProfiles } from './filters.js';
import { createDeliverer, type Deliverer, type DelivererOptions } from '../deliver/deliver.js';
import { resultWriter, type ResultWriter } from '../deliver/results.js';
import { parseRoutes, type Route } from '../deliver/routes.js';
import { resolveSecret, type SecretFlags } from '../deliver/secret.js';

export interface DeliveryFlags extends SecretFlags {
  to?: string[];
  exec?: string;
  subscriptionId?: string;
  concurrency?: string;
}

/** Flags checked without touching anything: a bad one is exit 2 before the mirror is opened. */
export function checkDeliveryFlags(session: Session, flags: DeliveryFlags, defaults: { retries: number }) {
  const routes: Route[] = parseRoutes(flags.to, flags.exec);
  const concurrency = flags.concurrency === undefined ? 1 : parseCount('--concurrency', flags.concurrency, 1);
  if (concurrency > 64) throw new UsageError(`invalid --concurrency "${flags.concurrency}": at most 64 deliveries in flight`);
  const { retries: r, timeout } = session.options;
  const retries = r === undefined ? defaults.retries : parseCount('--retries', r, 0);
  const timeoutMs = timeout === undefined ? 15_000 : parseDuration('--timeout', timeout);
  if (timeoutMs <= 0) throw new UsageError(`invalid --timeout "${timeout}": use a positive duration`);
  return { routes, concurrency, retries, timeoutMs };
}

/** The deliverer for a connection, with its secret read and checked, and the writer for results. */
export async function prepareDelivery(
  session: Session,
  conn: Connection,
  flags: DeliveryFlags,
  base: Pick<DelivererOptions, 'routes' | 'retries' | 'timeoutMs' | 'onRetry'> & { signal: AbortSignal },
): Promise<{ deliverer: Deliverer; writer: ResultWriter; signed: boolean }> {
  const { io } = session;
  const format = conn.provider.webhook;
  if (!format) throw new UsageError(`${conn.provider.name} has no webhook format`);
  const secret = await resolveSecret(io, flags, conn.profileName);
  const urls = base.routes.some((r) => r.url !== undefined);
  if (urls && secret === undefined) {
    note(io, `warning: no webhook secret, so requests go unsigned; give the handler's secret with --secret-env VAR or --secret-stdin`);
  } else if (urls && conn.provider.name === 'blueai') {
    note(io, `note: BlueAI documents no webhook signature; requests are signed as ${format.scheme}`);
  }
  if (urls && conn.provider.name === 'close' && flags.subscriptionId === undefined) {
    note(io, 'warning: no --subscription-id: the body carries "subscription_id": null, and handlers that pick their key by it will refuse');
  }
  const deliverer = createDeliverer({
    ...base,
    provider: conn.provider,
    profile: conn.profileName || conn.name,
    secret,
    webhookOptions: { subscriptionId: flags.subscriptionId },
    env: io.env,
  });
  const writer = resultWriter(io.stdout, { table: session.format() === 'table', color: colorEnabled(io) });
  return { deliverer, writer, signed: secret !== undefined };
}

/**
 * The profiles delivered: the one connection, or each of `--profile a,b` / `--all-profiles`
 * (offline: a profile only the mirror knows is taken from it, as `readerConnection` does).
 */
export async function deliveryConnections(session: Session, flags: { allProfiles?: boolean | undefined }, offline: boolean): Promise<Connection[]> {
  const names = await selectedProfiles(session, flags);
  if (!names) return [offline ? await session.readerConnection() : await session.connection()];
  const out: Connection[] = [];
  for (const name of names) {
    const one = new Session(session.io, { ...session.options, profile: name });
    try {
      out.push(offline ? await one.readerConnection() : await one.connection());
    } finally {
      await one.close();
    }
  }
  return out;
}
