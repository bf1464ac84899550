// The direct writer main.ts uses for a stdout or stderr that is a pipe, a socket or a file: every
// byte in order, EPIPE as "the reader has gone", and a non-blocking pipe that fills up (EAGAIN)
// handing the rest to the stream it falls back on. Real FIFOs, made with mkfifo.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fdStream } from '../../src/cli/fd-stream.js';

const dirs: string[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) fs.closeSync(fd);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A FIFO with both ends open (the read end first, so opening the write end never blocks). */
function fifo(writeFlags: number): { read: number; write: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-fd-'));
  dirs.push(dir);
  const file = path.join(dir, 'pipe');
  execFileSync('mkfifo', [file]);
  const read = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const write = fs.openSync(file, fs.constants.O_WRONLY | writeFlags);
  fds.push(read, write);
  return { read, write };
}

function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(fd, buf);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

const neverGone = () => {
  throw new Error('not expected');
};
const noFallback = (): NodeJS.WriteStream => {
  throw new Error('not expected');
};

describe.skipIf(process.platform === 'win32')('fdStream', () => {
  it('writes every byte, multi-byte text included, straight to the descriptor', async () => {
    const { read, write } = fifo(0);
    const out = fdStream(write, neverGone, noFallback);
    expect(out.write('café ✓\n')).toBe(true);
    expect(out.write('second line\n')).toBe(true);
    await out.flushed();
    expect(drain(read).toString('utf8')).toBe('café ✓\nsecond line\n');
  });

  it('calls onGone when the reader has closed its end (EPIPE), and drops the text', () => {
    const { read, write } = fifo(0);
    fs.closeSync(read);
    fds.splice(fds.indexOf(read), 1);
    let gone = 0;
    const out = fdStream(write, () => void (gone += 1), noFallback);
    expect(out.write('nobody reads this\n')).toBe(true);
    expect(gone).toBe(1);
  });

  it('hands the rest to the fallback stream, in order, when a non-blocking pipe is full (EAGAIN)', async () => {
    const { read, write } = fifo(fs.constants.O_NONBLOCK);
    const fallen: Buffer[] = [];
    let drainListener: (() => void) | undefined;
    const stream = {
      write: (chunk: Buffer | string, cb?: () => void) => {
        fallen.push(Buffer.from(chunk));
        cb?.();
        return false;
      },
      once: (event: string, listener: () => void) => {
        expect(event).toBe('drain');
        drainListener = listener;
      },
    } as unknown as NodeJS.WriteStream;
    let fallbacks = 0;
    const out = fdStream(write, neverGone, () => {
      fallbacks += 1;
      return stream;
    });
    // A megabyte into a pipe that holds 64 KiB: the descriptor takes what fits, the stream the rest.
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(40)}\n`).join('');
    expect(out.write(text)).toBe(false);
    expect(out.write('after\n')).toBe(false);
    expect(fallbacks).toBe(1);
    // writeDrained waits on the stream's drain through the writer.
    (out as unknown as { once: (e: string, l: () => void) => void }).once('drain', () => {});
    expect(drainListener).toBeDefined();
    await out.flushed();
    const direct = drain(read);
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.length).toBeLessThan(Buffer.byteLength(text));
    expect(Buffer.concat([direct, ...fallen]).toString('utf8')).toBe(`${text}after\n`);
  });
});
