// `events provider add|list|show|remove|check`: event APIs described in a data file
// (docs/providers-format.md), saved beside the profiles as `<configDir>/providers/NAME.json`.
import fs from 'node:fs';
import path from 'node:path';
import { readProfiles } from '../../config/profiles.js';
import { UsageError } from '../../errors.js';
import { DESCRIPTIONS } from '../../providers/described/build.js';
import type { Description } from '../../providers/described/format.js';
import { providersDir, readDescription, savedNames } from '../../providers/described/saved.js';
import { NAME } from '../../providers/described/validate.js';
import { PROVIDER_NAMES, providerNamed } from '../../providers/registry.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

/** One line on what a description says: how it pages, in which order, and where. */
export function outline(d: Description): string {
  const p = d.paging;
  const how = p.param ? `${p.style} (${p.param})` : p.from ? `${p.style} (${p.from})` : p.style;
  return `${d.list.method} ${d.baseUrl}${d.list.path}, ${how} paging, ${d.order}`;
}

export async function providerAdd(session: Session, file: string): Promise<void> {
  const { io } = session;
  const d = readDescription(file);
  const dir = providersDir(io.env);
  const target = path.join(dir, `${d.name}.json`);
  const replaced = fs.existsSync(target);
  fs.mkdirSync(dir, { recursive: true });
  // The file as written, comments of layout and all; it was read and checked just now.
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, fs.readFileSync(file));
  fs.renameSync(tmp, target);
  note(io, `${replaced ? 'replaced' : 'saved'} provider "${d.name}": ${outline(d)}; use it with \`events profile add NAME --provider ${d.name}\` or EVENTS_PROVIDER=${d.name}`);
}

export async function providerList(session: Session, flags: { names?: boolean }): Promise<void> {
  const { io } = session;
  const described = savedNames(io.env);
  if (flags.names) return void io.stdout.write([...PROVIDER_NAMES, ...described].map((n) => `${n}\n`).join(''));
  const rows = [
    ...PROVIDER_NAMES.map((name) => ({ name, kind: 'built-in', baseUrl: providerNamed(name, io.env)!.defaultBaseUrl })),
    ...described.map((name) => {
      try {
        return { name, kind: 'described', baseUrl: providerNamed(name, io.env)!.defaultBaseUrl };
      } catch (err) {
        // One broken file must not hide the others: say what is wrong with it in its row.
        return { name, kind: 'described', baseUrl: null, error: (err as Error).message };
      }
    }),
  ];
  const format = session.format();
  if (format === 'json') return void io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  if (format === 'ndjson') return void rows.forEach((r) => io.stdout.write(`${JSON.stringify(r)}\n`));
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) io.stdout.write(`${r.name.padEnd(width)}  ${r.kind.padEnd(9)}  ${'error' in r ? `broken: ${r.error}` : r.baseUrl}\n`);
}

export async function providerShow(session: Session, name: string): Promise<void> {
  const { io } = session;
  const provider = providerNamed(name, io.env);
  if (!provider) throw new UsageError(`no provider named "${name}"; see \`events provider list\``);
  const d = DESCRIPTIONS.get(provider);
  const format = session.format();
  if (format !== 'table') {
    const shown = d ? { kind: 'described', file: path.join(providersDir(io.env), `${name}.json`), description: d } : { kind: 'built-in', name, baseUrl: provider.defaultBaseUrl };
    return void io.stdout.write(`${JSON.stringify(shown, null, format === 'json' ? 2 : undefined)}\n`);
  }
  const rows: Array<[string, string]> = d
    ? [
        ['name', `${d.name} (described)`],
        ['title', d.title],
        ['file', path.join(providersDir(io.env), `${name}.json`)],
        ['list', outline(d)],
        ['get', d.get ? `GET ${d.baseUrl}${d.get.path}` : '(none)'],
        ['auth', d.auth.type],
        ['fields', `id ${d.fields.id}, type ${d.fields.type.join('.')}, time ${d.fields.time.path} (${d.fields.time.format})${d.fields.updated ? `, updated ${d.fields.updated.path}` : ''}`],
        ['filters', Object.entries(d.filters).filter(([, f]) => f).map(([k, f]) => `${k} ${f!.param}`).join(', ') || '(none)'],
        ['retention', d.retentionDays ? `${d.retentionDays} days` : '(not said)'],
        ['webhooks', d.webhook.scheme === 'builtin' ? `as ${d.webhook.provider}` : d.webhook.scheme],
      ]
    : [
        ['name', `${name} (built in)`],
        ['base URL', provider.defaultBaseUrl],
        ['retention', provider.retentionDays ? `${provider.retentionDays} days` : '(not said)'],
        ['webhooks', provider.webhook?.scheme ?? '(none)'],
      ];
  for (const [label, value] of rows) io.stdout.write(`${label.padEnd(11)}${value}\n`);
}

export async function providerRemove(session: Session, name: string): Promise<void> {
  const { io } = session;
  if ((PROVIDER_NAMES as string[]).includes(name)) throw new UsageError(`"${name}" is built in and cannot be removed`);
  const file = path.join(providersDir(io.env), `${name}.json`);
  if (!NAME.test(name) || !fs.existsSync(file)) throw new UsageError(`no described provider named "${name}"; see \`events provider list\``);
  const users = Object.entries(readProfiles(io.env).profiles).filter(([, p]) => p.provider === name).map(([n]) => n);
  if (users.length > 0) throw new UsageError(`profile${users.length > 1 ? 's' : ''} ${users.join(', ')} use${users.length > 1 ? '' : 's'} "${name}": remove ${users.length > 1 ? 'them' : 'it'} first (events profile remove NAME)`);
  fs.rmSync(file);
  note(io, `removed provider "${name}" (events synced through it stay in the mirror)`);
}
