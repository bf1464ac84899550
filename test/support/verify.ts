// Independent checks of the signatures `replay` and `forward` send: the `standardwebhooks` package
// for Svix (Seam) and Standard Webhooks (BlueAI), and the recipes the providers document for Close
// and bem (docs/webhooks.md), written here apart from src/ so a shared mistake cannot hide.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

const one = (h: IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Close's documented check: HMAC-SHA256(hex-decoded key, timestamp + body) in lowercase hex. */
export function closeSignature(key: string, timestamp: string, body: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(timestamp + body).digest('hex');
}

/** bem's documented check: `t=…,v1=…`, HMAC-SHA256(secret, `t.body`) in hex. */
export function bemSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Throws unless the request carries a valid signature of `provider` under `secret`, made within 5 minutes. */
export function verifyRequest(provider: string, secret: string, headers: IncomingHttpHeaders, body: string): void {
  const now = Math.floor(Date.now() / 1000);
  const fresh = (ts: string | undefined) => {
    if (!ts || Math.abs(now - Number(ts)) > 300) throw new Error(`timestamp ${ts} is not within 5 minutes`);
  };
  switch (provider) {
    case 'close': {
      const ts = one(headers, 'close-sig-timestamp');
      fresh(ts);
      if (!same(closeSignature(secret, ts!, body), one(headers, 'close-sig-hash') ?? '')) throw new Error('close-sig-hash does not match');
      return;
    }
    case 'bem': {
      const parts = Object.fromEntries((one(headers, 'bem-signature') ?? '').split(',').map((p) => p.split('=') as [string, string]));
      fresh(parts.t);
      if (!same(bemSignature(secret, parts.t!, body), parts.v1 ?? '')) throw new Error('bem-signature does not match');
      return;
    }
    case 'seam': {
      // Svix's headers are Standard Webhooks' under another prefix (what the svix package maps).
      const mapped = { 'webhook-id': one(headers, 'svix-id')!, 'webhook-timestamp': one(headers, 'svix-timestamp')!, 'webhook-signature': one(headers, 'svix-signature')! };
      new Webhook(secret).verify(body, mapped);
      return;
    }
    case 'blueai': {
      const mapped = { 'webhook-id': one(headers, 'webhook-id')!, 'webhook-timestamp': one(headers, 'webhook-timestamp')!, 'webhook-signature': one(headers, 'webhook-signature')! };
      new Webhook(secret).verify(body, mapped);
      return;
    }
    default:
      throw new Error(`no verifier for ${provider}`);
  }
}
