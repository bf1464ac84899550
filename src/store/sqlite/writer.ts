// The sync's commits on a thread of their own. better-sqlite3 is synchronous: a batch's INSERTs,
// their indexes, the search index and the COMMIT (most of a sync's CPU) held the event loop while
// the next pages waited to be fetched and parsed. The writer thread (writer-thread.ts) has its own
// connection to the same WAL file and does that work on the second core, and the sync's pipeline
// (sync/engine.ts) keeps fetching meanwhile. Only the sync's commits go there: every other call
// stays on the main connection, which sees each commit once its promise resolves.
//
// The thread starts at the first commit, so a command that never syncs never starts it (nothing
// here is imported until then: worker_threads is loaded by the call). It is unref'd while idle, so
// it never keeps the process alive, and ref'd while a commit is in flight, so a sync awaiting its
// last commit is not cut short. A kill mid-commit loses that transaction, as on the main thread.
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MirrorError } from '../../errors.js';
import type { Change, PageCommit } from '../contract.js';
import { packCommit, unpackChanges, type FromWriter, type ToWriter, type WriterData } from './writer-wire.js';

interface Waiting {
  sizes: number[];
  resolve: (changes: Change[][]) => void;
  reject: (err: Error) => void;
}

export class SqliteWriter {
  private worker: Worker | undefined;
  /** The commits sent, oldest first: the thread answers them in that order. */
  private readonly waiting: Waiting[] = [];
  private failed: Error | undefined;
  private exited = false;
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly data: WriterData) {}

  /**
   * Starts the thread ahead of the first commit (when a sync plans its walks), so its start-up
   * (40-120 ms, by load) runs beside the first pages' fetching instead of delaying their commit:
   * a sync killed early keeps what its first quarter second fetched.
   */
  warm(): void {
    if (!this.failed) this.worker ??= this.start();
  }

  commit(commit: PageCommit): Promise<Change[][]> {
    if (this.failed) return Promise.reject(this.failed);
    const message = packCommit(commit);
    const worker = (this.worker ??= this.start());
    const done = new Promise<Change[][]>((resolve, reject) => {
      this.waiting.push({ sizes: message.sizes, resolve, reject });
      worker.ref();
      worker.postMessage(message satisfies ToWriter);
    });
    this.last = done.catch(() => undefined);
    return done;
  }

  /** Waits for the commits in flight, then closes the thread's connection and the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await this.last;
    this.failed ??= new MirrorError('the mirror was closed');
    if (this.exited) return;
    worker.ref(); // until it has closed its connection
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ close: true } satisfies ToWriter);
    });
  }

  private start(): Worker {
    // worker_threads is needed by syncs alone: loaded here, not when the CLI starts.
    const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(writerFile(), { workerData: this.data satisfies WriterData });
    worker.unref();
    worker.on('message', (reply: FromWriter) => {
      const next = this.waiting.shift()!;
      if (this.waiting.length === 0) worker.unref();
      if ('changes' in reply) next.resolve(unpackChanges(reply.changes, next.sizes));
      else next.reject(rebuild(reply.error));
    });
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const next of this.waiting.splice(0)) next.reject(err);
    };
    worker.on('error', (err) => fail(new MirrorError(`the mirror's writer thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', () => {
      this.exited = true;
      fail(new MirrorError("the mirror's writer thread stopped"));
    });
    return worker;
  }
}

/** The thread's error as the caller would have had it on the main thread: a MirrorError, or SQLite's with its code. */
function rebuild(error: Extract<FromWriter, { error: unknown }>['error']): Error {
  if (error.mirror) return new MirrorError(error.message);
  if (error.code !== undefined) return new Database.SqliteError(error.message, error.code);
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * The thread's entry, dist/sqlite-writer.cjs (scripts/bundle.mjs): beside the CLI's bundle when it
 * runs from dist/events.cjs (whose __dirname bin/events.js sets to dist/, and where the build
 * defines import.meta.url as undefined), else in the dist/ of the package this module is in (the
 * tests run the sources, which tsc's ES modules in dist/store/sqlite/ mirror).
 */
function writerFile(): string {
  const url = import.meta.url as string | undefined;
  const { fileURLToPath } = process.getBuiltinModule('node:url') as typeof import('node:url');
  const dist = url === undefined ? __dirname : path.join(fileURLToPath(new URL('../../../', url)), 'dist');
  const file = path.join(dist, 'sqlite-writer.cjs');
  if (!fs.existsSync(file)) throw new MirrorError(`${file} is missing: build it with \`npm run build\``);
  return file;
}
