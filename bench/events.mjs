// Event generators for the benchmarks: the same shapes as the loopback fakes in test/support
// (which are TypeScript and need vitest to run), written as plain JS so the bench runs on the
// built product with plain node. Each returns the events newest first, one `stepMs` apart.

const BLUEAI_TYPES = ['invoice.created', 'invoice.paid', 'invoice.sent', 'crm.deal.created', 'crm.deal.updated', 'customer.created'];

/** A BlueAI event numbered `n` at `time` (ms), as fake-blueai.ts makes them. */
export function blueaiEvent(n, time) {
  const type = BLUEAI_TYPES[n % BLUEAI_TYPES.length];
  const hex = n.toString(16).padStart(12, '0');
  const family = type.split('.').slice(0, -1).join('.');
  return {
    id: `evt_${hex.slice(0, 8)}-0000-4000-8000-${hex}`,
    object: 'event',
    type,
    organization_id: 'org_bench',
    data: { id: `${family.replace('crm.', '')}_${n % 97}`, object: family, status: n % 2 ? 'paid' : 'draft', total_amount: n * 100 },
    previous_attributes: null,
    request_id: `req_${n}`,
    created_at: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

const BEM_TYPES = ['transform', 'route', 'split_collection', 'split_item', 'join', 'extract', 'classify'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 27-character KSUID-like id that sorts by `time` then `n` (enough for a desc cursor). */
function ksuid(time, n) {
  let value = (BigInt(Math.floor(time / 1000) - 1_400_000_000) << 128n) | BigInt(n);
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(27, '0');
}

/** A bem event numbered `n` at `time` (ms), as fake-bem.ts makes them. */
export function bemEvent(n, time) {
  const id = ksuid(time, n);
  return {
    eventID: id,
    eventType: BEM_TYPES[n % BEM_TYPES.length],
    createdAt: new Date(Math.floor(time / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    referenceID: `ref-${n}`,
    functionCallID: `fc_${n % 41}`,
    functionID: `f_${n % 5}`,
    functionName: `invoice-extract-${n % 5}`,
    functionVersionNum: 1 + (n % 3),
    callID: `call_${Math.floor(n / 3)}`,
    workflowName: 'invoices',
    transformationID: `tr_${id}`,
    transformedContent: { invoiceNumber: `INV-${n}`, total: n * 10 },
    invalidProperties: [],
    metadata: { durationFunctionToEventSeconds: n % 7 },
    itemOffset: 0,
    itemCount: 1,
  };
}

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

/** Close's naive timestamp: UTC, no offset, microseconds. */
const closeTime = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');

/** A Close event numbered `n` at `time` (ms), as fake-close.ts makes them. */
export function closeEvent(n, time) {
  const [objectType, action] = CLOSE_KINDS[n % CLOSE_KINDS.length];
  const lead = `lead_${(n % 7).toString().padStart(4, '0')}`;
  const objectId = objectType === 'lead' ? lead : `${objectType.split('.').pop().slice(0, 4)}_${n % 13}`;
  return {
    id: `ev_${n.toString(36).padStart(8, '0')}`,
    date_created: closeTime(time),
    date_updated: closeTime(time),
    organization_id: 'orga_bench',
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
    data: action === 'deleted' ? null : { id: objectId, _type: objectType, note: `event ${n}` },
    previous_data: action === 'updated' ? { name: 'old' } : {},
    meta: { request_method: 'POST', request_path: `/api/v1/${objectType.replace('.', '/')}/` },
  };
}

const SEAM_TYPES = ['lock.locked', 'lock.unlocked', 'access_code.created', 'device.connected', 'device.low_battery'];
const SEAM_DEVICES = ['dev_front', 'dev_back', 'dev_garage'];

/** A Seam event numbered `n` created at `time` (ms), as fake-seam.ts makes them. */
export function seamEvent(n, time) {
  const type = SEAM_TYPES[n % SEAM_TYPES.length];
  const event = {
    event_id: `5eae0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    event_type: type,
    workspace_id: 'ws_bench',
    created_at: new Date(time).toISOString(),
    occurred_at: new Date(time - 2).toISOString(),
    event_description: '',
    device_id: SEAM_DEVICES[n % SEAM_DEVICES.length],
    connected_account_id: 'ca_bench',
  };
  if (type.startsWith('access_code.')) event.access_code_id = `ac_${n % 11}`;
  return event;
}

const STRIPE_TYPES = ['invoice.created', 'invoice.paid', 'customer.created', 'charge.succeeded', 'payment_intent.succeeded'];

/** A Stripe event numbered `n` at `time` (ms), as test/support/fake-stripe.ts makes them (epoch-second `created`). */
export function stripeEvent(n, time) {
  const type = STRIPE_TYPES[n % STRIPE_TYPES.length];
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

export const GENERATORS = { blueai: blueaiEvent, bem: bemEvent, close: closeEvent, seam: seamEvent, stripe: stripeEvent };

/** `count` events of `provider`, newest first, `stepMs` apart, the newest at `end`. */
export function history(provider, count, end = Date.now(), stepMs = 1000) {
  const make = GENERATORS[provider];
  return Array.from({ length: count }, (_, i) => make(count - 1 - i, end - i * stepMs));
}
