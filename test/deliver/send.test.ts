// One delivery attempt (src/deliver/send.ts): a POST to a real loopback handler, or a shell command
// with the body on stdin. Every outcome is an Attempt, in words a person recognises.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exec, post } from '../../src/deliver/send.js';
import { waitUntil } from '../store/contract-support.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

// The process's one agent takes its timeouts from the first POST: every POST here uses the same.
const TIMEOUT_MS = 1_000;
const receivers: Receiver[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
async function handler(answer: Receiver['answer']): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}
const live = () => new AbortController().signal;

describe('post', () => {
  it('sends the body and headers as given; a 2xx is success', async () => {
    const r = await handler(() => ({ status: 204 }));
    const body = '{"id":"evt_1","s":"é"}';
    const attempt = await post(`${r.url}/hook`, body, { 'content-type': 'application/json', 'x-sig': 'abc' }, TIMEOUT_MS, live());
    expect(attempt).toEqual({ ok: true, status: 204 });
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({ path: '/hook', body });
    expect(r.requests[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-sig': 'abc' });
  });

  it('fails on any other status, with the status and the start of the answer on one line', async () => {
    const r = await handler(() => ({ status: 500, body: 'Internal\nServer   Error\n' + 'x'.repeat(300) }));
    const attempt = await post(r.url, '{}', {}, TIMEOUT_MS, live());
    expect(attempt.ok).toBe(false);
    expect(attempt.status).toBe(500);
    expect(attempt.error).toMatch(/^500: Internal Server Error x+…$/);
    expect(attempt.error!.length).toBeLessThanOrEqual(130);
    expect(attempt.abort).toBe(false);
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    const r = await handler(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    const attempt = await post(r.url, '{}', {}, TIMEOUT_MS, live());
    expect(attempt).toMatchObject({ ok: false, status: 302, error: '302 to http://127.0.0.1:1/elsewhere (redirects are not followed)' });
    expect(r.requests).toHaveLength(1);
  });

  it("hears a handler's `webhook-delivery: abort-message` (no more retries)", async () => {
    const r = await handler(() => ({ status: 410, headers: { 'webhook-delivery': 'abort-message' } }));
    expect(await post(r.url, '{}', {}, TIMEOUT_MS, live())).toMatchObject({ ok: false, status: 410, abort: true });
  });

  it('gives up on a handler that does not answer within the timeout', async () => {
    const r = await handler(() => 'hang');
    const start = Date.now();
    const attempt = await post(r.url, '{}', {}, TIMEOUT_MS, live());
    expect(attempt).toEqual({ ok: false, status: null, error: `no answer within ${TIMEOUT_MS / 1000}s` });
    expect(Date.now() - start).toBeLessThan(TIMEOUT_MS * 5);
  });

  it('says a closed port is refused and a dropped connection went unanswered', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    expect(await post(`http://127.0.0.1:${port}/`, '{}', {}, TIMEOUT_MS, live())).toEqual({ ok: false, status: null, error: 'connection refused (is the handler running?)' });
    const r = await handler(() => 'close');
    expect(await post(r.url, '{}', {}, TIMEOUT_MS, live())).toEqual({ ok: false, status: null, error: 'the handler closed the connection without answering' });
  });
});

describe('exec', () => {
  const env = (extra: Record<string, string>) => ({ PATH: process.env.PATH, ...extra });

  it('runs the command through the shell with the body on stdin and the variables set; exit 0 is success', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-exec-'));
    dirs.push(dir);
    const out = path.join(dir, 'got');
    const attempt = await exec(`cat > ${out}; printf '%s' "$EVENTS_ID" >> ${out}`, '{"a":1}\n', env({ EVENTS_ID: 'evt_9' }), 5_000, live());
    expect(attempt).toEqual({ ok: true, status: 0 });
    expect(fs.readFileSync(out, 'utf8')).toBe('{"a":1}\nevt_9');
  });

  it('fails with the exit code and the last of stderr on one line', async () => {
    const attempt = await exec('cat >/dev/null; echo "handler:" >&2; echo "  bad  signature" >&2; exit 3', '{}', env({}), 5_000, live());
    expect(attempt).toEqual({ ok: false, status: 3, error: 'exit 3: handler: bad signature' });
  });

  it('does not mind a command that never reads its stdin', async () => {
    expect(await exec('exit 0', 'x'.repeat(1 << 20), env({}), 5_000, live())).toEqual({ ok: true, status: 0 });
  });

  it('kills a command (and what it started) that runs past the timeout, or when interrupted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-exec-'));
    dirs.push(dir);
    const pidFile = path.join(dir, 'child');
    const start = Date.now();
    const slow = await exec(`sleep 30 & echo $! > ${pidFile}; wait`, '', env({}), 300, live());
    expect(slow).toMatchObject({ ok: false, error: 'no exit within 0.3s' });
    expect(Date.now() - start).toBeLessThan(5_000);
    // The grandchild went with it: its process group was killed (gone, or a zombie until reaped).
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    const dead = () => {
      try {
        return fs.readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
      } catch {
        return true;
      }
    };
    await waitUntil(dead, 2_000, 'the sleep the command started to be killed');

    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    expect(await exec('sleep 30', '', env({}), 10_000, stop.signal)).toMatchObject({ ok: false, error: 'interrupted' });
  });
});
