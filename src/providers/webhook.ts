// What the providers' webhook pieces share (docs/webhooks.md): HMAC-SHA256 and the Standard
// Webhooks construction, which Seam (through Svix, `svix-*` headers) and our BlueAI stand-in
// (`webhook-*` headers) both use. Node's crypto suffices; the tests verify with other libraries.
import { UsageError } from '../errors.js';
import type { WebhookFormat } from './types.js';

// Every provider module imports this one, so every command would pay for loading node:crypto
// (5 ms of start-up); only delivery signs, so it is loaded when first used.
const crypto = () => process.getBuiltinModule('node:crypto') as typeof import('node:crypto');

/** HMAC-SHA256 of `text` (UTF-8) under `key`, in hex or base64. */
export function hmac(key: Uint8Array, text: string, encoding: 'hex' | 'base64'): string {
  return crypto().createHmac('sha256', key).update(text, 'utf8').digest(encoding);
}

/** A secret used as it is written (Stripe's whsec_… included), as HMAC key bytes. */
export const utf8Key = (secret: string): Uint8Array => Buffer.from(secret.trim(), 'utf8');

/** A `whsec_…` secret (the prefix optional) as its base64-decoded key bytes. */
export function standardKey(secret: string, provider: string): Uint8Array {
  const b64 = secret.trim().replace(/^whsec_/, '');
  if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new UsageError(`the ${provider} webhook secret is not a whsec_… base64 secret: use the endpoint's signing secret`);
  }
  return Buffer.from(b64, 'base64');
}

/**
 * A stable message id for an event: a repeated replay carries the same id, as a provider's resend
 * does, so handlers that dedupe on it see a resend.
 */
export function messageId(eventId: string): string {
  return `msg_${crypto().createHash('sha256').update(eventId).digest('base64url').slice(0, 27)}`;
}

/** The Standard Webhooks scheme with the header prefix `svix` (Seam) or `webhook` (the spec). */
export function standardWebhooks(prefix: 'svix' | 'webhook', scheme: string, provider: string, userAgent?: string): WebhookFormat {
  return {
    scheme,
    body: (raw) => raw,
    key: (secret) => standardKey(secret, provider),
    headers({ body, eventId, ts, key }) {
      const id = messageId(eventId);
      const headers: Record<string, string> = { 'content-type': 'application/json', [`${prefix}-id`]: id, [`${prefix}-timestamp`]: String(ts) };
      if (userAgent) headers['user-agent'] = userAgent;
      if (key) headers[`${prefix}-signature`] = `v1,${hmac(key, `${id}.${ts}.${body}`, 'base64')}`;
      return headers;
    },
  };
}

/** Stripe's construction under the header `header`: `t=TS,v1=HEX` of HMAC-SHA256(secret as UTF-8, `TS.body`). */
export function stripeStyle(header: string): WebhookFormat {
  return {
    scheme: header,
    body: (raw) => raw,
    key: utf8Key,
    headers: ({ body, ts, key }) => ({ 'content-type': 'application/json', ...(key ? { [header]: `t=${ts},v1=${hmac(key, `${ts}.${body}`, 'hex')}` } : {}) }),
  };
}
