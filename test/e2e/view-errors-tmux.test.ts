// tail and forward in a real terminal when the provider refuses the API key: the view (if it was
// shown) closes, the terminal is as it was (normal screen, cursor shown, cooked mode), and the
// failure is one line with exit 4, as in a pipe. Refused at once (while Ink is still loading) and
// refused after the view is up.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, tempHome } from '../support/cli.js';
import { SECRETS } from '../support/deliver.js';
import { startFakeBlueai } from '../support/fake-blueai.js';
import { inTmux } from '../support/tmux.js';

const cleanups = cleanupAfterEach();

const COMMANDS = {
  tail: ['tail', '--interval', '200ms'],
  forward: ['forward', '--to', 'http://127.0.0.1:9/hook', '--secret-env', 'WEBHOOK_SECRET', '--interval', '200ms'],
};

describe.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)('events %s on a terminal with a refused key (tmux)', (command) => {
  it.each([
    ['at once', false],
    ['after the view is up', true],
  ])('refused %s: exit 4, one line, the terminal restored', async (_when, afterView) => {
    // The refusal held back until the view is on the screen.
    let answer = () => {};
    const gate = afterView ? new Promise<void>((resolve) => (answer = resolve)) : undefined;
    const fake = await startFakeBlueai({ gate });
    const home = tempHome();
    cleanups.push(() => fake.close(), home.cleanup, () => answer());
    const env = {
      EVENTS_PROVIDER: 'blueai',
      EVENTS_API_KEY: 'sk_test_refused',
      EVENTS_BASE_URL: fake.url,
      EVENTS_DB: home.db,
      EVENTS_CONFIG_DIR: home.configDir,
      WEBHOOK_SECRET: SECRETS.blueai,
    };
    const { tmux, screen, until, modes } = inTmux(home.dir, env, COMMANDS[command], cleanups, { width: 120, timeoutMs: 20_000 });
    if (afterView) {
      await until((s) => s.includes(`events ${command}`), 'the view');
      answer();
    }
    await until((s) => s.includes('EXIT=') && s.includes('TTY='), `${command} to end`);
    expect(screen()).not.toMatch(/ at |Node\.js|AuthError/);

    // -J joins the lines the pane wrapped.
    const lines = tmux('capture-pane', '-p', '-J', '-t', 'events').split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([
      // forward says, before its view, how it signs (BlueAI documents no scheme).
      ...(command === 'forward' ? ['note: BlueAI documents no webhook signature; requests are signed as Standard Webhooks'] : []),
      expect.stringMatching(/^error: blueai: 401 Unauthorized on GET \/api\/v1\/events: Invalid or missing API key \(UNAUTHORIZED\) — check the API key of the EVENTS_API_KEY environment variable$/),
      'EXIT=4',
      'TTY=icanon echo',
    ]);
    expect(modes()).toEqual({ alternateScreen: false, cursorShown: true });
  }, 40_000);
});
