// The webhook recipe a description names: one the tool already speaks for a built-in provider, or
// one of the common constructions (docs/webhooks.md). Every body is the event's own JSON text.
import { bem } from '../bem.js';
import { blueai } from '../blueai.js';
import { close } from '../close.js';
import { seam } from '../seam.js';
import type { WebhookFormat } from '../types.js';
import { hmac, standardWebhooks, stripeStyle, utf8Key } from '../webhook.js';
import type { Webhook } from './format.js';

const BUILTIN = { blueai, bem, close, seam };

const json = { 'content-type': 'application/json' };

export function webhookFormat(w: Webhook, provider: string): WebhookFormat {
  switch (w.scheme) {
    case 'builtin':
      return BUILTIN[w.provider].webhook!;
    case 'standard-webhooks':
      return standardWebhooks('webhook', 'Standard Webhooks', provider);
    case 'svix':
      return standardWebhooks('svix', 'Svix', provider);
    case 'stripe':
      return stripeStyle(w.header);
    case 'hmac-sha256':
      return {
        scheme: w.header,
        body: (raw) => raw,
        key: utf8Key,
        headers: ({ body, key }) => (key ? { ...json, [w.header]: `${w.prefix}${hmac(key, body, w.encoding)}` } : { ...json }),
      };
    case 'none':
      return { scheme: 'unsigned', body: (raw) => raw, key: utf8Key, headers: () => ({ ...json }) };
  }
}
