// Which account a command talks to (src/config/connection.ts): --profile, else $EVENTS_PROFILE,
// else the EVENTS_PROVIDER variables, else the default profile; each mistake one usage error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBaseUrl, resolveConnection } from '../../src/config/connection.js';
import { updateProfiles } from '../../src/config/profiles.js';
import { UsageError } from '../../src/errors.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A config dir holding two profiles, `sales` (close, the default) and `ops` (seam, own base URL). */
async function saved(): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-conn-'));
  dirs.push(dir);
  const env = { EVENTS_CONFIG_DIR: dir };
  await updateProfiles(env, (f) => {
    f.profiles.sales = { provider: 'close', apiKey: 'close_key' };
    f.profiles.ops = { provider: 'seam', apiKey: 'seam_key', baseUrl: 'http://127.0.0.1:4010/' };
    f.default = 'sales';
  });
  return env;
}

describe('resolveConnection', () => {
  it('takes --profile over $EVENTS_PROFILE over the EVENTS_PROVIDER variables over the default', async () => {
    const config = await saved();
    const env = { ...config, EVENTS_PROVIDER: 'bem', EVENTS_API_KEY: 'bem_key' };
    expect(resolveConnection({ ...env, EVENTS_PROFILE: 'sales' }, 'ops').name).toBe('ops');
    expect(resolveConnection({ ...env, EVENTS_PROFILE: 'ops' }).name).toBe('ops');
    expect(resolveConnection(env).name).toBe('env:bem');
    expect(resolveConnection(config).name).toBe('sales');
  });

  it("uses a saved base URL without its trailing slash, else the provider's own", async () => {
    const env = await saved();
    expect(resolveConnection(env, 'ops')).toMatchObject({ profileName: 'ops', baseUrl: 'http://127.0.0.1:4010', apiKey: 'seam_key' });
    expect(resolveConnection(env, 'sales').baseUrl).toBe('https://api.close.com/api/v1');
  });

  it('names an environment-only account by provider, and by host when a base URL is given', () => {
    expect(resolveConnection({ EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'k' })).toMatchObject({ name: 'env:blueai', profileName: '', baseUrl: 'https://api.blueai.jp' });
    expect(resolveConnection({ EVENTS_PROVIDER: 'blueai', EVENTS_API_KEY: 'k', EVENTS_BASE_URL: 'http://127.0.0.1:9/' }).name).toBe('env:blueai@127.0.0.1:9');
  });

  it('says what is wrong, and how to fix it, in one usage error', async () => {
    const env = await saved();
    const refuse = (e: Record<string, string>, flag?: string) => {
      try {
        resolveConnection(e, flag);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('resolved');
    };
    expect(refuse({ EVENTS_CONFIG_DIR: path.join(env.EVENTS_CONFIG_DIR!, 'none') })).toMatch(/^no connection configured: add one with `events profile add/);
    expect(refuse(env, 'nope')).toBe('no profile named "nope"; known profiles: sales, ops');
    expect(refuse({ EVENTS_PROVIDER: 'stripe', EVENTS_API_KEY: 'k' })).toBe('unknown provider "stripe" in EVENTS_PROVIDER: use one of blueai, bem, close, seam (or add a described one with `events provider add FILE`)');
    expect(refuse({ EVENTS_PROVIDER: 'bem' })).toMatch(/^EVENTS_PROVIDER is set but EVENTS_API_KEY is not/);
    expect(refuse({ EVENTS_PROVIDER: 'bem', EVENTS_API_KEY: 'k', EVENTS_BASE_URL: 'ftp://x' })).toMatch(/must start with http:\/\/ or https:\/\//);
  });
});

describe('checkBaseUrl', () => {
  it('takes http(s) URLs without their trailing slashes and refuses anything else', () => {
    expect(checkBaseUrl('https://api.close.com/api/v1//', 'x')).toBe('https://api.close.com/api/v1');
    expect(() => checkBaseUrl('127.0.0.1:4010', '--base-url')).toThrow(/^invalid base URL "127.0.0.1:4010" in --base-url/);
    expect(() => checkBaseUrl('not a url', 'x')).toThrow(UsageError);
  });
});
