// Delivering one event: its provider's webhook body (serialised once), headers signed afresh at
// every attempt (receivers reject old timestamps), sent to its route, retried with capped backoff.
import { InterruptedError } from '../errors.js';
import { backoffDelay, sleep } from '../http/backoff.js';
import type { Provider, WebhookOptions } from '../providers/types.js';
import type { StoredEvent } from '../store/contract.js';
import { routeFor, routeLabel, type Route } from './routes.js';
import { scrub } from './secret.js';
import { exec, post, type Attempt } from './send.js';

/** One event's outcome, as stdout shows it (docs/cli.md, "Delivery"). */
export interface DeliveryResult {
  id: string;
  type: string;
  profile: string;
  to: string;
  /** The last HTTP status or exit code; null when the handler never answered. */
  status: number | null;
  ok: boolean;
  attempts: number;
  /** From the first attempt to the outcome. */
  ms: number;
  error?: string;
}

export interface DelivererOptions {
  provider: Provider;
  /** The profile rows are stored under, and the name handlers see in EVENTS_PROFILE. */
  profile: string;
  routes: Route[];
  /** The raw secret (only to scrub it from errors) and its HMAC key; none: unsigned. */
  secret?: string | undefined;
  webhookOptions: WebhookOptions;
  /** Retries after the first attempt; Infinity never gives up (a durable consumer). */
  retries: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** The environment --exec commands inherit. */
  env: Record<string, string | undefined>;
  /** Told before each wait between attempts (the view's "retrying in Ns"). */
  onRetry?: (info: { event: StoredEvent; attempt: number; waitMs: number; error: string }) => void;
  now?: () => number;
}

export interface Deliverer {
  /** The route an event goes to, or undefined when no route takes its type. */
  route(event: StoredEvent): Route | undefined;
  /** The body and the headers the first attempt would carry (for --dry-run). */
  preview(event: StoredEvent): { body: string; headers: Record<string, string> };
  /** Delivers one routed event until it succeeds, runs out of retries, or the signal aborts. */
  deliver(event: StoredEvent, route: Route): Promise<DeliveryResult>;
}

export function createDeliverer(options: DelivererOptions): Deliverer {
  const format = options.provider.webhook;
  if (!format) throw new Error(`${options.provider.name} has no webhook format`);
  const key = options.secret === undefined ? undefined : format.key(options.secret);
  const now = options.now ?? Date.now;
  const sign = (event: StoredEvent, body: string) => format.headers({ body, eventId: event.id, ts: Math.floor(now() / 1000), key });

  const once = (event: StoredEvent, route: Route, body: string): Promise<Attempt> => {
    const { signal, timeoutMs } = options;
    if (route.exec !== undefined) {
      const env = { ...options.env, EVENTS_ID: event.id, EVENTS_TYPE: event.type, EVENTS_PROFILE: options.profile, EVENTS_PROVIDER: options.provider.name };
      return exec(route.exec, body, env, timeoutMs, signal);
    }
    // Ours unless the provider's format names its own (Svix's).
    return post(route.url, body, { 'user-agent': 'events-cli', ...sign(event, body) }, timeoutMs, signal);
  };

  return {
    route: (event) => routeFor(options.routes, event.type),
    preview(event) {
      const body = format.body(event.raw, options.webhookOptions);
      return { body, headers: sign(event, body) };
    },
    async deliver(event, route) {
      const body = format.body(event.raw, options.webhookOptions);
      const started = now();
      let result: Attempt = { ok: false, status: null };
      let attempts = 0;
      for (;;) {
        if (options.signal.aborted) throw new InterruptedError();
        result = await once(event, route, body);
        attempts += 1;
        if (options.signal.aborted && !result.ok) throw new InterruptedError();
        if (result.ok || result.abort || attempts > options.retries) break;
        const waitMs = backoffDelay(attempts - 1);
        options.onRetry?.({ event, attempt: attempts, waitMs, error: result.error ?? '' });
        await sleep(waitMs, options.signal);
      }
      const out: DeliveryResult = {
        id: event.id,
        type: event.type,
        profile: options.profile,
        to: routeLabel(route),
        status: result.status,
        ok: result.ok,
        attempts,
        ms: now() - started,
      };
      if (result.error) out.error = scrub(result.error, options.secret);
      return out;
    },
  };
}
