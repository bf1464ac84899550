// Where the tool keeps its files (src/config/paths.ts): $EVENTS_CONFIG_DIR, else the platform's
// config dir (XDG on Linux); the mirror in the data dir.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, configFile, defaultMirror } from '../../src/config/paths.js';

describe('config paths', () => {
  it('takes $EVENTS_CONFIG_DIR first, resolved against the working directory', () => {
    expect(configDir({ EVENTS_CONFIG_DIR: 'rel/dir', XDG_CONFIG_HOME: '/xdg' })).toBe(path.resolve('rel/dir'));
    expect(configFile({ EVENTS_CONFIG_DIR: '/etc/ev' })).toBe(path.resolve('/etc/ev', 'config.json'));
  });
});

// The suite runs on Linux (its tools come from Debian: scripts/test-prereqs.mjs).
describe.runIf(process.platform === 'linux')('config paths on Linux', () => {
  it('else $XDG_CONFIG_HOME/events, else ~/.config/events', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/events');
    expect(configDir({ XDG_CONFIG_HOME: '' })).toBe(path.join(os.homedir(), '.config', 'events'));
  });

  it('keeps the mirror in $XDG_DATA_HOME/events, else ~/.local/share/events', () => {
    expect(defaultMirror({ XDG_DATA_HOME: '/data' })).toBe('/data/events/events.db');
    expect(defaultMirror({})).toBe(path.join(os.homedir(), '.local', 'share', 'events', 'events.db'));
  });
});
