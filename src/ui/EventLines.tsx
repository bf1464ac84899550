// The list of events: one line each, the selected one marked and inverted, updates marked ↻. The
// cells come sanitised (layout.ts).
import { Box, Text } from 'ink';
import { sanitize } from '../output/sanitize.js';
import type { Line } from './model.js';
import { typeColor } from './colors.js';
import { cellsFor, layoutFor } from './layout.js';

export interface EventLinesProps {
  lines: Line[];
  selected: number;
  /** The selection follows the newest line: it is marked but not inverted, which would flicker. */
  following: boolean;
  height: number;
  columns: number;
  color: boolean;
  waiting: string;
}

export function EventLines({ lines, selected, following, height, columns, color, waiting }: EventLinesProps) {
  if (lines.length === 0) {
    return (
      <Box height={height}>
        <Text dimColor>{sanitize(waiting)}</Text>
      </Box>
    );
  }
  // A window of `height` lines that keeps the selection in view, centred when it can be.
  const start = Math.min(Math.max(0, lines.length - height), Math.max(0, selected - Math.floor(height / 2)));
  const shown = lines.slice(start, start + height);
  const layout = layoutFor(shown.map((l) => l.event), columns);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => {
        const isSelected = start + i === selected;
        const inverse = isSelected && !following;
        const cells = cellsFor(line.event, layout);
        const gap = '  ';
        return (
          <Text key={line.key} wrap="truncate-end" inverse={inverse}>
            {isSelected ? '›' : ' '}
            {line.event.change === 'updated' ? '↻ ' : '  '}
            <Text dimColor={!inverse}>{cells.time}</Text>
            {gap}
            <Text color={typeColor(line.event.type, color)}>{cells.type}</Text>
            {layout.widths[1] > 0 ? gap + cells.id : ''}
            {layout.widths[2] > 0 ? gap + cells.object : ''}
            {layout.widths[3] > 0 ? gap : ''}
            <Text dimColor={!inverse}>{cells.summary}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
