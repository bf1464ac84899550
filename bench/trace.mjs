// `node --import ./bench/trace.mjs bin/events.js …` records what a command loads, one file or URL
// a line, into $EVENTS_BENCH_TRACE: ES modules (through the hooks in trace-hooks.mjs), CommonJS
// modules and native addons (Module._load), and the bundle bin/events.js compiles (vm.Script).
// Written synchronously, since the CLI ends with process.exit.
import fs from 'node:fs';
import Module, { register } from 'node:module';
import vm from 'node:vm';

register('./trace-hooks.mjs', import.meta.url);

const seen = new Set();
const record = (what) => {
  if (seen.has(what)) return;
  seen.add(what);
  fs.appendFileSync(process.env.EVENTS_BENCH_TRACE, `${what}\n`);
};

const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    record(Module._resolveFilename(request, parent, isMain));
  } catch {
    // let the real load report it
  }
  return load.apply(this, arguments);
};

const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    if (options?.filename) record(options.filename);
    super(code, options);
  }
};
