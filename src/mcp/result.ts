// What a tool returns: the data as structuredContent, and the same JSON as text for clients that
// read only text. Event content is third-party data: it travels only inside these data fields,
// never in a sentence of ours. Every result is bounded, and scrubbed of the profiles' secrets.
import { EventsError } from '../errors.js';
import type { Io } from '../io.js';

/** The most characters a result's JSON may take; tools trim to fit and say what they left out. */
export const RESULT_BUDGET = 200_000;

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** The size of a value as JSON text. */
export const sizeOf = (value: unknown): number => JSON.stringify(value)?.length ?? 0;

/**
 * The secrets no result may carry: every saved profile's API key and webhook secret, and those of
 * the environment, read again for each result (a profile may be added while the server runs). A
 * value shorter than 8 characters is too common a string to scrub.
 */
export class Secrets {
  constructor(private readonly io: Io) {}

  private async list(): Promise<string[]> {
    const found = [this.io.env.EVENTS_API_KEY, this.io.env.EVENTS_WEBHOOK_SECRET];
    try {
      const { readProfiles } = await import('../config/profiles.js');
      for (const p of Object.values(readProfiles(this.io.env).profiles)) found.push(p.apiKey, p.webhookSecret);
    } catch {
      // an unreadable config holds no secret we could leak: the tools report it themselves
    }
    return [...new Set(found.filter((v): v is string => typeof v === 'string' && v.length >= 8))];
  }

  /** `text` with every secret replaced by "****". */
  async scrub(text: string): Promise<string> {
    let out = text;
    for (const secret of await this.list()) if (out.includes(secret)) out = out.split(secret).join('****');
    return out;
  }
}

/** A successful result: `data`, and its JSON as text. */
export async function dataResult(data: Record<string, unknown>, secrets: Secrets): Promise<ToolResult> {
  const raw = JSON.stringify(data);
  const text = await secrets.scrub(raw);
  if (text.length > RESULT_BUDGET * 2) {
    throw new EventsError(`the answer is too large (${text.length.toLocaleString('en-US')} characters); ask a narrower question`);
  }
  return { content: [{ type: 'text', text }], structuredContent: text === raw ? data : (JSON.parse(text) as Record<string, unknown>) };
}

/** A failed call: the one line the CLI prints for the same failure, and isError. */
export async function errorResult(err: unknown, secrets: Secrets): Promise<ToolResult> {
  const code = (err as { code?: unknown } | null)?.code;
  const message =
    err instanceof EventsError
      ? err.message
      : code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
        ? `the mirror is locked by another process (${code}); try again when it is done`
        : `${err instanceof Error ? err.message : String(err)} (this is a bug in events)`;
  return { content: [{ type: 'text', text: await secrets.scrub(message) }], isError: true };
}

/** Runs a tool's body, turning any failure into an error result; the server stays up. */
export async function answer(secrets: Secrets, body: () => Promise<Record<string, unknown>>): Promise<ToolResult> {
  try {
    return await dataResult(await body(), secrets);
  } catch (err) {
    return errorResult(err, secrets);
  }
}
