// One attempt at one delivery: a POST with undici (loaded on first use), or a shell command with
// the body on stdin. Nothing here throws for a handler's failure: every outcome is an Attempt.
import { spawn } from 'node:child_process';
import type { Dispatcher } from 'undici';
import { transportFailure, type TransportFailure } from '../http/transport-failure.js';

export interface Attempt {
  ok: boolean;
  /** The HTTP status, or the command's exit code; null when there was no answer. */
  status: number | null;
  /** Why it failed, in a few words (`500 Internal Server Error`, `connection refused`, `timed out after 2s`). */
  error?: string;
  /** The handler asked for no more retries (Svix's `webhook-delivery: abort-message`). */
  abort?: boolean;
}

let loaded: Promise<{ request: typeof import('undici').request; agent: Dispatcher }> | undefined;
/**
 * undici and one keep-alive agent per process, made on the first POST (undici costs ~130 ms to
 * load). The agent's timeouts bound each request, so no timer or signal is made per request.
 */
function dispatcher(timeoutMs: number) {
  loaded ??= import('undici').then((undici) => ({
    request: undici.request,
    agent: new undici.Agent({ connections: 64, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } }),
  }));
  return loaded;
}

/** POSTs `body` to `url`; a 2xx answer within `timeoutMs` is success, anything else (3xx too) is not. */
export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  const { request, agent } = await dispatcher(timeoutMs);
  try {
    const res = await request(url, { method: 'POST', body, headers, dispatcher: agent, signal });
    // Read (a bounded part of) the answer so the connection can be reused.
    let text = '';
    for await (const chunk of res.body) if (text.length < 200) text += String(chunk);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const abort = String(res.headers['webhook-delivery'] ?? '') === 'abort-message';
    if (ok) return { ok, status: res.statusCode };
    const where = res.statusCode >= 300 && res.statusCode < 400 && res.headers.location ? ` to ${String(res.headers.location)} (redirects are not followed)` : '';
    return { ok, status: res.statusCode, error: `${res.statusCode}${where}${text.trim() ? `: ${oneLine(text)}` : ''}`, abort };
  } catch (err) {
    const kind = transportFailure(err);
    const error = kind === 'timeout' ? `no answer within ${timeoutMs / 1000}s` : kind ? FAILURE_WORDS[kind] : ((err as Error).message ?? String(err));
    return { ok: false, status: null, error };
  }
}

/** Runs `command` through the shell with `body` on stdin; exit 0 is success. */
export function exec(command: string, body: string, env: Record<string, string | undefined>, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout or Ctrl-C ends the command and whatever it started.
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let why: string | undefined;
    const stop = (reason: string) => {
      why ??= reason;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => stop(`no exit within ${timeoutMs / 1000}s`), timeoutMs);
    const onAbort = () => stop('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 500) stderr += d.toString();
    });
    child.stdin.on('error', () => {}); // a command that does not read its stdin
    child.stdin.end(body);
    child.on('error', (err) => {
      why ??= err.message;
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (code === 0 && !why) return resolve({ ok: true, status: 0 });
      const tail = stderr.trim() ? `: ${oneLine(stderr)}` : '';
      resolve({ ok: false, status: code, error: why ?? (sig ? `killed by ${sig}` : `exit ${code}${tail}`) });
    });
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** Transport failures in words a person recognises; a timeout says how long it waited (post). */
const FAILURE_WORDS: Record<Exclude<TransportFailure, 'timeout'>, string> = {
  refused: 'connection refused (is the handler running?)',
  reset: 'the handler closed the connection without answering',
  'no host': 'no such host',
};
