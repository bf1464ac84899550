// Where deliveries go: `--to [TYPES=]URL` routes (the first whose types match wins) or one
// `--exec CMD`. Every malformed value is a usage error (exit 2) before anything is sent.
import { UsageError } from '../errors.js';
import { typeMatches } from '../store/filter.js';
import { parseType } from '../parse.js';

/** One destination: a URL or a shell command, for events of `types` (none: every type). */
export type Route = { types: string[]; url: string; exec?: undefined } | { types: string[]; exec: string; url?: undefined };

/** `--to` values and `--exec` as routes, in the order given. */
export function parseRoutes(to: string[] | undefined, exec: string | undefined): Route[] {
  const given = to ?? [];
  if (exec !== undefined && given.length > 0) throw new UsageError('--exec and --to do not go together: deliver to URLs or to a command, not both');
  if (exec !== undefined) {
    if (exec.trim() === '') throw new UsageError('invalid --exec "": give a command, e.g. --exec \'jq .type\'');
    return [{ types: [], exec }];
  }
  if (given.length === 0) throw new UsageError('say where to deliver: --to URL (or --to \'TYPES=URL\'), or --exec CMD');
  return given.map(parseRoute);
}

/** `http://…` alone, or `invoice.*,crm.deal.*=http://…`. */
export function parseRoute(value: string): Route {
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return { types: [], url: checkUrl(v, value) };
  const at = v.indexOf('=');
  if (at <= 0) throw new UsageError(`invalid --to "${value}": use URL or TYPES=URL, e.g. --to 'invoice.*=http://127.0.0.1:3000/hooks'`);
  const types = v
    .slice(0, at)
    .split(',')
    .map((t) => {
      try {
        return parseType(t);
      } catch {
        throw new UsageError(`invalid --to "${value}": "${t.trim()}" is not a type or prefix.* pattern`);
      }
    });
  return { types, url: checkUrl(v.slice(at + 1).trim(), value) };
}

function checkUrl(url: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid --to "${value}": "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`invalid --to "${value}": only http:// and https:// URLs can receive webhooks`);
  }
  return parsed.toString();
}

/** The first route that takes events of `type`, or undefined. */
export function routeFor(routes: Route[], type: string): Route | undefined {
  return routes.find((r) => typeMatches(type, r.types));
}

/** A route as results show it: the URL (without credentials) or `exec`. */
export function routeLabel(route: Route): string {
  if (route.exec !== undefined) return 'exec';
  const u = new URL(route.url);
  u.username = '';
  u.password = '';
  return u.toString();
}
