// The webhook signing secret: `--secret-env VAR`, `--secret-stdin`, or the profile's saved
// `webhookSecret`. Never a flag value (shell history, `ps`), never printed.
import { UsageError } from '../errors.js';
import { readProfiles } from '../config/profiles.js';
import type { Io } from '../io.js';

export interface SecretFlags {
  secretEnv?: string;
  secretStdin?: boolean;
}

const stdinRead = new WeakMap<Io, Promise<string>>();

/** The secret text, or undefined when none is configured (deliveries then go unsigned). */
export async function resolveSecret(io: Io, flags: SecretFlags, profileName: string): Promise<string | undefined> {
  if (flags.secretEnv !== undefined && flags.secretStdin) throw new UsageError('--secret-env and --secret-stdin do not go together: choose one');
  if (flags.secretEnv !== undefined) {
    const value = io.env[flags.secretEnv];
    if (!value) throw new UsageError(`--secret-env ${flags.secretEnv}: that environment variable is not set or empty`);
    return value.trim();
  }
  if (flags.secretStdin) {
    // Read once per run, however many profiles a replay signs for.
    let read = stdinRead.get(io);
    if (!read) stdinRead.set(io, (read = io.readStdin()));
    const value = (await read).trim();
    if (!value) throw new UsageError('--secret-stdin: nothing was read from standard input');
    return value;
  }
  if (!profileName) return undefined;
  const saved = readProfiles(io.env).profiles[profileName] as { webhookSecret?: unknown } | undefined;
  return typeof saved?.webhookSecret === 'string' && saved.webhookSecret ? saved.webhookSecret : undefined;
}

/** Replaces any occurrence of the secret in a text (a handler's error echoing it back). */
export function scrub(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('****') : text;
}
