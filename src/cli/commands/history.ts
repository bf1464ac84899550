// `events history ID`: every version of one event the mirror kept (Close rewrites events in place),
// oldest first: when the provider changed it, when the mirror saw it, and what changed against the
// version before, by JSON path. Colour on a terminal; -o json/ndjson give the versions raw.
import { NotFoundError } from '../../errors.js';
import { diffJson, type PathChange } from '../../output/diff.js';
import { bold, paint } from '../../output/color.js';
import { sanitize } from '../../output/sanitize.js';
import { csvRow } from '../../output/write.js';
import { formatTime } from '../../output/line.js';
import type { Json } from '../../providers/types.js';
import type { Session } from '../session.js';

export interface VersionOut {
  version: number;
  rev: number;
  updated: string;
  seen: string;
  changes: PathChange[];
  /** The version's JSON text, as the provider served it. */
  event: string;
}

/** Every version of one event of the selected profile, with what changed; NotFoundError when none. */
export async function eventVersions(session: Session, id: string): Promise<{ profile: string; versions: VersionOut[] }> {
  const conn = await session.readerConnection();
  const store = await session.mirror();
  const kept = await store.versions(conn.name, id);
  if (kept.length === 0) {
    const where = conn.profileName ? `profile "${conn.profileName}"` : `${conn.provider.name} (env)`;
    throw new NotFoundError(`no event "${id}" in the mirror of ${where}; \`events get ${id}\` fetches it`);
  }
  const versions: VersionOut[] = [];
  let before: Json | undefined;
  for (const [i, v] of kept.entries()) {
    const event = JSON.parse(v.raw) as Json;
    const iso = (ms: number) => new Date(ms).toISOString();
    versions.push({ version: i + 1, rev: v.rev, updated: iso(v.updated), seen: iso(v.seen), changes: before === undefined ? [] : diffJson(before, event), event: v.raw });
    before = event;
  }
  return { profile: conn.name, versions };
}

export async function historyCommand(session: Session, id: string): Promise<void> {
  const { io } = session;
  const { versions } = await eventVersions(session, id);
  const { format, color } = session.writeOptions();
  // The event's own text goes in as it is, never through JSON.stringify.
  const record = (v: VersionOut, indent?: number) => {
    const { event, ...rest } = v;
    const head = JSON.stringify(rest, null, indent);
    return `${head.slice(0, -1).trimEnd()},${indent ? '\n  ' : ''}"event":${indent ? ' ' : ''}${event}${indent ? '\n' : ''}}`;
  };
  if (format === 'json') io.stdout.write(`[${versions.map((v) => record(v, 2).replace(/\n/g, '\n  ')).map((r) => `\n  ${r}`).join(',')}\n]\n`);
  else if (format === 'ndjson') for (const v of versions) io.stdout.write(`${record(v)}\n`);
  else if (format === 'csv') {
    io.stdout.write('version,rev,updated,seen,path,op,from,to\n');
    for (const v of versions) {
      const rows = v.changes.length > 0 ? v.changes : [undefined];
      for (const c of rows) {
        const cells = [String(v.version), String(v.rev), v.updated, v.seen, c?.path ?? '', c?.op ?? (v.version === 1 ? 'first' : 'same'), c && 'from' in c ? JSON.stringify(c.from) : '', c && 'to' in c ? JSON.stringify(c.to) : ''];
        io.stdout.write(csvRow(cells, io.stdout));
      }
    }
  } else io.stdout.write(renderHistory(id, versions, color));
}

/**
 * The versions as people read them: a heading per version, then its changes. Paths and values are
 * sanitised before they are coloured (JSON.stringify leaves DEL, C1 and bidi controls raw).
 */
export function renderHistory(id: string, versions: VersionOut[], color: boolean): string {
  const lines = [`${bold(sanitize(id), color)}: ${versions.length} version${versions.length === 1 ? '' : 's'}, oldest first`];
  const show = (v: Json | undefined) => sanitize(JSON.stringify(v));
  for (const v of versions) {
    lines.push('');
    lines.push(`${bold(`v${v.version}`, color)}  changed ${formatTime(Date.parse(v.updated))} UTC  seen ${formatTime(Date.parse(v.seen))} UTC  (rev ${v.rev})`);
    if (v.version === 1) lines.push('    first version the mirror saw');
    else if (v.changes.length === 0) lines.push('    no change in the JSON (only its text)');
    for (const c of v.changes) {
      const path = sanitize(c.path);
      if (c.op === 'changed') lines.push(`    ${path}: ${paint(show(c.from), 31, color)} → ${paint(show(c.to), 32, color)}`);
      else if (c.op === 'added') lines.push(paint(`  + ${path}: ${show(c.to)}`, 32, color));
      else lines.push(paint(`  - ${path}: ${show(c.from)}`, 31, color));
    }
  }
  return `${lines.join('\n')}\n`;
}
