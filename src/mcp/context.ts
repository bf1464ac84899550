// What every tool call shares: the server's options, the one mirror it opens (read-only unless
// --allow-network), and a Session per call, so a tool reuses the commands' own code with the
// profile the call names in place of --profile.
import type { GlobalOptions } from '../cli/session.js';
import { Session } from '../cli/session.js';
import type { Io } from '../io.js';
import type { Store } from '../store/contract.js';

/**
 * How long a read-only server's call waits for a lock another process holds on a SQLite mirror
 * (the CLI waits 15 s): better-sqlite3 waits synchronously, so the whole server stops answering
 * meanwhile, and a reader of a WAL mirror is kept waiting only by a process that locked the file
 * whole. Past it, the call gets the CLI's line for a locked mirror and the next call tries again.
 * With --allow-network the server writes too, and waits as long as the CLI for another writer.
 */
const READER_BUSY_TIMEOUT_MS = 2_000;

export interface ServerOptions {
  /** get_event may fetch from the provider, and sync_profile exists; otherwise nothing leaves the machine. */
  allowNetwork: boolean;
}

/** A Session on the server's mirror: closing it leaves the mirror open for the next call. */
class CallSession extends Session {
  constructor(
    io: Io,
    options: GlobalOptions,
    private readonly shared: () => Promise<Store>,
  ) {
    super(io, options);
  }

  override mirror(): Promise<Store> {
    return this.shared();
  }

  override async close(): Promise<void> {}
}

export class ToolContext {
  private store: Promise<Store> | undefined;

  constructor(
    /** The tools' Io: its stdout is stderr, so nothing a command writes can reach the protocol. */
    readonly io: Io,
    readonly options: GlobalOptions,
    readonly server: ServerOptions,
  ) {}

  /** The mirror, opened on the first call that needs it; a failed open is tried again next time. */
  mirror(): Promise<Store> {
    if (!this.store) {
      const location = new Session(this.io, this.options).mirrorPath();
      const readonly = !this.server.allowNetwork;
      this.store = import('../store/open.js').then(({ openStore }) => openStore(location, { env: this.io.env, readonly, busyTimeoutMs: readonly ? READER_BUSY_TIMEOUT_MS : undefined }));
      this.store.catch(() => (this.store = undefined));
    }
    return this.store;
  }

  /** A Session for one call: `profile` (one name, or names joined by commas) replaces --profile when given. */
  session(profile?: string | null): Session {
    const options = profile === undefined ? this.options : { ...this.options, profile: profile ?? undefined };
    return new CallSession(this.io, options, () => this.mirror());
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    await (await store?.catch(() => undefined))?.close();
  }
}
