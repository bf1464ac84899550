// Secrets, for every provider: with --verbose and failing requests (5xx, then a refused key), the
// API key appears nowhere in stdout or stderr, in any form it travels in (Bearer, x-api-key, and
// Close's Basic `base64(key:)`). A config file written by `profile add` is mode 0600 even under
// umask 000, and `profile show` masks the key.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, finished, runEvents, tempHome } from '../support/cli.js';
import { adapters, alwaysAfter, envFor } from './providers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(adapters)('$name keys', (adapter) => {
  it('never appear in --verbose output of failing requests', async () => {
    const fake = await adapter.start({ faults: alwaysAfter(1, ['html-500', 'html-502', 'rate-limit'], 7), history: 2 * adapter.pageSize + 5 });
    cleanups.push(() => fake.close());
    const h = tempHome();
    cleanups.push(h.cleanup);
    const failing = await runEvents(['sync', '--verbose', '--retries', '2', '--timeout', '500ms'], envFor(fake, h));
    expect(failing.code, failing.stderr).toBe(5);
    // Verbose really logged the requests, the good one and the failures.
    expect(failing.stderr).toMatch(/→ 200/);
    expect(failing.stderr).toMatch(/→ (500|502|429)/);

    fake.setFaults(undefined);
    const wrongKey = `${adapter.name}_live_wrong_key_0123456789abcdef`;
    const refused = await runEvents(['sync', '--verbose'], envFor(fake, h, { EVENTS_API_KEY: wrongKey }));
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(/401/);

    for (const [r, key] of [[failing, fake.apiKey], [refused, wrongKey]] as const) {
      for (const secret of adapter.secretForms(key)) {
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

describe('saved profiles', () => {
  it('are written mode 0600 under umask 000, and profile show masks the key', async () => {
    const h = tempHome();
    cleanups.push(h.cleanup);
    const key = 'sk_live_abcdefghijklmnop_WXYZ';
    const env = cleanEnv({ EVENTS_CONFIG_DIR: h.configDir, SECRET_KEY: key });
    const child = spawn('sh', ['-c', `umask 000 && exec "${process.execPath}" "${BIN}" profile add sales --provider close --api-key-env SECRET_KEY`], { env });
    const added = await finished(child);
    expect(added.code, added.stderr).toBe(0);
    const file = path.join(h.configDir, 'config.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(added.stdout + added.stderr).not.toContain(key);

    const viaStdin = spawn('sh', ['-c', `umask 000 && exec "${process.execPath}" "${BIN}" profile add ops --provider seam --api-key-stdin`], { env });
    viaStdin.stdin.end('seam_key_from_stdin_123456\n');
    expect((await finished(viaStdin)).code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    for (const args of [['profile', 'show', 'sales'], ['profile', 'show', 'sales', '-o', 'json'], ['profile', 'list'], ['profile', 'list', '--json']]) {
      const r = await runEvents(args, { EVENTS_CONFIG_DIR: h.configDir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(key);
      expect(r.stdout + r.stderr).not.toContain('seam_key_from_stdin_123456');
      if (args[1] === 'show') expect(r.stdout).toContain('****WXYZ');
    }
  }, 30_000);
});
