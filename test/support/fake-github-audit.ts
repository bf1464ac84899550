// A loopback fake of GitHub's organisation audit log (GET /orgs/{org}/audit-log), a style none of
// the built-in providers uses: paging by RFC 8288 `Link: <…>; rel="next"` headers with an opaque
// `after` cursor, a bare JSON array as the body, `@timestamp` in epoch *milliseconds`,
// `_document_id` ids, `action` types, `per_page` 1..100, a `phrase` filter (`action:NAME`), newest
// first, and 429s that say when to come back in `x-ratelimit-reset` (epoch seconds).
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type FaultPlan } from './fake-server.js';

export interface AuditEvent {
  '@timestamp': number;
  _document_id: string;
  action: string;
  actor: string;
  org: string;
  repo?: string;
  created_at: number;
  operation_type: string;
}

const ACTIONS = ['repo.create', 'repo.destroy', 'team.add_member', 'org.invite_member', 'protected_branch.update'];
export const ORG = 'acme';
const LIST = `/orgs/${ORG}/audit-log`;

export function auditEvent(n: number, time: number, action = ACTIONS[n % ACTIONS.length]!): AuditEvent {
  return {
    '@timestamp': time,
    _document_id: `Dq${n.toString(36).padStart(10, '0')}XkQ`,
    action,
    actor: `user${n % 13}`,
    org: ORG,
    repo: `${ORG}/repo-${n % 29}`,
    created_at: time,
    operation_type: action.endsWith('create') ? 'create' : 'modify',
  };
}

export interface FakeGithubAudit extends FakeServer {
  apiKey: string;
  events(): AuditEvent[];
  add(...events: AuditEvent[]): void;
  listRequests(): FakeRequest[];
}

const message = (status: number, text: string): FakeResponse => ({ status, body: { message: text, documentation_url: 'https://docs.github.com/rest' } });
/** The cursor of an event: its place in the order, not its index, so inserts do not move it. */
const cursorOf = (e: AuditEvent) => Buffer.from(`${e['@timestamp']}|${e._document_id}`).toString('base64url');

export async function startFakeGithubAudit(options: { faults?: FaultPlan; slowMs?: number; latencyMs?: number } = {}): Promise<FakeGithubAudit> {
  const apiKey = 'ghp_fakeAuditToken0123456789';
  let store: AuditEvent[] = [];
  let view: AuditEvent[] | null = null;
  const before = (a: AuditEvent, b: AuditEvent) => b['@timestamp'] - a['@timestamp'] || (a._document_id < b._document_id ? 1 : a._document_id > b._document_id ? -1 : 0);
  const events = () => (view ??= [...store].sort(before));
  let base = '';

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return message(401, 'Bad credentials');
    if (req.path !== LIST) return message(404, 'Not Found');
    const q = req.query;
    const perPage = Number(q.get('per_page') ?? 30);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return message(422, 'per_page must be between 1 and 100');
    const phrase = q.get('phrase');
    const action = phrase ? /^action:(\S+)$/.exec(phrase)?.[1] : undefined;
    if (phrase && !action) return message(422, `Invalid phrase: ${phrase}`);
    const list = action ? events().filter((e) => e.action === action) : events();
    let from = 0;
    const after = q.get('after');
    if (after) {
      const [ts, id] = Buffer.from(after, 'base64url').toString().split('|');
      const mark = { '@timestamp': Number(ts), _document_id: id ?? '' } as AuditEvent;
      if (!Number.isFinite(mark['@timestamp']) || id === undefined) return message(422, 'Invalid cursor');
      from = list.findIndex((e) => before(mark, e) < 0);
      if (from < 0) from = list.length;
    }
    const page = list.slice(from, from + perPage);
    const headers: Record<string, string> = {};
    if (from + perPage < list.length && page.length > 0) {
      const next = new URLSearchParams(q);
      next.set('after', cursorOf(page[page.length - 1]!));
      headers.link = `<${base}${LIST}?${next}>; rel="next", <${base}${LIST}?per_page=${perPage}>; rel="first"`;
    }
    return { status: 200, headers, body: page };
  };

  const server = await startFakeServer({
    handle,
    rateLimited: () => ({
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
      body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest/rate-limit' },
    }),
    faults: options.faults,
    slowMs: options.slowMs,
    latencyMs: options.latencyMs,
  });
  base = server.url;
  return Object.assign(server, {
    apiKey,
    events,
    add(...more: AuditEvent[]) {
      store = store.concat(more);
      view = null;
    },
    listRequests: () => server.requests.filter((r) => r.path === LIST),
  });
}
