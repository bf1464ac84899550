// Types of generators.mjs.
export type Provider = 'blueai' | 'bem' | 'close' | 'seam' | 'stripe';

export interface BlueaiEvent {
  id: string;
  object: 'event';
  type: string;
  organization_id: string;
  data: Record<string, unknown>;
  previous_attributes: Record<string, unknown> | null;
  request_id: string | null;
  created_at: string;
}

export interface BemEvent {
  eventID: string;
  eventType: string;
  /** Optional in the SDK's types: some events come without it. */
  createdAt?: string;
  referenceID: string;
  functionCallID: string;
  functionID: string;
  functionName: string;
  functionVersionNum: number;
  callID?: string;
  workflowName?: string;
  transformationID: string;
  transformedContent: Record<string, unknown>;
  correctedContent?: Record<string, unknown>;
  invalidProperties: string[];
  metadata: { durationFunctionToEventSeconds: number };
  itemOffset: number;
  itemCount: number;
}

export interface BemEventOptions {
  type?: string;
  offset?: 'Z' | '+08:00';
  /** Leave createdAt out (the SDK marks it optional). */
  noCreatedAt?: boolean;
  labelled?: boolean;
}

export interface CloseEvent {
  id: string;
  date_created: string;
  date_updated: string;
  organization_id: string;
  user_id: string | null;
  request_id: string | null;
  api_key_id: string | null;
  oauth_client_id: string | null;
  oauth_scope: string | null;
  object_type: string;
  object_id: string;
  lead_id: string | null;
  action: string;
  changed_fields: string[];
  data: Record<string, unknown> | null;
  previous_data: Record<string, unknown>;
  meta: Record<string, unknown>;
}

export interface SeamEvent {
  event_id: string;
  event_type: string;
  workspace_id: string;
  created_at: string;
  occurred_at: string;
  event_description: string;
  device_id?: string;
  access_code_id?: string;
  connected_account_id?: string;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: { id: string; object: string; status: string; amount: number } };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface EventOf {
  blueai: BlueaiEvent;
  bem: BemEvent;
  close: CloseEvent;
  seam: SeamEvent;
  stripe: StripeEvent;
}

export function seededRandom(seed: number): () => number;
export const BLUEAI_TYPES: string[];
export function blueaiEvent(n: number, time: number, type?: string): BlueaiEvent;
export const BEM_TYPES: string[];
export function ksuid(time: number, n: number): string;
export function rfc3339(time: number, offset?: 'Z' | '+08:00'): string;
export function bemEvent(n: number, time: number, options?: BemEventOptions): BemEvent;
export function closeTime(ms: number): string;
export function closeEvent(n: number, time: number): CloseEvent;
export function isoMicros(us: number): string;
export function seamEvent(n: number, us: number, extra?: Partial<SeamEvent>): SeamEvent;
export const STRIPE_TYPES: string[];
export function stripeEvent(n: number, time: number, type?: string): StripeEvent;
export const GENERATORS: { [P in Provider]: (n: number, time: number) => EventOf[P] };
export function history<P extends Provider>(provider: P, count: number, end?: number, stepMs?: number, from?: number): Array<EventOf[P]>;
