// The bottom line of tail's view: counts and rate, the filter being typed, pause, and the keys.
import { Text } from 'ink';
import { truncate } from '../output/line.js';
import { sanitize } from '../output/sanitize.js';

export interface FooterProps {
  received: number;
  updated: number;
  rate: number | undefined;
  filter: string;
  editing: string | null;
  paused: boolean;
  newWhilePaused: number;
  rawOpen: boolean;
  columns: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function Footer(props: FooterProps) {
  const { columns } = props;
  if (props.editing !== null) {
    return <Text wrap="truncate-end">{truncate(`type filter: ${sanitize(props.editing)}▏  Enter applies · Esc cancels`, columns - 1)}</Text>;
  }
  const parts = [`${fmt(props.received)} ${props.received === 1 ? 'event' : 'events'}`];
  if (props.updated > 0) parts.push(`${fmt(props.updated)} updated`);
  parts.push(props.rate === undefined ? '–/min' : `${props.rate < 10 ? props.rate.toFixed(1) : Math.round(props.rate)}/min`);
  if (props.filter) parts.push(`type ~ "${sanitize(props.filter)}"`);
  const keys = props.rawOpen ? 'Esc close  ↑↓ scroll  q quit' : '↑↓ select  ⏎ raw  / filter  p pause  q quit';
  const stats = parts.join(' · ');
  return (
    <Text wrap="truncate-end">
      {props.paused ? <Text bold inverse>{` PAUSED · ${fmt(props.newWhilePaused)} new `}</Text> : null}
      {props.paused ? ' ' : ''}
      {truncate(`${stats}   ${keys}`, columns - 1 - (props.paused ? 20 : 0))}
    </Text>
  );
}
