// The events the loopback fakes serve (test/support/fake-*.ts) and the benchmarks' fake servers
// serve (bench/), made by one code: realistic shapes of each provider (docs/providers.md), varied
// by a number `n` and placed at a given time. Plain JavaScript because the benchmarks run with
// plain node; its types are in generators.d.mts.

/** A small seeded PRNG (mulberry32): the same sequence for the same seed. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- BlueAI (§1)

export const BLUEAI_TYPES = ['invoice.created', 'invoice.paid', 'invoice.sent', 'crm.deal.created', 'crm.deal.updated', 'customer.created'];

/** A BlueAI event at `time` (ms); `n` makes the id unique and varies type and object. */
export function blueaiEvent(n, time, type = BLUEAI_TYPES[n % BLUEAI_TYPES.length]) {
  const hex = n.toString(16).padStart(12, '0');
  const family = type.split('.').slice(0, -1).join('.');
  return {
    id: `evt_${hex.slice(0, 8)}-0000-4000-8000-${hex}`,
    object: 'event',
    type,
    organization_id: 'org_test',
    data: { id: `${family.replace('crm.', '')}_${n % 97}`, object: family, status: n % 2 ? 'paid' : 'draft', total_amount: n * 100 },
    previous_attributes: null,
    request_id: `req_${n}`,
    created_at: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

// ---- bem (§2)

export const BEM_TYPES = ['transform', 'route', 'split_collection', 'split_item', 'join', 'extract', 'classify'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_S = 1_400_000_000;

/**
 * A real KSUID for `time` (ms): 4 bytes of seconds since the KSUID epoch, then a 16-byte payload
 * that looks random (seeded by `n`) and ends with `n`, so ids are unique and, like real ones,
 * sorted by second but in no particular order within a second.
 */
export function ksuid(time, n) {
  const seconds = BigInt(Math.floor(time / 1000) - KSUID_EPOCH_S);
  const rnd = seededRandom(n + 1);
  let payload = 0n;
  for (let i = 0; i < 3; i++) payload = (payload << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
  payload = (payload << 32n) | BigInt(n >>> 0);
  let value = (seconds << 128n) | payload;
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(27, '0');
}

/** `time` as RFC 3339 to the second, in UTC (`Z`) or at +08:00 as some bem examples show. */
export function rfc3339(time, offset = 'Z') {
  const shift = offset === 'Z' ? 0 : 8 * 3_600_000;
  const text = new Date(Math.floor(time / 1000) * 1000 + shift).toISOString().replace(/\.\d{3}Z$/, '');
  return text + offset;
}

/** A bem event created at `time` (ms); `n` makes it unique and varies type, call and offset. */
export function bemEvent(n, time, options = {}) {
  const id = ksuid(time, n);
  const event = {
    eventID: id,
    eventType: options.type ?? BEM_TYPES[n % BEM_TYPES.length],
    referenceID: `ref-${n}`,
    functionCallID: `fc_${n % 41}`,
    functionID: `f_${n % 5}`,
    functionName: `invoice-extract-${n % 5}`,
    functionVersionNum: 1 + (n % 3),
    // Older events name only the function call (§2.4: callIDs is newer).
    ...(n % 4 === 3 ? {} : { callID: `call_${Math.floor(n / 3)}`, workflowName: 'invoices' }),
    transformationID: `tr_${id}`,
    transformedContent: { invoiceNumber: `INV-${n}`, total: n * 10 },
    ...(options.labelled ? { correctedContent: { output: [{ total: n * 10 + 1 }] } } : {}),
    invalidProperties: [],
    metadata: { durationFunctionToEventSeconds: n % 7 },
    itemOffset: 0,
    itemCount: 1,
  };
  if (!options.noCreatedAt) event.createdAt = rfc3339(time, options.offset ?? (n % 3 === 0 ? '+08:00' : 'Z'));
  return event;
}

// ---- Close (§3)

const CLOSE_KINDS = [
  ['lead', 'created'],
  ['contact', 'updated'],
  ['activity.email', 'sent'],
  ['opportunity', 'created'],
  ['activity.note', 'created'],
  ['task.lead', 'completed'],
  ['activity.call', 'created'],
  ['lead', 'deleted'],
];

/** Close's naive timestamp: UTC, no offset, microseconds (always ending 000: ms precision). */
export function closeTime(ms) {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** A Close event numbered `n` at `time` (ms): `n` makes the id unique and varies the rest. */
export function closeEvent(n, time) {
  const [objectType, action] = CLOSE_KINDS[n % CLOSE_KINDS.length];
  const lead = `lead_${(n % 7).toString().padStart(4, '0')}`;
  const objectId = objectType === 'lead' ? lead : `${objectType.split('.').pop().slice(0, 4)}_${n % 13}`;
  return {
    id: `ev_${n.toString(36).padStart(8, '0')}`,
    date_created: closeTime(time),
    date_updated: closeTime(time),
    organization_id: 'orga_test',
    user_id: n % 5 === 0 ? null : `user_${n % 3}`,
    request_id: `req_${n}`,
    api_key_id: null,
    oauth_client_id: null,
    oauth_scope: null,
    object_type: objectType,
    object_id: objectId,
    lead_id: lead,
    action,
    changed_fields: action === 'updated' ? ['name'] : [],
    // Dates inside `data` carry an offset, unlike the event's own.
    data: action === 'deleted' ? null : { id: objectId, _type: objectType, note: `event ${n}`, date_created: `${new Date(time).toISOString().slice(0, -1)}+00:00` },
    previous_data: action === 'updated' ? { name: 'old' } : {},
    meta: { request_method: 'POST', request_path: `/api/v1/${objectType.replace('.', '/')}/` },
  };
}

// ---- Seam (§4)

const SEAM_TYPES = ['lock.locked', 'lock.unlocked', 'access_code.created', 'device.connected', 'device.low_battery'];
const SEAM_DEVICES = ['dev_front', 'dev_back', 'dev_garage'];

/** ISO with microseconds, as Seam's docs show (`2025-06-15T16:54:18.000000Z`). */
export function isoMicros(us) {
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().replace('Z', `${String(us % 1000).padStart(3, '0')}Z`);
}

/** A Seam event created at `us` (epoch microseconds); `n` makes the id unique. */
export function seamEvent(n, us, extra = {}) {
  const hex = n.toString(16).padStart(12, '0');
  const type = SEAM_TYPES[n % SEAM_TYPES.length];
  const event = {
    event_id: `5eae0000-0000-4000-8000-${hex}`,
    event_type: type,
    workspace_id: 'ws_test',
    created_at: isoMicros(us),
    // Devices report a moment before Seam ingests.
    occurred_at: isoMicros(us - 1500),
    event_description: '',
    device_id: SEAM_DEVICES[n % SEAM_DEVICES.length],
    connected_account_id: 'ca_test',
  };
  if (type.startsWith('access_code.')) event.access_code_id = `ac_${n % 11}`;
  return { ...event, ...extra };
}

// ---- Stripe-like (a described provider's test API)

export const STRIPE_TYPES = ['invoice.created', 'invoice.paid', 'customer.created', 'charge.succeeded', 'payment_intent.succeeded'];

/** A Stripe event at `time` (ms, kept to the second: `created` is epoch seconds); `n` makes the id unique. */
export function stripeEvent(n, time, type = STRIPE_TYPES[n % STRIPE_TYPES.length]) {
  const family = type.split('.')[0];
  return {
    id: `evt_1P${n.toString(36).padStart(22, '0')}`,
    object: 'event',
    api_version: '2024-06-20',
    created: Math.floor(time / 1000),
    data: { object: { id: `${family.slice(0, 3)}_${n % 89}`, object: family, status: n % 2 ? 'paid' : 'open', amount: n * 100 } },
    livemode: false,
    pending_webhooks: 0,
    request: { id: `req_${n}`, idempotency_key: null },
    type,
  };
}

// ---- Histories

/** Event `n` of `provider` at `time` (ms). */
export const GENERATORS = {
  blueai: (n, time) => blueaiEvent(n, time),
  bem: (n, time) => bemEvent(n, time),
  close: (n, time) => closeEvent(n, time),
  seam: (n, time) => seamEvent(n, time * 1000),
  stripe: (n, time) => stripeEvent(n, time),
};

/**
 * `count` events of `provider` `stepMs` apart, the newest at `end`, oldest first: event `from + i`
 * is the i-th oldest, so a larger number is always a newer event.
 */
export function history(provider, count, end = Date.now(), stepMs = 1000, from = 0) {
  const make = GENERATORS[provider];
  return Array.from({ length: count }, (_, i) => make(from + i, end - (count - 1 - i) * stepMs));
}
