// `events provider check FILE [--live --api-key-env VAR] [--base-url URL]`: says whether a
// description is valid and, live, what it understands of one page of the real API.
import { checkBaseUrl, type Connection } from '../../config/connection.js';
import { UsageError } from '../../errors.js';
import { buildProvider } from '../../providers/described/build.js';
import { readDescription } from '../../providers/described/saved.js';
import type { ApiRequest, Page } from '../../providers/types.js';
import { describeRequest, encodeQuery } from '../../http/encode.js';
import { sanitize } from '../../output/sanitize.js';
import type { Session } from '../session.js';
import { outline } from './provider.js';

export interface CheckFlags {
  live?: boolean;
  apiKeyEnv?: string;
  baseUrl?: string;
}

/** A provider's value, quoted: the line it goes in is sanitised whole (event content and cursors are untrusted). */
const shown = (value: unknown) => JSON.stringify(value);

export async function providerCheck(session: Session, file: string, flags: CheckFlags): Promise<void> {
  const { io } = session;
  const d = readDescription(file);
  const out = (line: string): void => void io.stdout.write(`${sanitize(line)}\n`);
  if (!flags.live) {
    if (flags.apiKeyEnv !== undefined || flags.baseUrl !== undefined) throw new UsageError('--api-key-env and --base-url are for --live: add --live to fetch a page');
    return out(`ok: ${file} describes "${d.name}": ${outline(d)}`);
  }
  let apiKey = '';
  if (d.auth.type !== 'none') {
    if (!flags.apiKeyEnv) throw new UsageError(`--live needs the API key: give --api-key-env VAR (${d.name} sends it as ${d.auth.type})`);
    apiKey = io.env[flags.apiKeyEnv] ?? '';
    if (!apiKey) throw new UsageError(`--api-key-env ${flags.apiKeyEnv}: that environment variable is not set or empty`);
  }
  const provider = buildProvider(d);
  const baseUrl = flags.baseUrl === undefined ? d.baseUrl : checkBaseUrl(flags.baseUrl, '--base-url');
  const conn: Connection = { name: `check:${d.name}`, profileName: `check of ${d.name}`, provider, baseUrl, apiKey };
  const client = await session.client(conn);
  const first = provider.firstRequest({ now: Date.now() });
  const page: Page = await client.send(first, (body, meta) => provider.readPage(body, first, meta));
  out(`ok: ${file} describes "${d.name}": ${outline(d)}`);
  out(`page 1: ${page.events.length} event${page.events.length === 1 ? '' : 's'} from ${describeRequest(first)}`);
  const head = page.events[0];
  if (head) {
    // Reading the first event as a sync would: a field the description misplaces fails here.
    const row = provider.normalize(head);
    out(`first event: id ${shown(row.id)}, type ${shown(row.type)}, time ${new Date(row.time).toISOString()}${row.object ? `, object ${shown(row.object)}` : ''}`);
  }
  out(`next page: ${page.next ? nextOf(page.next) : 'none (the list ends here)'}`);
}

/** What the next request carries that says where the walk goes on. */
function nextOf(next: ApiRequest): string {
  if (next.url) return shown(next.url);
  const params = next.query ?? next.body ?? {};
  return `${describeRequest(next)}${encodeQuery(params as ApiRequest['query'], 'repeat')}`;
}
