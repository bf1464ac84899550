// The results of deliveries on stdout: NDJSON in a pipe ({"id","type","to","status","attempts","ms"}
// and a few more fields), aligned lines on a terminal (sanitised, then coloured), failures in red.
import type { OutStream } from '../io.js';
import { paint } from '../output/color.js';
import { sanitize } from '../output/sanitize.js';
import type { DeliveryResult } from './deliver.js';

export interface ResultWriter {
  write(result: DeliveryResult): void;
  /** A --dry-run line: what would be sent (signatures masked). */
  preview(p: { id: string; type: string; profile: string; to: string; headers: Record<string, string>; body: string }): void;
}

export function resultWriter(out: OutStream, options: { table: boolean; color: boolean }): ResultWriter {
  let header = false;
  const head = () => {
    if (header) return;
    header = true;
    out.write(`${'STATUS'.padEnd(7)}${'TRIES'.padEnd(6)}${'MS'.padStart(6)}  ${'TYPE'.padEnd(24)}  ${'ID'.padEnd(28)}  TO\n`);
  };
  return {
    write(r) {
      if (!options.table) return void out.write(`${JSON.stringify(r)}\n`);
      head();
      const status = paint(String(r.status ?? 'error').padEnd(7), r.ok ? 32 : 31, options.color);
      const error = r.error ? `  ${paint(sanitize(r.error), 31, options.color)}` : '';
      out.write(`${status}${String(r.attempts).padEnd(6)}${String(r.ms).padStart(6)}  ${sanitize(r.type).padEnd(24)}  ${sanitize(r.id).padEnd(28)}  ${sanitize(r.to)}${error}\n`);
    },
    preview(p) {
      const headers = maskSignatures(p.headers);
      if (!options.table) return void out.write(`${JSON.stringify({ id: p.id, type: p.type, profile: p.profile, to: p.to, dryRun: true, headers, body: p.body })}\n`);
      const lines = [`POST ${p.to}  (${p.type} ${p.id})`, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`), `  ${p.body}`];
      out.write(`${sanitize(lines.join('\n'))}\n\n`);
    },
  };
}

/** Signature values are masked in a dry run: printed, they could be replayed at once. */
export function maskSignatures(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = /signature|sig-hash/i.test(k) ? v.replace(/(v1[,=])[A-Za-z0-9+/=]+/g, '$1****').replace(/^[0-9a-f]{64}$/, '****') : v;
  return out;
}
