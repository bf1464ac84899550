#!/usr/bin/env node
// Runs the CLI bundled into dist/events.cjs (npm install builds it through `prepare`; see
// scripts/bundle.mjs), compiled with a V8 code cache kept beside it: on Node 20 this is what
// makes start-up short, since loading and compiling the CLI's modules was most of what a quick
// command cost. This file is CommonJS (bin/package.json says so; the path stays the one npm
// linked before) because an ES-module entry alone costs Node 20 about 6 ms.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');

// Node 22.1 and later also cache what the bundle loads later (the Ink views, pg, undici): their
// compile cache lives in the system's temp dir. Older Nodes have none and go without, and do not
// load node:module for it (0.6 ms).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 1)) require('node:module').enableCompileCache();

const dist = path.join(__dirname, '..', 'dist');

// `events`, `events --help` and `events -h` print the root help that the build saved
// (scripts/bundle.mjs ran the CLI for it): commander prints that same text in any pipe and in any
// terminal 80 columns or wider (src/cli/program.ts, HELP_COLUMNS), so the CLI need not load.
const args = process.argv.slice(2);
if ((args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h'))) && printSavedHelp()) return;

/** Whether stdout is a terminal; a pipe or a file is never asked, since loading tty costs 4 ms. */
function onTerminal() {
  try {
    return fs.fstatSync(1).isCharacterDevice() && require('node:tty').isatty(1);
  } catch {
    return false;
  }
}

function printSavedHelp() {
  if (onTerminal() && process.stdout.columns < 80) return false;
  let help;
  try {
    help = fs.readFileSync(path.join(dist, 'help.txt'));
  } catch {
    return false; // not built yet: the CLI prints it
  }
  try {
    // Straight to the descriptor: setting up process.stdout would cost more than the rest.
    for (let done = 0; done < help.length; ) done += fs.writeSync(1, help, done);
  } catch (err) {
    if (err.code !== 'EPIPE') throw err; // a reader that closed early (`events --help | head -1`)
  }
  return true;
}

// The cache is named for the bundle's build time: V8 checks a cache against the length of its
// source only, and a cache of another build must never be taken for this one's.
const filename = path.join(dist, 'events.cjs');
let built;
try {
  built = fs.statSync(filename);
} catch {
  process.stderr.write(`error: ${filename} is missing: build it with \`npm install\` or \`npm run build\`\n`);
  process.exit(1);
}

/**
 * Runs a bundle of dist/ (the build made each one a function: a CommonJS module's wrapper, plus
 * `importModule`) compiled with its code cache, and returns its exports. The bundle's import()
 * calls (of the Ink views beside it, ./ui/..., of ES-module packages, and of the separate bundles
 * such as ./mcp-sdk.cjs) were renamed to `importModule` by the build, because Node 20 runs
 * import() in a vm.Script only behind --experimental-vm-modules, and loses its callback when the
 * script comes from a code cache. Here, in an ordinary module, import() just works. The build
 * made each file ASCII, so latin1 reads it as UTF-8 would, 2 ms sooner.
 */
function runBundle(file, stats = fs.statSync(file)) {
  const cacheFile = `${file}.${Math.trunc(stats.mtimeMs)}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet: this run writes it
  }
  const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
  const bundle = { exports: {} };
  // This file's own require: it finds packages as one in dist/ would (both look in the package's
  // node_modules and above), and needs no node:module to make.
  script.runInThisContext()(bundle.exports, require, bundle, file, dist, importModule);
  if (cachedData === undefined || script.cachedDataRejected) {
    // Taken as the process ends, so it holds the functions this command compiled as well as the
    // bundle's top level. Best effort, written whole or not at all: a read-only install runs without.
    // (`sync` changes V8's flags, which a later run would see as a mismatch and rewrite once.)
    process.on('exit', () => {
      const temporary = `${cacheFile}.${process.pid}`;
      try {
        fs.writeFileSync(temporary, script.createCachedData());
        fs.renameSync(temporary, cacheFile);
      } catch {
        fs.rmSync(temporary, { force: true });
      }
    });
  }
  return bundle.exports;
}

function importModule(specifier) {
  if (specifier.endsWith('.cjs')) return Promise.resolve().then(() => runBundle(path.join(dist, specifier)));
  return import(specifier.startsWith('.') ? pathToFileURL(path.join(dist, specifier)).href : specifier);
}

runBundle(filename, built).main();
