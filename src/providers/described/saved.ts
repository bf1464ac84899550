// Described providers saved beside the profiles: `<configDir>/providers/NAME.json`, one file each,
// read and checked when a command first names the provider.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { configDir } from '../../config/paths.js';
import type { Provider } from '../types.js';
import { buildProvider } from './build.js';
import type { Description } from './format.js';
import { NAME, validateDescription } from './validate.js';

type Env = Record<string, string | undefined>;

/** The folder of saved descriptions. */
export function providersDir(env: Env): string {
  return path.join(configDir(env), 'providers');
}

/** A description read from a file and checked; a UsageError names the file and the problem. */
export function readDescription(file: string): Description {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(code === 'ENOENT' ? `no such provider description: ${file}` : `cannot read the provider description ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`provider description ${file}: not valid JSON (${(err as Error).message})`);
  }
  return validateDescription(json, file);
}

const built = new Map<string, Provider>();

/** The described provider saved as `name`, or undefined when there is none. */
export function savedProvider(name: string, env: Env): Provider | undefined {
  if (!NAME.test(name)) return undefined;
  const file = path.join(providersDir(env), `${name}.json`);
  const cached = built.get(file);
  if (cached) return cached;
  if (!fs.existsSync(file)) return undefined;
  const provider = buildProvider(readDescription(file));
  if (provider.name !== name) throw new UsageError(`provider description ${file}: name: "${provider.name}" does not match its file name; save it with \`events provider add\``);
  built.set(file, provider);
  return provider;
}

/** The names of the saved descriptions, sorted. */
export function savedNames(env: Env): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(providersDir(env));
  } catch {
    return [];
  }
  return files.filter((f) => f.endsWith('.json') && NAME.test(f.slice(0, -5))).map((f) => f.slice(0, -5)).sort();
}
