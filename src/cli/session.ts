// What commands share: the global options, the mirror, the connection and the HTTP client. Each
// piece is built on demand, so `--help` opens no database and `list --offline` loads no HTTP code.
import { defaultMirror } from '../config/paths.js';
import { UsageError } from '../errors.js';
import type { ApiClient } from '../http/client.js';
import type { Connection } from '../config/connection.js';
import type { Db } from '../store/db.js';
import { FORMATS, type Format } from '../output/write.js';
import { colorEnabled, note, type Io } from './io.js';
import { parseCount, parseDuration } from './parse.js';

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

export class Session {
  private db: Db | undefined;

  constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
  ) {}

  /** The mirror file: --db, else $EVENTS_DB, else the user's data dir. */
  mirrorPath(): string {
    return this.options.db ?? (this.io.env.EVENTS_DB || defaultMirror(this.io.env));
  }

  /** The mirror, opened once per command. */
  async mirror(): Promise<Db> {
    if (!this.db) {
      const { openMirror } = await import('../store/db.js');
      this.db = openMirror(this.mirrorPath());
    }
    return this.db;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  /** The selected connection (--profile, $EVENTS_PROFILE, the env variables, the default). */
  async connection(): Promise<Connection> {
    const { resolveConnection } = await import('../config/connection.js');
    return resolveConnection(this.io.env, this.options.profile);
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
