// Events whose type, id and payload hold terminal controls (OSC title, CSI clear, 8-bit CSI, BEL,
// backspace, DEL, CR, bidi overrides), from every provider's loopback fake beside ordinary events:
// after a sync, every output meant for people (list, get, stats, history and status tables, error
// lines) holds no control byte but tab and newline and no bidi control, and shows the escapes
// instead; JSON output stays the provider's exact text. On both engines.
import { afterEach, describe, expect, it } from 'vitest';
import { engineHome, runEvents } from '../support/cli.js';
import { blueaiEvent, blueaiHistory, startFakeBlueai, type BlueaiEvent } from '../support/fake-blueai.js';
import { bemEvent, startFakeBem } from '../support/fake-bem.js';
import { closeEvent, closeHistory, closeTime, startFakeClose } from '../support/fake-close.js';
import { seamEvent, seamHistory, startFakeSeam } from '../support/fake-seam.js';
import { C1_CLEAR, HOSTILE_TYPE, HOSTILE_TYPE_2, HOSTILE_VALUE, RLO, SET_TITLE, unsafeIn } from '../support/hostile-text.js';
import { ENGINES } from '../support/engines.js';

/** Ordinary unicode, which must come out as it went in. */
const UNICODE = 'Café Zoë – 東京 ✓';

describe.each(ENGINES)('hostile event content on a terminal (%s)', (engine) => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('list, get, stats, history, status and errors show escapes, never the controls; JSON stays exact', async () => {
    const blueai = await startFakeBlueai();
    const close = await startFakeClose();
    const home = await engineHome(engine);
    cleanups.push(() => blueai.close(), () => close.close(), () => home.cleanup());
    const now = Date.now();
    blueai.add(...blueaiHistory(8, now - 60_000));
    const title: BlueaiEvent = { ...blueaiEvent(100, now - 5_000), type: HOSTILE_TYPE, data: { id: `inv${RLO}_1`, object: `invoice${C1_CLEAR}`, status: HOSTILE_VALUE, customer: UNICODE } };
    const bidiId: BlueaiEvent = { ...blueaiEvent(101, now - 4_000), id: `evt_${RLO}gpj.exe`, type: HOSTILE_TYPE_2 };
    blueai.add(title, bidiId);
    close.add(...closeHistory(6, now - 60_000));
    const lead = { ...closeEvent(200, now - 3_000), action: `created${SET_TITLE}`, object_id: `lead${C1_CLEAR}_9` };
    close.add(lead);

    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, BK: blueai.apiKey, CK: close.apiKey, NO_COLOR: '1' };
    for (const [name, provider, url, key] of [['billing', 'blueai', blueai.url, 'BK'], ['crm', 'close', close.baseUrl, 'CK']] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const sync = async () => {
      for (const p of ['billing', 'crm']) {
        const r = await runEvents(['sync', '--profile', p], env);
        expect(r.code, r.stderr).toBe(0);
      }
    };
    await sync();
    // A second version of the Close event: a hostile key and value, and ordinary unicode, changed.
    close.add({ ...lead, date_updated: closeTime(now - 1_000), data: { ...lead.data, note: HOSTILE_VALUE, [`k${RLO}ey`]: 1, name: UNICODE } });
    await sync();

    /** Runs a command for people and checks what it printed is safe for a terminal. */
    const shown = async (args: string[]) => {
      const r = await runEvents(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(unsafeIn(r.stdout), `${args.join(' ')} stdout:\n${r.stdout}`).toEqual([]);
      expect(unsafeIn(r.stderr), `${args.join(' ')} stderr:\n${r.stderr}`).toEqual([]);
      return r.stdout;
    };

    const list = await shown(['list', '--offline', '--all-profiles', '--all', '-o', 'table']);
    // In a pipe's 100 columns the escaped types are cut (…), never the ids.
    expect(list).toContain('invoice.paid\\x1b]0;PWNED');
    expect(list).toContain('crm.deal\\u009b2J\\x08\\x08');
    expect(list).toContain('lead.created\\x1b]0;PWNED');
    expect(list).toContain('evt_\\u202egpj.exe');
    // Ordinary events beside them are shown as they are, ids whole.
    for (const e of blueai.events().filter((x) => x.id.startsWith('evt_0'))) expect(list).toContain(e.id);
    for (const e of close.events().slice(0, 3)) expect(list).toContain(e.id);

    const got = await shown(['get', title.id, '--offline', '--profile', 'billing', '-o', 'table']);
    expect(got).toContain('"status": "ok\\u001b]0;PWNED');
    expect(got).toContain('\\u009b2J');
    expect(got).toContain(`"customer": "${UNICODE}"`);

    const stats = await shown(['stats', '--all-profiles', '--by', 'type', '-o', 'table']);
    expect(stats).toContain('invoice.paid\\x1b]0;PWNED\\x07\\x1b[2J');
    expect(stats).toContain('invoice.created');
    const byObject = await shown(['stats', '--profile', 'billing', '--by', 'object', '-o', 'table']);
    expect(byObject).toContain('inv\\u202e_1');

    const history = await shown(['history', lead.id, '--profile', 'crm', '-o', 'table']);
    expect(history).toMatch(/2 versions/);
    expect(history).toContain('data.note');
    // JSON escapes C0 itself (\u001b); DEL, C1 and bidi controls are escaped by the sanitiser.
    expect(history).toContain('"ok\\u001b]0;PWNED\\u0007\\u001b[2J\\u009b2J\\u0007\\b\\b\\b\\b\\x7f\\rforged\\u202ediap\\u2068x\\u2069"');
    expect(history).toContain('data.k\\u202eey');
    expect(history).toContain(UNICODE);
    const bidiHistory = await shown(['history', bidiId.id, '--profile', 'billing', '-o', 'table']);
    expect(bidiHistory).toContain('evt_\\u202egpj.exe');

    await shown(['status']);

    // An error that quotes what it was given: one line, escaped.
    const missing = await runEvents(['get', `evt_${SET_TITLE}nope`, '--offline', '--profile', 'billing'], env);
    expect(missing.code).toBe(3);
    expect(unsafeIn(missing.stderr)).toEqual([]);
    expect(missing.stderr).toContain('evt_\\x1b]0;PWNED\\x07nope');

    // JSON is for programs: the provider's text, exact, controls (JSON-escaped) and all.
    const json = await runEvents(['list', '--offline', '--profile', 'billing', '--all', '--json'], env);
    const events = JSON.parse(json.stdout) as BlueaiEvent[];
    expect(events.find((e) => e.id === title.id)).toEqual(title);
    expect(events.find((e) => e.id === bidiId.id)).toEqual(bidiId);
    expect(json.stdout).toContain(RLO);
    // Some twenty runs of the binary: more than the default 30 s on a busy machine.
  }, 120_000);

  it('bem and Seam: the same tables show escapes, never the controls', async () => {
    const bem = await startFakeBem();
    const seam = await startFakeSeam();
    const home = await engineHome(engine);
    cleanups.push(() => bem.close(), () => seam.close(), () => home.cleanup());
    const now = Date.now();
    bem.addHistory(5, { end: now - 60_000 });
    const fn = { ...bemEvent(300, now - 5_000, { type: `transform${SET_TITLE}` }), functionName: HOSTILE_VALUE, transformedContent: { note: HOSTILE_VALUE } };
    bem.add(fn);
    seam.add(...seamHistory(5, (now - 60_000) * 1000));
    const device = seamEvent(400, (now - 4_000) * 1000, { event_type: `device.renamed${C1_CLEAR}`, device_id: `dev${RLO}_1`, event_description: HOSTILE_VALUE });
    seam.add(device);

    const env = { EVENTS_DB: home.db, EVENTS_CONFIG_DIR: home.configDir, BK: bem.apiKey, SK: seam.apiKey, NO_COLOR: '1' };
    for (const [name, provider, url, key] of [['fns', 'bem', bem.url, 'BK'], ['locks', 'seam', seam.url, 'SK']] as const) {
      const added = await runEvents(['profile', 'add', name, '--provider', provider, '--base-url', url, '--api-key-env', key], env);
      expect(added.code, added.stderr).toBe(0);
      const synced = await runEvents(['sync', '--profile', name], env);
      expect(synced.code, synced.stderr).toBe(0);
    }
    const shown = async (args: string[]) => {
      const r = await runEvents(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(unsafeIn(r.stdout), `${args.join(' ')} stdout:\n${r.stdout}`).toEqual([]);
      expect(unsafeIn(r.stderr), `${args.join(' ')} stderr:\n${r.stderr}`).toEqual([]);
      return r.stdout;
    };
    const list = await shown(['list', '--offline', '--all-profiles', '--all', '-o', 'table']);
    expect(list).toContain('transform\\x1b]0;PWNED');
    expect(list).toContain('device.renamed\\u009b2J');
    expect(list).toContain(fn.eventID);
    expect(list).toContain(device.event_id);
    const stats = await shown(['stats', '--all-profiles', '--by', 'type', '-o', 'table']);
    expect(stats).toContain('transform\\x1b]0;PWNED\\x07');
    expect(stats).toContain('device.renamed\\u009b2J');
    const history = await shown(['history', device.event_id, '--profile', 'locks', '-o', 'table']);
    expect(history).toContain(device.event_id);
    const got = await shown(['get', fn.eventID, '--offline', '--profile', 'fns', '-o', 'table']);
    expect(got).toContain('"note": "ok\\u001b]0;PWNED');
    await shown(['status']);
  }, 120_000);
});
