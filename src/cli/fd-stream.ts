// stdout and stderr when they are not terminals: writes go straight to the file descriptor.
//
// Why: the first touch of process.stdout (or stderr) sets up a Node stream, which loads Node's
// stream machinery: 5 ms of a 70 ms `events list --offline` in a pipe. Node writes to pipes and
// files synchronously on Linux anyway, so a blocking write to the descriptor behaves the same: a
// slow reader makes the writer wait, and memory stays flat. Terminals keep process.stdout (Ink,
// colours and the width need it).
import fs from 'node:fs';
import type { OutStream } from '../io.js';

export interface FdStream extends OutStream {
  /** Resolves once everything written has left (at once, unless writes fell back to a stream). */
  flushed(): Promise<void>;
}

/**
 * A writer on `fd`. A reader that has gone (EPIPE: `events list | head -3`) calls `onGone`, and
 * the text is dropped if that returns. If the descriptor turns out to be non-blocking (EAGAIN: a
 * parent shared its own pipe), the rest of that write and every later one go through
 * `fallback()`, the Node stream, which queues them in order.
 */
export function fdStream(fd: number, onGone: () => void, fallback: () => NodeJS.WriteStream): FdStream {
  let stream: NodeJS.WriteStream | undefined;
  return {
    isTTY: false,
    write(text: string): boolean {
      if (stream) return stream.write(text);
      const bytes = Buffer.from(text, 'utf8');
      let done = 0;
      try {
        while (done < bytes.length) done += fs.writeSync(fd, bytes, done);
        return true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          onGone();
          return true;
        }
        if (code !== 'EAGAIN') throw err;
        stream = fallback();
        return stream.write(bytes.subarray(done));
      }
    },
    once(event: string, listener: () => void) {
      // writeDrained waits for 'drain' only after a write returned false, which only a stream does.
      stream?.once(event, listener);
      return this;
    },
    flushed: () => new Promise<void>((resolve) => (stream ? stream.write('', () => resolve()) : resolve())),
  } as FdStream;
}
