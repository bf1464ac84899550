// Module hooks for the start-up check: every module the process resolves is appended to the file
// named by $EVENTS_BENCH_TRACE. Written synchronously, since the CLI ends with process.exit.
import fs from 'node:fs';

const seen = new Set();

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!seen.has(result.url)) {
    seen.add(result.url);
    fs.appendFileSync(process.env.EVENTS_BENCH_TRACE, `${result.url}\n`);
  }
  return result;
}
