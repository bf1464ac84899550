// `events demo`: starts the built-in sample API and saves a `demo` profile pointing at it, so the
// tool can be tried with no account. Runs until Ctrl-C.
import { updateProfiles } from '../../config/profiles.js';
import { EventsError, UsageError } from '../../errors.js';
import { note } from '../../io.js';
import { parseCount } from '../../parse.js';
import type { Session } from '../session.js';

export async function demoCommand(session: Session, flags: { port?: string }): Promise<void> {
  const { io } = session;
  const port = flags.port === undefined ? 4010 : parseCount('--port', flags.port);
  const { startDemoServer, DEMO_API_KEY } = await import('../../demo/server.js');
  const { demoStart } = await import('../../demo/start.js');
  const server = await startDemoServer({ port, start: demoStart(io.env, Date.now()) }).catch((err: { code?: string; message?: string }) => {
    if (err.code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use (is a demo already running?); pick another with --port`);
    throw new EventsError(`cannot start the demo API: ${err.message}`);
  });
  let madeDefault = false;
  await updateProfiles(io.env, (file) => {
    // The demo owns where its API is and its key; what the user saved on the profile (a webhook
    // secret) stays.
    const saved = file.profiles.demo?.provider === 'blueai' ? file.profiles.demo : undefined;
    file.profiles.demo = { ...saved, provider: 'blueai', baseUrl: server.url, apiKey: DEMO_API_KEY };
    if (!file.default || !file.profiles[file.default]) file.default = 'demo';
    madeDefault = file.default === 'demo';
  });
  const p = madeDefault ? '' : ' --profile demo';
  note(io, `demo API (BlueAI-style) on ${server.url}: ${server.count().toLocaleString('en-US')} events, a new one every few seconds`);
  note(io, `saved profile "demo"${madeDefault ? ' (the default)' : ''}. In another terminal, try:`);
  for (const cmd of [`events sync${p}`, `events list${p} --type 'invoice.*' --since 2d`, `events list${p} --limit 3 | jq .type`, `events tail${p}`, `events status`]) {
    note(io, `  ${cmd}`);
  }
  note(io, 'Ctrl-C stops the demo.');
  await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
}
