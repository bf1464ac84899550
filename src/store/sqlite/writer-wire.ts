// What the sync's commits send to the writer thread and get back (writer.ts, writer-thread.ts).
// A batch goes as columns of strings and numbers: structured-cloning the parsed events' trees
// would cost the main thread more than the writes it hands over. The search index's text is
// worked out here, from the event the provider code parsed already, so the thread never parses.
import type { Change, PageCommit } from '../contract.js';
import { indexText, type RowToStore } from './commit.js';

/** The thread's start-up data: the mirror's file and the main connection's busy timeout. */
export interface WriterData {
  file: string;
  busyTimeoutMs: number;
}

/** One commit: the walk's fields and its pages' rows as columns. */
export interface CommitMessage {
  commit: Omit<PageCommit, 'pages' | 'warn'>;
  seen: number;
  /** How many rows each page has, in order. */
  sizes: number[];
  ids: string[];
  types: string[];
  times: Float64Array;
  updated: Float64Array;
  objects: Array<string | null>;
  raws: string[];
  indexed: Array<string | null>;
}

export type ToWriter = CommitMessage | { close: true };

/** A commit's outcome: each row's change as a code of CHANGES, page after page, or the error. */
export type FromWriter = { changes: Uint8Array } | { error: { mirror: boolean; name: string; message: string; code?: string | undefined } };

const CHANGES: readonly Change[] = ['same', 'new', 'updated'];

export function packCommit(commit: PageCommit): CommitMessage {
  const { profile, provider, walk, done, remoteTotal } = commit;
  const rows = commit.pages.flatMap((page) => page.rows);
  const message: CommitMessage = {
    commit: { profile, provider, walk, done, remoteTotal },
    seen: Date.now(),
    sizes: commit.pages.map((page) => page.rows.length),
    ids: new Array(rows.length),
    types: new Array(rows.length),
    times: new Float64Array(rows.length),
    updated: new Float64Array(rows.length),
    objects: new Array(rows.length),
    raws: new Array(rows.length),
    indexed: new Array(rows.length),
  };
  rows.forEach((row, i) => {
    message.ids[i] = row.id;
    message.types[i] = row.type;
    message.times[i] = row.time;
    message.updated[i] = row.updated;
    message.objects[i] = row.object;
    message.raws[i] = row.text;
    message.indexed[i] = indexText({ raw: row.text, parsed: row.raw }) ?? null;
  });
  return message;
}

export function unpackRows(message: CommitMessage): RowToStore[][] {
  let i = 0;
  return message.sizes.map((size) =>
    Array.from({ length: size }, (): RowToStore => {
      const row = {
        id: message.ids[i]!,
        type: message.types[i]!,
        time: message.times[i]!,
        updated: message.updated[i]!,
        object: message.objects[i]!,
        raw: message.raws[i]!,
        seen: message.seen,
        indexed: message.indexed[i]!,
      };
      i += 1;
      return row;
    }),
  );
}

export function packChanges(changes: Change[][]): Uint8Array {
  const codes = new Uint8Array(changes.reduce((n, page) => n + page.length, 0));
  let i = 0;
  for (const page of changes) for (const change of page) codes[i++] = CHANGES.indexOf(change);
  return codes;
}

export function unpackChanges(codes: Uint8Array, sizes: number[]): Change[][] {
  let i = 0;
  return sizes.map((size) => Array.from({ length: size }, () => CHANGES[codes[i++]!]!));
}
