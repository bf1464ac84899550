// What commands share: the global options, the mirror, the connection and the HTTP client. Each
// piece is built on demand, so `--help` opens no database and `list --offline` loads no HTTP code.
import { defaultMirror } from '../config/paths.js';
import { UsageError } from '../errors.js';
import type { ApiClient } from '../http/client.js';
import type { Connection } from '../config/connection.js';
import type { Store } from '../store/contract.js';
import { FORMATS, type Format } from '../output/write.js';
import { colorEnabled, note, type Io } from '../io.js';
import { parseCount, parseDuration } from '../parse.js';

/** The options every command accepts (program.ts declares them once). */
export interface GlobalOptions {
  profile?: string;
  db?: string;
  output?: string;
  json?: boolean;
  verbose?: boolean;
  timeout?: string;
  retries?: string;
}

/** A command's action: it takes the Session and the command's arguments. */
export type Action<A extends unknown[]> = (session: Session, ...args: A) => Promise<void>;
/** Wraps a command's action: a Session from the global options, closed whatever happens (program.ts). */
export type Run = <A extends unknown[]>(action: () => Promise<Action<A>>) => (...args: unknown[]) => Promise<void>;

export class Session {
  private store: Promise<Store> | undefined;

  constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
  ) {}

  /** The mirror: --db, else $EVENTS_DB, else a file in the user's data dir (a path or a postgres:// URL). */
  mirrorPath(): string {
    return this.options.db ?? (this.io.env.EVENTS_DB || defaultMirror(this.io.env));
  }

  /** The mirror, opened once per command. */
  mirror(): Promise<Store> {
    if (!this.store) {
      this.store = import('../store/open.js').then(({ openStore }) => openStore(this.mirrorPath(), { env: this.io.env, onUpgrade: (line) => note(this.io, line) }));
      // A failed open is reported once by the caller; the next call tries again.
      this.store.catch(() => (this.store = undefined));
    }
    return this.store;
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    await (await store?.catch(() => undefined))?.close();
  }

  /** The selected connection (--profile, $EVENTS_PROFILE, the env variables, the default). */
  async connection(): Promise<Connection> {
    const { resolveConnection } = await import('../config/connection.js');
    return resolveConnection(this.io.env, this.options.profile);
  }

  /**
   * The connection for a command that only reads the mirror (`--offline`): a reader of a shared
   * mirror names a profile that another machine syncs, without holding its API key, so a profile
   * unknown here is taken from the mirror (its provider is recorded there).
   */
  async readerConnection(): Promise<Connection> {
    try {
      return await this.connection();
    } catch (err) {
      const named = this.options.profile ?? (this.io.env.EVENTS_PROFILE || undefined);
      if (!(err instanceof UsageError) || named === undefined) throw err;
      const [meta] = await (await this.mirror()).readMeta(named);
      const { providerNamed } = await import('../providers/registry.js');
      const provider = meta && providerNamed(meta.provider, this.io.env);
      if (!provider) throw err;
      return { name: named, profileName: named, provider, baseUrl: provider.defaultBaseUrl, apiKey: '' };
    }
  }

  /** An HTTP client for `conn`, with the retry, timeout and logging flags applied. */
  async client(conn: Connection, onWait?: ConstructorParameters<typeof ApiClient>[0]['onWait']): Promise<ApiClient> {
    const { ApiClient } = await import('../http/client.js');
    const retries = this.options.retries === undefined ? 4 : parseCount('--retries', this.options.retries, 0);
    return new ApiClient({
      provider: conn.provider,
      baseUrl: conn.baseUrl,
      apiKey: conn.apiKey,
      profileName: conn.profileName,
      retries,
      timeoutMs: this.options.timeout === undefined ? 30_000 : parseDuration('--timeout', this.options.timeout),
      log: this.options.verbose ? (line) => note(this.io, line) : undefined,
      onWait,
      signal: this.io.signal,
    });
  }

  /** The output format: -o, --json, else a table on a terminal and NDJSON in a pipe. */
  format(): Format {
    if (this.options.json) return 'json';
    const chosen = this.options.output;
    if (chosen === undefined) return this.io.stdout.isTTY ? 'table' : 'ndjson';
    if (!FORMATS.includes(chosen as Format)) {
      throw new UsageError(`invalid --output "${chosen}": use one of ${FORMATS.join(', ')}`);
    }
    return chosen as Format;
  }

  writeOptions(): { format: Format; columns: number; color: boolean } {
    return { format: this.format(), columns: this.io.stdout.columns ?? 100, color: colorEnabled(this.io) };
  }
}
