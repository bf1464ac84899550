// `events profile add|list|show|remove|use|secret`: saved provider accounts. A key (or a webhook
// secret) comes from stdin or an environment variable, never a flag value (shell history), and is
// never printed whole.
import { checkBaseUrl, requireProvider } from '../../config/connection.js';
import { maskKey, readProfiles, updateProfiles } from '../../config/profiles.js';
import { UsageError } from '../../errors.js';
import { note } from '../../io.js';
import type { Session } from '../session.js';

export interface AddFlags {
  provider?: string;
  baseUrl?: string;
  apiKeyStdin?: boolean;
  apiKeyEnv?: string;
  webhookSecretStdin?: boolean;
  webhookSecretEnv?: string;
}

export interface SecretFlags {
  stdin?: boolean;
  env?: string;
}

/**
 * The webhook secret from stdin or an environment variable (undefined when neither is asked for).
 * `stdin`, `env`: the flags' names as the user typed them, for the messages.
 */
async function readWebhookSecret(session: Session, from: { stdin?: boolean | undefined; env?: string | undefined }, names: { stdin: string; env: string }): Promise<string | undefined> {
  const { io } = session;
  if (from.stdin && from.env !== undefined) throw new UsageError(`${names.stdin} and ${names.env} do not go together: choose one`);
  if (from.stdin) {
    const value = (await io.readStdin()).trim();
    if (!value) throw new UsageError(`${names.stdin}: the webhook secret read from stdin is empty`);
    return value;
  }
  if (from.env !== undefined) {
    const value = io.env[from.env]?.trim();
    if (!value) throw new UsageError(`${names.env} ${from.env}: that environment variable is not set or empty`);
    return value;
  }
  return undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function profileAdd(session: Session, name: string, flags: AddFlags): Promise<void> {
  const { io } = session;
  if (!NAME.test(name)) throw new UsageError(`invalid profile name "${name}": use letters, digits, ".", "_" and "-"`);
  if (!flags.provider) throw new UsageError('missing --provider: use one of blueai, bem, close, seam, or a described provider (`events provider list`)');
  const provider = requireProvider(flags.provider, '--provider', io.env);
  const baseUrl = flags.baseUrl === undefined ? undefined : checkBaseUrl(flags.baseUrl, '--base-url');
  if (flags.apiKeyStdin && flags.apiKeyEnv) throw new UsageError('--api-key-stdin and --api-key-env do not go together: choose one');
  if (flags.apiKeyStdin && flags.webhookSecretStdin) {
    throw new UsageError('--api-key-stdin and --webhook-secret-stdin cannot both read stdin: give one of them with its --…-env option');
  }
  let apiKey: string | undefined;
  if (flags.apiKeyStdin) apiKey = (await io.readStdin()).trim();
  else if (flags.apiKeyEnv) {
    apiKey = io.env[flags.apiKeyEnv];
    if (!apiKey) throw new UsageError(`--api-key-env ${flags.apiKeyEnv}: that environment variable is not set`);
  } else {
    throw new UsageError('give the API key with --api-key-stdin (e.g. `pbpaste | events profile add …`) or --api-key-env VAR');
  }
  if (!apiKey) throw new UsageError('the API key read from stdin is empty');
  const webhookSecret = await readWebhookSecret(
    session,
    { stdin: flags.webhookSecretStdin, env: flags.webhookSecretEnv },
    { stdin: '--webhook-secret-stdin', env: '--webhook-secret-env' },
  );
  let isDefault = false;
  await updateProfiles(io.env, (file) => {
    file.profiles[name] = { provider: provider.name, apiKey, ...(baseUrl ? { baseUrl } : {}), ...(webhookSecret ? { webhookSecret } : {}) };
    if (!file.default || !file.profiles[file.default]) file.default = name;
    isDefault = file.default === name;
  });
  const secretNote = webhookSecret ? `, webhook secret ${maskKey(webhookSecret)}` : '';
  note(io, `saved profile "${name}" (${provider.name}, key ${maskKey(apiKey)}${secretNote})${isDefault ? '; it is the default' : ''}`);
}

/** `events profile secret NAME --stdin|--env VAR`: saves the secret `replay` and `forward` sign with. */
export async function profileSecret(session: Session, name: string, flags: SecretFlags): Promise<void> {
  const { io } = session;
  if (!readProfiles(io.env).profiles[name]) throw new UsageError(`no profile named "${name}"`);
  const secret = await readWebhookSecret(session, flags, { stdin: '--stdin', env: '--env' });
  if (secret === undefined) throw new UsageError('give the webhook secret with --stdin (e.g. `pbpaste | events profile secret …`) or --env VAR');
  await updateProfiles(io.env, (file) => {
    const p = file.profiles[name];
    if (p) p.webhookSecret = secret;
  });
  note(io, `saved the webhook secret of profile "${name}" (${maskKey(secret)}); replay and forward sign with it`);
}

export async function profileList(session: Session): Promise<void> {
  const { io } = session;
  const file = readProfiles(io.env);
  const rows = Object.entries(file.profiles).map(([name, p]) => ({
    name,
    provider: p.provider,
    baseUrl: p.baseUrl ?? null,
    default: name === file.default,
  }));
  const format = session.format();
  if (format === 'json') return void io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  if (format === 'ndjson') return void rows.forEach((r) => io.stdout.write(`${JSON.stringify(r)}\n`));
  if (rows.length === 0) return note(io, 'no profiles yet: add one with `events profile add NAME --provider P --api-key-stdin`');
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    io.stdout.write(`${r.default ? '*' : ' '} ${r.name.padEnd(width)}  ${r.provider.padEnd(6)}  ${r.baseUrl ?? '(provider default)'}\n`);
  }
}

export async function profileShow(session: Session, name: string): Promise<void> {
  const { io } = session;
  const file = readProfiles(io.env);
  const p = file.profiles[name];
  if (!p) throw new UsageError(`no profile named "${name}"`);
  const secret = typeof p.webhookSecret === 'string' && p.webhookSecret ? maskKey(p.webhookSecret) : null;
  const shown = { name, provider: p.provider, baseUrl: p.baseUrl ?? null, apiKey: maskKey(p.apiKey), webhookSecret: secret, default: file.default === name };
  if (session.format() === 'table') {
    const rows: Array<[string, string]> = [
      ['name', `${name}${shown.default ? ' (default)' : ''}`],
      ['provider', p.provider],
      ['base URL', p.baseUrl ?? '(provider default)'],
      ['API key', shown.apiKey],
      ['webhook secret', secret ?? '(none: replay and forward send unsigned without --secret-env)'],
    ];
    for (const [label, value] of rows) io.stdout.write(`${label.padEnd(16)}${value}\n`);
  } else io.stdout.write(`${JSON.stringify(shown)}\n`);
}

export async function profileRemove(session: Session, name: string): Promise<void> {
  const { io } = session;
  if (!readProfiles(io.env).profiles[name]) throw new UsageError(`no profile named "${name}"`);
  await updateProfiles(io.env, (file) => {
    delete file.profiles[name];
    if (file.default === name) file.default = undefined;
  });
  note(io, `removed profile "${name}" (its events stay in the mirror)`);
}

export async function profileUse(session: Session, name: string): Promise<void> {
  const { io } = session;
  if (!readProfiles(io.env).profiles[name]) throw new UsageError(`no profile named "${name}"`);
  await updateProfiles(io.env, (file) => {
    file.default = name;
  });
  note(io, `"${name}" is now the default profile`);
}
