// One attempt at one delivery: a POST with undici (loaded on first use), or a shell command with
// the body on stdin. Nothing here throws for a handler's failure: every outcome is an Attempt.
import { spawn } from 'node:child_process';
import type { Dispatcher } from 'undici';

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
    const problem = networkProblem(err);
    return { ok: false, status: null, error: problem === 'no answer in time' ? `no answer within ${timeoutMs / 1000}s` : problem };
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

/** A transport failure in words a person recognises. */
function networkProblem(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the handler running?)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the handler closed the connection without answering';
    case 'ENOTFOUND':
      return 'no such host';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'no answer in time';
    default:
      return e.message ?? String(err);
  }
}
