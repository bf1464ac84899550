// A webhook handler on 127.0.0.1 for the delivery tests: it records every request (headers and
// the raw body, byte for byte) and answers as the test says: 2xx, an error, a redirect, a hang, or
// a connection closed without an answer.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'close';

export interface Receiver {
  url: string;
  requests: Received[];
  /** How to answer the next requests (default: 200). */
  answer: (req: Received, index: number) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({ status: 200 })): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const receiver: Receiver = { url: '', requests: [], answer, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const index = receiver.requests.length;
      receiver.requests.push(got);
      const a = receiver.answer(got, index);
      if (a === 'hang') return;
      if (a === 'close') return void req.socket.destroy();
      res.writeHead(a.status, a.headers);
      res.end(a.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return receiver;
}
