// Which account a command talks to (docs/cli.md, "Connections"): --profile, else $EVENTS_PROFILE,
// else the EVENTS_PROVIDER variables (an unnamed profile), else the default profile.
import { UsageError } from '../errors.js';
import { PROVIDER_NAMES, providerNamed } from '../providers/registry.js';
import { savedNames } from '../providers/described/saved.js';
import type { Provider } from '../providers/types.js';
import { readProfiles } from './profiles.js';

type Env = Record<string, string | undefined>;

export interface Connection {
  /** The name rows are stored under: the profile's name, or `env:<provider>[@host]`. */
  name: string;
  /** The name for messages: a profile's, or '' for the environment variables. */
  profileName: string;
  provider: Provider;
  baseUrl: string;
  apiKey: string;
}

const HOW_TO_ADD =
  'add one with `events profile add NAME --provider blueai|bem|close|seam|DESCRIBED --api-key-stdin`, set EVENTS_PROVIDER and EVENTS_API_KEY, or try `events demo`';

/** The connection for this command, or a UsageError saying how to configure one. */
export function resolveConnection(env: Env, flagProfile?: string): Connection {
  const named = flagProfile ?? (env.EVENTS_PROFILE || undefined);
  if (named !== undefined) return fromProfile(env, named);
  if (env.EVENTS_PROVIDER) return fromEnv(env);
  const file = readProfiles(env);
  if (file.default && file.profiles[file.default]) return fromProfile(env, file.default);
  throw new UsageError(`no connection configured: ${HOW_TO_ADD}`);
}

/** A provider by name (built in, or described in the config dir), or a UsageError listing the names. */
export function requireProvider(name: string, where: string, env: Env): Provider {
  const provider = providerNamed(name, env);
  if (!provider) {
    const described = savedNames(env);
    const others = described.length > 0 ? `, or a described one: ${described.join(', ')}` : ' (or add a described one with `events provider add FILE`)';
    throw new UsageError(`unknown provider "${name}" in ${where}: use one of ${PROVIDER_NAMES.join(', ')}${others}`);
  }
  return provider;
}

/** A base URL, checked: http(s) with a host. */
export function checkBaseUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid base URL "${value}" in ${where}: use a URL such as http://127.0.0.1:4010`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid base URL "${value}" in ${where}: it must start with http:// or https://`);
  }
  return value.replace(/\/+$/, '');
}

function fromProfile(env: Env, name: string): Connection {
  const file = readProfiles(env);
  const saved = file.profiles[name];
  if (!saved) {
    const known = Object.keys(file.profiles);
    const hint = known.length > 0 ? `known profiles: ${known.join(', ')}` : HOW_TO_ADD;
    throw new UsageError(`no profile named "${name}"; ${hint}`);
  }
  const provider = requireProvider(saved.provider, `profile "${name}"`, env);
  return {
    name,
    profileName: name,
    provider,
    baseUrl: saved.baseUrl ? checkBaseUrl(saved.baseUrl, `profile "${name}"`) : provider.defaultBaseUrl,
    apiKey: saved.apiKey,
  };
}

function fromEnv(env: Env): Connection {
  const provider = requireProvider(env.EVENTS_PROVIDER ?? '', 'EVENTS_PROVIDER', env);
  const apiKey = env.EVENTS_API_KEY;
  if (!apiKey) throw new UsageError('EVENTS_PROVIDER is set but EVENTS_API_KEY is not: set the API key in EVENTS_API_KEY');
  const baseUrl = env.EVENTS_BASE_URL ? checkBaseUrl(env.EVENTS_BASE_URL, 'EVENTS_BASE_URL') : provider.defaultBaseUrl;
  // Rows remember where they came from: two env-only accounts on other hosts never mix.
  const host = env.EVENTS_BASE_URL ? `@${new URL(baseUrl).host}` : '';
  return { name: `env:${provider.name}${host}`, profileName: '', provider, baseUrl, apiKey };
}
