// Where the tool keeps its files: the profiles file (config dir) and the mirror (data dir).
// Computed here, without loading `conf`, so reading a profile costs no start-up time.
import path from 'node:path';

// Loaded when first asked: a command given EVENTS_CONFIG_DIR and EVENTS_DB never needs it (0.5 ms).
const homedir = () => (process.getBuiltinModule('node:os') as typeof import('node:os')).homedir();

type Env = Record<string, string | undefined>;

/** The directory of the profiles file: $EVENTS_CONFIG_DIR, else the user's config dir. */
export function configDir(env: Env): string {
  if (env.EVENTS_CONFIG_DIR) return path.resolve(env.EVENTS_CONFIG_DIR);
  const home = homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'events');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'events', 'Config');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'events');
}

/** The profiles file itself. */
export function configFile(env: Env): string {
  return path.join(configDir(env), 'config.json');
}

/** The default mirror: a file in the user's data dir. */
export function defaultMirror(env: Env): string {
  const home = homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'events', 'events.db');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'events', 'Data', 'events.db');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'events', 'events.db');
}
