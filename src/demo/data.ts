// Sample events for the demo API: invoices, CRM deals and companies, customers, in BlueAI's shape
// (docs/providers.md §1.5). Seeded from the demo's first start, so every start serves the same events at
// the same times, as a real API would.

export interface DemoEvent {
  id: string;
  object: 'event';
  type: string;
  organization_id: string;
  data: Record<string, string | number | null>;
  previous_attributes: Record<string, string | number> | null;
  request_id: string | null;
  created_at: string;
}

/** A small seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = ['Kobayashi Trading', 'Sakura Foods', 'Hoshino Design', 'Tanaka Logistics', 'Mori Clinic', 'Aoki Robotics', 'Fuji Textiles', 'Ishida Legal'];
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];
const INVOICE_FLOW = ['invoice.created', 'invoice.approved', 'invoice.sent', 'invoice.paid'];

/** Makes demo events; `next(time)` returns one more, as a live API would produce. */
function demoEvents(seed = 42): { history(count: number, end: number): DemoEvent[]; next(time: number): DemoEvent } {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const hex = (n: number) => {
    let text = '';
    for (let i = 0; i < n; i++) text += Math.floor(rnd() * 16).toString(16);
    return text;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  // The invoices still open, in the order they were created.
  const open: Array<{ id: string; step: number; total: number; customer: string }> = [];

  const make = (time: number): DemoEvent => {
    const roll = rnd();
    let type: string;
    let data: DemoEvent['data'];
    let previous: DemoEvent['previous_attributes'] = null;
    if (roll < 0.55) {
      if (open.length === 0 || rnd() < 0.3) {
        const inv = { id: `inv_${hex(10)}`, step: 0, total: Math.round(rnd() * 500) * 1100, customer: pick(COMPANIES) };
        open.push(inv);
        type = INVOICE_FLOW[0]!;
        data = { id: inv.id, object: 'invoice', status: 'draft', customer_name: inv.customer, total_amount: inv.total };
      } else {
        const inv = pick(open);
        const before = INVOICE_FLOW[inv.step]!.split('.')[1]!;
        inv.step += rnd() < 0.05 ? INVOICE_FLOW.length : 1;
        if (inv.step >= INVOICE_FLOW.length - 1) open.splice(open.indexOf(inv), 1);
        type = inv.step >= INVOICE_FLOW.length ? 'invoice.cancelled' : INVOICE_FLOW[inv.step]!;
        const status = type.split('.')[1]!;
        data = { id: inv.id, object: 'invoice', status, customer_name: inv.customer, total_amount: inv.total };
        previous = { status: before };
      }
    } else if (roll < 0.8) {
      const stage = pick(STAGES);
      type = pick(['crm.deal.created', 'crm.deal.stage_updated', 'crm.deal.updated']);
      data = { id: `deal_${hex(8)}`, object: 'crm.deal', name: `${pick(COMPANIES)} renewal`, stage, amount: Math.round(rnd() * 90) * 10_000 };
      if (type !== 'crm.deal.created') previous = { stage: pick(STAGES) };
    } else if (roll < 0.9) {
      type = pick(['crm.company.created', 'crm.company.updated', 'crm.contact.created']);
      data = { id: `${type.includes('contact') ? 'cont' : 'comp'}_${hex(8)}`, object: type.split('.').slice(0, 2).join('.'), name: pick(COMPANIES) };
    } else {
      type = pick(['customer.created', 'customer.updated', 'forms.response.submitted', 'mail.campaign.sent']);
      data = { id: `${type.split('.')[0]!.slice(0, 4)}_${hex(8)}`, object: type.split('.').slice(0, -1).join('.'), name: pick(COMPANIES) };
    }
    return {
      id: `evt_${uuid()}`,
      object: 'event',
      type,
      organization_id: 'org_demo',
      data,
      previous_attributes: previous,
      request_id: rnd() < 0.8 ? `req_${hex(12)}` : null,
      created_at: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  };

  return {
    history(count, end) {
      // Spread over the last two weeks, busier in working hours.
      const span = 14 * 86_400_000;
      const times = Array.from({ length: count }, () => end - Math.floor(rnd() ** 1.3 * span)).sort((a, b) => a - b);
      return times.map(make);
    },
    next: make,
  };
}

const HOUR_MS = 3_600_000;

/**
 * The demo's timeline: `history` events before `start` (the demo's first start, kept in the config
 * dir), then one every few seconds after it, each at a time the seed fixes. Whenever the demo
 * starts, it serves the same events at the same times, and events new to it get new ids.
 */
export function demoTimeline(start: number, options: { history?: number; everyMs?: number; seed?: number } = {}) {
  const seed = options.seed ?? 42;
  const every = options.everyMs ?? 4000;
  const history = demoEvents(seed).history(options.history ?? 3000, start);
  // Live events are made an hour at a time, each hour from generators seeded with its number, so
  // a demo restarted long after its first start makes only the hours it serves.
  const makeHour = (hour: number): Array<{ at: number; event: DemoEvent }> => {
    const source = demoEvents(seed + 1 + hour);
    const gaps = random((seed ^ 0x5eed) + hour);
    const out: Array<{ at: number; event: DemoEvent }> = [];
    const end = start + (hour + 1) * HOUR_MS;
    for (let at = start + hour * HOUR_MS + 500 + Math.floor(gaps() * every); at < end; at += 500 + Math.floor(gaps() * every)) {
      out.push({ at, event: source.next(at) });
    }
    return out;
  };
  let hour = 0;
  let queue = makeHour(0);
  let next = 0;
  return {
    /** The events before `start`, oldest first. */
    history,
    /** The live events due by `now` and not yet given, oldest first, leaving out those before `from`. */
    upTo(now: number, from = -Infinity): DemoEvent[] {
      const out: DemoEvent[] = [];
      const skipTo = Math.floor((from - start) / HOUR_MS);
      if (skipTo > hour) [hour, queue, next] = [skipTo, makeHour(skipTo), 0];
      for (;;) {
        for (; next < queue.length && queue[next]!.at <= now; next++) if (queue[next]!.at >= from) out.push(queue[next]!.event);
        if (next < queue.length || start + (hour + 1) * HOUR_MS > now) return out;
        [hour, queue, next] = [hour + 1, makeHour(hour + 1), 0];
      }
    },
    /** When the next live event is due (ms), or the next hour begins. */
    due: () => queue[next]?.at ?? start + (hour + 1) * HOUR_MS,
  };
}
