// What went wrong below HTTP, read from Node's and undici's error codes. The provider client
// (client.ts) and webhook delivery (deliver/send.ts) each put these kinds in their own words: a
// provider's reset is "connection reset", a local handler's is "closed the connection".

export type TransportFailure = 'refused' | 'reset' | 'timeout' | 'no host';

/** The kind of transport failure `err` is, or undefined for anything else. */
export function transportFailure(err: unknown): TransportFailure | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  switch (e.code ?? e.cause?.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'reset';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no host';
    default:
      return undefined;
  }
}
