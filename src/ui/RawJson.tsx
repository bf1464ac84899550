// The raw JSON of one event, as the provider returned it, indented and scrollable; sanitised, as
// JSON.stringify leaves DEL, C1 and bidi controls raw.
import { Box, Text } from 'ink';
import { indentJson } from '../output/indent.js';
import { truncate } from '../output/line.js';
import { sanitize } from '../output/sanitize.js';
import type { TailEvent } from '../tail/types.js';

export interface RawJsonProps {
  event: TailEvent;
  scroll: number;
  height: number;
  columns: number;
}

export function RawJson({ event, scroll, height, columns }: RawJsonProps) {
  const text = sanitize(indentJson(event.raw)).split('\n');
  const room = Math.max(1, height - 1);
  const top = Math.min(scroll, Math.max(0, text.length - room));
  const more = text.length - top - room;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">
        {truncate(`raw JSON of ${sanitize(event.id)}  ·  Esc closes  ·  ↑↓ scroll${more > 0 ? `  ·  ${more} more ${more === 1 ? 'line' : 'lines'}` : ''}`, columns - 1)}
      </Text>
      {text.slice(top, top + room).map((line, i) => (
        <Text key={top + i} wrap="truncate-end">
          {truncate(line, columns - 1)}
        </Text>
      ))}
    </Box>
  );
}
