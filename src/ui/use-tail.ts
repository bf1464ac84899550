// The one hook tail's view gets its data through: it listens to the source, keeps the bounded
// window of lines and the polling state, ticks a clock for "last poll N s ago", and turns key
// presses into UI state (or the way out).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TailSource } from '../tail/types.js';
import {
  applyKey,
  applyUpdate,
  initialData,
  initialUi,
  newWhilePaused,
  ratePerMinute,
  selectedIndex,
  visibleLines,
  type KeyPress,
  type Line,
  type TailData,
  type UiState,
} from './model.js';

export interface TailModel {
  data: TailData;
  ui: UiState;
  lines: Line[];
  selected: number;
  now: number;
  rate: number | undefined;
  /** Events that arrived since the view was paused and the filter shows. */
  newWhilePaused: number;
  onKey(key: KeyPress): void;
}

export function useTail(source: TailSource, onExit: (how: 'quit' | 'interrupt') => void, maxLines?: number): TailModel {
  const [data, setData] = useState(() => initialData(Date.now()));
  const [ui, setUi] = useState<UiState>(initialUi);
  const [now, setNow] = useState(() => Date.now());
  // Keys read the latest state, and two keys in one chunk of input (a fast ↑↑) must see each
  // other's effect before React renders again: so the UI state also lives in a ref.
  const dataRef = useRef(data);
  dataRef.current = data;
  const uiRef = useRef(ui);

  useEffect(() => source.subscribe((update) => setData((d) => applyUpdate(d, update, Date.now(), maxLines))), [source, maxLines]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const onKey = useCallback(
    (key: KeyPress) => {
      // Keys typed faster than the terminal is read arrive as one string ("/inv"): one at a time.
      const plain = !key.ctrl && !key.upArrow && !key.downArrow && !key.return && !key.escape && !key.backspace && !key.delete;
      const presses = plain && key.input.length > 1 ? [...key.input].map(pressOf) : [key];
      for (const press of presses) {
        const result = applyKey(uiRef.current, press, dataRef.current);
        if ('exit' in result) return onExit(result.exit);
        uiRef.current = result;
      }
      setUi(uiRef.current);
    },
    [onExit],
  );

  const lines = visibleLines(data, ui);
  return {
    data,
    ui,
    lines,
    selected: selectedIndex(lines, ui),
    now: Math.max(now, Date.now()),
    rate: ratePerMinute(data, Date.now()),
    newWhilePaused: newWhilePaused(data, ui),
    onKey,
  };
}

/** One character of a chunk of typed input, as the key it stands for. */
function pressOf(char: string): KeyPress {
  if (char === '\r' || char === '\n') return { input: '', return: true };
  if (char === '\x7f' || char === '\b') return { input: '', backspace: true };
  if (char === '\x1b') return { input: '', escape: true };
  return { input: char };
}
