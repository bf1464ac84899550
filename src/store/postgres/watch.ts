// Following commits from any process (tail, consumers): a dedicated session LISTENs on the
// mirror's channel, which commit_page notifies at commit. A lost session is reconnected with
// backoff, and onChange fires once it is back, because notifications sent while it was away are
// gone: the caller re-reads by revision. A slow poll of the profiles' revisions backs it all up.
import type { Notification } from 'pg';
import { connect } from './connect.js';
import { Session } from './session.js';
import { channelOf, quoteIdent } from './sql.js';
import type { Target } from './target.js';

type Env = Record<string, string | undefined>;

const POLL_MS = 5_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];

/** Starts watching; resolves once LISTEN is in place (so a commit after this is seen). */
export async function watchMirror(target: Target, env: Env, onChange: () => void): Promise<{ close(): Promise<void> }> {
  const watcher = new Watcher(target, env, onChange);
  await watcher.start();
  return watcher;
}

class Watcher {
  private session: Session | undefined;
  private closed = false;
  private failures = 0;
  private lastSum: number | undefined;
  private poller: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly channel: string;

  constructor(
    private readonly target: Target,
    private readonly env: Env,
    private readonly onChange: () => void,
  ) {
    this.channel = channelOf(target.schema);
  }

  async start(): Promise<void> {
    await this.listen();
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poller);
    clearTimeout(this.retry);
    const session = this.session;
    this.session = undefined;
    await session?.end();
  }

  private async listen(): Promise<void> {
    const session = new Session(await connect(this.target, this.env), this.target);
    session.client.on('notification', (msg: Notification) => {
      if (msg.channel === this.channel) this.fire();
    });
    session.client.on('error', () => this.lost(session));
    session.client.on('end', () => this.lost(session));
    try {
      await session.query(`LISTEN ${quoteIdent(this.channel)}`);
      this.lastSum = await this.revisions(session);
    } catch (err) {
      await session.end();
      throw err;
    }
    if (this.closed) return void (await session.end());
    this.session = session;
  }

  private lost(session: Session): void {
    if (this.session !== session || this.closed) return;
    this.session = undefined;
    void session.end();
    this.reconnect();
  }

  private reconnect(): void {
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.retry = setTimeout(async () => {
      if (this.closed) return;
      try {
        await this.listen();
        this.failures = 0;
        this.fire(); // whatever was committed while we were away
      } catch {
        this.failures++;
        this.reconnect();
      }
    }, delay);
    this.retry.unref();
  }

  /** The fallback: any commit that changed something moved some profile's last_rev. */
  private async poll(): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const sum = await this.revisions(session);
      if (sum !== this.lastSum) {
        this.lastSum = sum;
        this.fire();
      }
    } catch {
      this.lost(session);
    }
  }

  private async revisions(session: Session): Promise<number> {
    const row = await session.one<{ s: number }>(`SELECT coalesce(sum(last_rev), 0)::bigint AS s FROM ${quoteIdent(this.target.schema)}.profiles`);
    return row.s;
  }

  private fire(): void {
    if (this.closed) return;
    try {
      this.onChange();
    } catch {
      // A hint only: a failing listener must not stop the watch.
    }
  }
}
