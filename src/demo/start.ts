// The demo's first start, kept beside the profiles (demo.json in the config dir): the demo's
// history ends there and its live events count from there, so a restarted demo serves each event
// at the time it first gave it.
import fs from 'node:fs';
import path from 'node:path';
import { configDir } from '../config/paths.js';

type Env = Record<string, string | undefined>;

/** The time the demo first started with this config dir; `now` (saved) the first time. */
export function demoStart(env: Env, now: number): number {
  const file = path.join(configDir(env), 'demo.json');
  try {
    const saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as { start?: unknown }).start;
    const start = typeof saved === 'string' ? Date.parse(saved) : NaN;
    // Kept even if this machine's clock now reads earlier: a new start would re-date every event.
    if (Number.isFinite(start)) return start;
  } catch {
    // none yet, or unreadable: this start is the first
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify({ start: new Date(now).toISOString() })}\n`);
  fs.renameSync(temporary, file);
  return now;
}
