// The server's life on stdio: it runs until its stdin ends (the client closed it) or Ctrl-C. A
// client that writes its requests and then closes stdin (`printf … | events mcp`) still gets every
// answer: the end waits for the requests in flight.
import type { Readable } from 'node:stream';

type Id = string | number;
type Message = { id?: Id; method?: string };

/** The part of the SDK's StdioServerTransport this file wraps. */
interface Transport {
  onmessage?: ((message: never, extra?: never) => void) | undefined;
  send(message: never, options?: never): Promise<void>;
}

/** Resolves when `stdin` has ended and every request read from it is answered, or at once on `signal`. */
export function untilDone(transport: Transport, stdin: Readable, signal: AbortSignal): Promise<void> {
  const inFlight = new Set<Id>();
  let ended = false;
  return new Promise<void>((resolve) => {
    const check = () => {
      if (ended && inFlight.size === 0) resolve();
    };
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const m = message as Message;
      if (m.method !== undefined && m.id !== undefined) inFlight.add(m.id);
      receive?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      await send(message, options);
      const m = message as Message;
      if (m.method === undefined && m.id !== undefined && inFlight.delete(m.id)) check();
    };
    stdin.once('end', () => {
      ended = true;
      check();
    });
    stdin.once('close', () => {
      ended = true;
      check();
    });
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
