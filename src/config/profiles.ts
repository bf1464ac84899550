// Saved profiles: one provider account each, in a JSON file that holds secrets (mode 0600).
// Writes go through `conf` (atomic writes, file mode); reads parse the same file directly, because
// importing conf costs over 100 ms and every `list` reads a profile.
import fs from 'node:fs';
import { UsageError } from '../errors.js';
import type { ProviderName } from '../providers/types.js';
import { configDir, configFile } from './paths.js';

export interface SavedProfile {
  provider: ProviderName;
  baseUrl?: string | undefined;
  apiKey: string;
  /** The secret `replay` and `forward` sign webhooks with (`profile add --webhook-secret-…`, `profile secret`). */
  webhookSecret?: string | undefined;
}

export interface ProfilesFile {
  default?: string | undefined;
  profiles: Record<string, SavedProfile>;
}

type Env = Record<string, string | undefined>;

/** The saved profiles (none if the file does not exist yet). */
export function readProfiles(env: Env): ProfilesFile {
  const file = configFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { profiles: {} };
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<ProfilesFile>;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return { default: parsed.default, profiles: parsed.profiles ?? {} };
  } catch (err) {
    throw new UsageError(`the config file ${file} is not valid JSON (${(err as Error).message}); fix it or move it away`);
  }
}

/** Applies `change` to the saved profiles and writes them back, mode 0600. */
export async function updateProfiles(env: Env, change: (file: ProfilesFile) => void): Promise<void> {
  const current = readProfiles(env);
  change(current);
  const { default: Conf } = await import('conf');
  const store = new Conf<ProfilesFile>({
    projectName: 'events',
    cwd: configDir(env),
    configName: 'config',
    configFileMode: 0o600,
  });
  store.store = JSON.parse(JSON.stringify(current)) as ProfilesFile;
  // conf applies the mode when it creates the file; an older file keeps its mode, so set it.
  fs.chmodSync(configFile(env), 0o600);
}

/** An API key (or a webhook secret) as it may be shown: never whole. */
export function maskKey(key: string): string {
  return key.length >= 16 ? `****${key.slice(-4)}` : '****';
}
