// tail's view on a terminal: header, the events (or one event's raw JSON), footer. Presentational:
// everything it shows comes through useTail.
import { Box, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { TailSource } from '../tail/types.js';
import { EventLines } from './EventLines.js';
import { Footer } from './Footer.js';
import { Header, type TailInfo } from './Header.js';
import { RawJson } from './RawJson.js';
import { useTail } from './use-tail.js';

export interface TailViewProps {
  source: TailSource;
  info: TailInfo;
  color: boolean;
  /** Whether keys can be read (stdin is a terminal). */
  keys: boolean;
  onExit(how: 'quit' | 'interrupt'): void;
  maxLines?: number;
}

/** The terminal's size, following resizes. */
function useSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function TailView({ source, info, color, keys, onExit, maxLines }: TailViewProps) {
  const model = useTail(source, onExit, maxLines);
  const { columns, rows } = useSize();
  useInput(
    (input, key) =>
      model.onKey({
        input,
        upArrow: key.upArrow,
        downArrow: key.downArrow,
        return: key.return,
        escape: key.escape,
        backspace: key.backspace,
        delete: key.delete,
        ctrl: key.ctrl,
      }),
    { isActive: keys },
  );
  // Two header lines and a footer, one row spare: a frame as tall as the terminal makes Ink
  // clear the screen on every update.
  const height = Math.max(3, rows - 4);
  const { data, ui } = model;
  const selected = model.lines[model.selected];
  return (
    <Box flexDirection="column">
      <Header info={info} state={data.state} note={data.note} now={model.now} columns={columns} color={color} />
      {ui.raw && selected ? (
        <RawJson event={selected.event} scroll={ui.raw.scroll} height={height} columns={columns} />
      ) : (
        <EventLines
          lines={model.lines}
          selected={model.selected}
          following={ui.selected === null}
          height={height}
          columns={columns}
          color={color}
          waiting={data.lines.length === 0 ? 'waiting for new events…' : `no events of a type containing "${ui.filter}"`}
        />
      )}
      <Footer
        received={data.received}
        updated={data.updated}
        rate={model.rate}
        filter={ui.filter}
        editing={ui.editing}
        paused={ui.paused !== null}
        newWhilePaused={model.newWhilePaused}
        rawOpen={ui.raw !== null && selected !== undefined}
        columns={columns}
      />
    </Box>
  );
}
