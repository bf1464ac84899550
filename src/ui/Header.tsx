// The top of tail's view: what is followed (profile, provider, filters) and how the polling goes.
import { Box, Text } from 'ink';
import { truncate } from '../output/line.js';
import { sanitize } from '../output/sanitize.js';
import { describeState } from '../tail/describe.js';
import type { TailState } from '../tail/types.js';
import { stateColor } from './colors.js';

/** What tail follows, fixed for its run. */
export interface TailInfo {
  profile: string;
  provider: string;
  /** The --type and --where flags as typed, '' for none. */
  filters: string;
}

export interface HeaderProps {
  info: TailInfo;
  state: TailState;
  note: string;
  now: number;
  columns: number;
  color: boolean;
}

export function Header({ info, state, note, now, columns, color }: HeaderProps) {
  // The state and note may quote the provider's error: sanitised, as everything the view shows.
  const what = sanitize([info.profile, info.provider, info.filters].filter((p) => p !== '').join(' · '));
  const status = sanitize(describeState(state, now) + (note ? `  ·  ${note}` : ''));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>events tail</Text>
        {truncate(`  ${what}`, columns - 12)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={stateColor(state, color)}>● </Text>
        {truncate(status, columns - 3)}
      </Text>
    </Box>
  );
}
