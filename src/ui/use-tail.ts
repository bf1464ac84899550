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
  /** Events that arrived since the view was paused. */
  newWhilePaused: number;
  onKey(key: KeyPress): void;
}

export function useTail(source: TailSource, onExit: (how: 'quit' | 'interrupt') => void, maxLines?: number): TailModel {
  const [data, setData] = useState(() => initialData(Date.now()));
  const [ui, setUi] = useState<UiState>(initialUi);
  const [now, setNow] = useState(() => Date.now());
  // Key handling reads the latest data without re-subscribing useInput on every update.
  const latest = useRef({ data, ui });
  latest.current = { data, ui };

  useEffect(() => source.subscribe((update) => setData((d) => applyUpdate(d, update, Date.now(), maxLines))), [source, maxLines]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const onKey = useCallback(
    (key: KeyPress) => {
      const result = applyKey(latest.current.ui, key, latest.current.data);
      if ('exit' in result) onExit(result.exit);
      else setUi(result);
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
    newWhilePaused: ui.paused ? data.received - ui.paused.received : 0,
    onKey,
  };
}
