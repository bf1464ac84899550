// Saved profiles (src/config/profiles.ts) in a real config directory: written through conf with
// mode 0600, read back directly, a broken file refused with one clear line, keys masked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { maskKey, readProfiles, updateProfiles } from '../../src/config/profiles.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function configEnv() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-config-'));
  dirs.push(dir);
  return { env: { EVENTS_CONFIG_DIR: dir }, file: path.join(dir, 'config.json') };
}

describe('profiles file', () => {
  it('reads as empty before anything is saved', () => {
    const { env, file } = configEnv();
    expect(readProfiles(env)).toEqual({ profiles: {} });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes with mode 0600 and reads back what was written', async () => {
    const { env, file } = configEnv();
    await updateProfiles(env, (f) => {
      f.profiles.sales = { provider: 'close', apiKey: 'api_close_secret_123456' };
      f.default = 'sales';
    });
    await updateProfiles(env, (f) => {
      f.profiles.ops = { provider: 'seam', apiKey: 'seam_ops', baseUrl: 'http://127.0.0.1:9' };
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readProfiles(env)).toEqual({
      default: 'sales',
      profiles: {
        sales: { provider: 'close', apiKey: 'api_close_secret_123456' },
        ops: { provider: 'seam', apiKey: 'seam_ops', baseUrl: 'http://127.0.0.1:9' },
      },
    });
  });

  it('tightens the mode of an older file that was readable by others', async () => {
    const { env, file } = configEnv();
    fs.writeFileSync(file, JSON.stringify({ profiles: {} }), { mode: 0o644 });
    await updateProfiles(env, (f) => {
      f.profiles.a = { provider: 'bem', apiKey: 'k' };
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not JSON with a usage error naming it', () => {
    const { env, file } = configEnv();
    fs.writeFileSync(file, '{"profiles": ');
    expect(() => readProfiles(env)).toThrow(UsageError);
    expect(() => readProfiles(env)).toThrow(new RegExp(`^the config file ${file} is not valid JSON \\(.+\\); fix it or move it away$`));
  });
});

describe('maskKey', () => {
  it('shows at most the last four characters, and only of a long key', () => {
    expect(maskKey('sk_live_abcdefghijkl1234')).toBe('****1234');
    expect(maskKey('short_key')).toBe('****');
  });
});
