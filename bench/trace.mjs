// `node --import ./bench/trace.mjs bin/events.js …` records which modules a command loads.
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
