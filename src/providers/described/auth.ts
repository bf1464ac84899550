// How a described provider sends its key: headers, or a query parameter.
import type { Auth } from './format.js';

export function authHeaders(auth: Auth, apiKey: string): Record<string, string> {
  switch (auth.type) {
    case 'bearer':
      return { authorization: `Bearer ${apiKey}` };
    case 'basic': {
      const pair = auth.key === 'user' ? `${apiKey}:` : `:${apiKey}`;
      return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
    }
    case 'header':
      return { [auth.name]: `${auth.prefix}${apiKey}` };
    default:
      return {};
  }
}

export function authQuery(auth: Auth, apiKey: string): Record<string, string> {
  return auth.type === 'query' ? { [auth.name]: apiKey } : {};
}
