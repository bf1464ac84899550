// libpq's password file (~/.pgpass, or $PGPASSFILE): lines of host:port:database:user:password,
// `*` matching anything, `\:` and `\\` escaping. pg's own reader is deprecated (gone in pg 9) and
// reads process.env, not the environment we were given, so this small reader replaces it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PassKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The file libpq would read for this environment. */
export function passFile(env: Record<string, string | undefined>): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  return path.join(env.HOME || os.homedir(), '.pgpass');
}

/**
 * The password of the first line that matches, or undefined (no file, no match, or a file that
 * group or others may read, which libpq ignores too).
 */
export function lookupPassword(file: string, key: PassKey): string | undefined {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) return undefined;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // A Unix-socket host is written as `localhost` in the file, as libpq matches it.
  const host = key.host.startsWith('/') ? 'localhost' : key.host;
  const wanted = [host, String(key.port), key.database, key.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitLine(line);
    if (fields.length < 5) continue;
    if (wanted.every((w, i) => fields[i] === '*' || fields[i] === w)) return fields.slice(4).join(':');
  }
  return undefined;
}

/** host:port:db:user:password with backslash escapes; the password keeps any further colons. */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':' && fields.length < 4) {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields;
}
