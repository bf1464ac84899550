// The second half of `npm run build`: bundles the CLI that tsc compiled into dist/ into one
// CommonJS file, dist/events.cjs, which bin/events.js runs with a V8 code cache, and saves the
// root help as dist/help.txt, which bin/events.js prints without loading the CLI.
//
// Why: on Node 20, `events list --offline` loaded 51 ES modules, and the ESM loader's resolving,
// reading and compiling of each one was most of its start-up (167 ms against 41 ms for bare node).
// One file needs one read, and a CommonJS script can be compiled with `vm.Script`'s cachedData,
// which Node 20 offers for nothing else (`module.enableCompileCache` arrived in 22.1).
//
// Left out of the bundle, and loaded from node_modules when a command needs them: the packages
// only some commands use (pg, undici, conf), so the file every command reads stays small.
// better-sqlite3's JavaScript is bundled (loading its nine modules cost 10 ms); its native addon
// is loaded from its package, found at run time. The Ink views (dist/ui/, with ink and react:
// ES modules with top-level await, which cannot be bundled into CommonJS) stay the ES modules
// tsc wrote, and the bundle imports them from there.
//
// `events mcp` alone needs the MCP SDK and zod: src/mcp/sdk.ts, the one module that imports them,
// is bundled on its own into dist/mcp-sdk.cjs, which the main bundle loads with import()
// (bin/events.js runs it with a code cache of its own), so no other command reads it. That bundle
// keeps only what the server runs (235 KB, from 787 KB): see the plugins it is built with.
//
// A sync's commits run on a worker thread (src/store/sqlite/writer.ts), whose entry is bundled on
// its own into dist/sqlite-writer.cjs: a plain CommonJS file that `new Worker(file)` runs, with
// better-sqlite3 inside it (its addon found as below) and nothing else from node_modules.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');

/** Imports of dist/ui/**: external, as paths relative to dist/events.cjs (the Ink views). */
const viewsStayModules = {
  name: 'views-stay-modules',
  setup(b) {
    b.onResolve({ filter: /\/ui\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!target.startsWith(path.join(DIST, 'ui') + path.sep)) return undefined;
      return { path: `./${path.relative(DIST, target).split(path.sep).join('/')}`, external: true };
    });
  },
};

/**
 * Two requires made lazy or direct:
 * - commander loads node:child_process at its top (4 ms) for executable subcommands, which this
 *   CLI has none of: it gets the module on first use instead.
 * - better-sqlite3 finds its addon through the `bindings` package, which reads the caller's file
 *   name from a stack trace (wrong once bundled) and searches a dozen paths: here it loads the
 *   addon from where npm put the package.
 */
const lazyRequires = {
  name: 'lazy-requires',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onResolve({ filter: /^bindings$/ }, (args) =>
      args.importer.includes(`${path.sep}better-sqlite3${path.sep}`) ? { path: 'bindings', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents:
        args.path === 'child_process'
          ? `let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require('node:child_process'))[key] });`
          : `const path = require('node:path');
             module.exports = (name) => require(path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', name));`,
      loader: 'js',
    }));
  },
};

/**
 * `import fs from 'node:fs'` in the CLI's modules, as an ES module that exports the built-in as
 * its default. esbuild would otherwise wrap each such import in __toESM, which copies every
 * property of the module onto a new object: for fs, 100 getters per importing file, 3 ms over the
 * CLI's modules. Only default imports are written so (a named import from these fails the build).
 */
const builtinsAsDefault = {
  name: 'builtins-as-default',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|os|vm|v8|net|http)$/ }, (args) =>
      args.kind === 'import-statement' && args.importer.startsWith(DIST + path.sep) ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `export default require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** Each file bundled on its own: the main bundle imports it from dist/, by the name it is given here. */
const SEPARATE = { [path.join(DIST, 'mcp', 'sdk.js')]: './mcp-sdk.cjs' };

/** Imports of the SEPARATE files: external, as their bundles' paths relative to dist/events.cjs. */
const separateBundles = {
  name: 'separate-bundles',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const target = SEPARATE[path.resolve(args.resolveDir, args.path)];
      if (target === undefined) return undefined;
      if (args.kind !== 'dynamic-import') throw new Error(`bundle: ${args.path} is imported statically by ${args.importer}: import() it, so it loads only when used`);
      return { path: target, external: true };
    });
  },
};

/**
 * The SDK's server builds an ajv instance (with its formats) at start-up, for one use: checking
 * what a client answers to an elicitation, which `events mcp` never asks for. ajv's 280 KB would be
 * most of the bundle's start-up after zod's, so src/mcp/server.ts hands the server a validator of
 * its own and the SDK's ajv provider is left out: it throws if it is ever constructed.
 */
const withoutAjv = {
  name: 'without-ajv',
  setup(b) {
    b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`) ? { path: 'ajv-provider', namespace: 'without-ajv' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'without-ajv' }, () => ({
      contents: `export class AjvJsonSchemaValidator { constructor() { throw new Error('events: ajv is not bundled; pass jsonSchemaValidator'); } }`,
      loader: 'js',
    }));
  },
};

/**
 * The SDK takes tool shapes of zod 3 as well as zod 4, with zod 3's runtime and a JSON Schema
 * converter for it (100 KB bundled); the tools' shapes are zod 4 (src/mcp/sdk.ts), so both are
 * left out: what stands in for them throws if ever called.
 */
const withoutZod3 = {
  name: 'without-zod3',
  setup(b) {
    b.onResolve({ filter: /^(zod\/v3|zod-to-json-schema)$/ }, (args) =>
      args.importer.includes(`${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`) ? { path: args.path, namespace: 'without-zod3' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'without-zod3' }, (args) => ({
      contents: `export function ${args.path === 'zod/v3' ? 'object' : 'zodToJsonSchema'}() { throw new Error('events: zod 3 is not bundled; build the shape with zod 4'); }`,
      loader: 'js',
    }));
  },
};

/**
 * The SDK's types.js builds every schema of the protocol at load, some 600 zod objects: most of
 * what `events mcp` spent before it could answer `initialize`, and the garbage collections they
 * caused. Half of them are for what a client asks of a server, or the server of a client, that
 * this server never reads; esbuild leaves out an unused one only if building it cannot have side
 * effects, which it cannot tell of a call. So each top-level `const ...Schema = <expression>;`
 * becomes a call, marked @__PURE__, of an arrow function returning the expression: the same value
 * built at the same point, which esbuild may drop when nothing uses it. Statements start at the line's first column in
 * tsc's output (a line there opening with a bracket closes an expression).
 */
const sdkSchemasDroppable = {
  name: 'sdk-schemas-droppable',
  setup(b) {
    b.onLoad({ filter: /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]types\.js$/ }, (args) => {
      let wrapped = 0;
      const statements = fs.readFileSync(args.path, 'utf8').split(/\n(?=[A-Za-z/])/);
      const contents = statements
        .map((statement) => {
          const m = /^((?:export )?const \w+Schema = )([\s\S]*);\s*$/.exec(statement);
          if (!m) return statement;
          wrapped += 1;
          return `${m[1]}/* @__PURE__ */ (() => (${m[2]}))();`;
        })
        .join('\n');
      // Far fewer would mean the file's layout changed and this saves nothing: look again.
      if (wrapped < 100) throw new Error(`bundle: found ${wrapped} schemas in ${args.path}, expected over 100`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The body of the function bin/events.js calls (a CommonJS module's wrapper plus `importModule`),
 * written here so the bin compiles the file as read, with no copy of it joined to a wrapper at
 * every start.
 */
const WRAPPER = { banner: { js: '(function (exports, require, module, __filename, __dirname, importModule) {' }, footer: { js: '})' } };

const result = await build({
  entryPoints: [path.join(DIST, 'cli', 'main.js')],
  outfile: path.join(DIST, 'events.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['pg', 'undici', 'conf', 'ink', 'react', 'better-sqlite3/package.json'],
  plugins: [viewsStayModules, separateBundles, lazyRequires, builtinsAsDefault],
  // A CommonJS file has no import.meta: what reads it (src/store/sqlite/writer.ts) sees undefined
  // and takes __dirname, which bin/events.js sets to dist/.
  define: { 'import.meta.url': 'undefined' },
  logLevel: 'warning',
  legalComments: 'none',
  // Whitespace and syntax only, so stack traces (-v) keep the functions' names: the 530 KB file
  // becomes 360 KB, which is 5 ms less to read on every start.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  write: false,
  ...WRAPPER,
});

// Every import() left in the bundle (one of a package or view kept outside it) is renamed to
// `importModule(`, which bin/events.js passes in: Node 20 does not run import() inside a
// vm.Script without an experimental flag. The count is checked against esbuild's own list.
const [output] = result.outputFiles;
const dynamic = Object.values(result.metafile.outputs)[0].imports.filter((i) => i.kind === 'dynamic-import' && i.external);
let renamed = 0;
const code = output.text.replace(/\bimport\((?=")/g, () => {
  renamed += 1;
  return 'importModule(';
});
if (renamed !== dynamic.length) throw new Error(`bundle: renamed ${renamed} import() calls, esbuild lists ${dynamic.length}`);
// bin/events.js reads the file as latin1, which is 2 ms quicker than decoding UTF-8: so it must be
// ASCII. esbuild escapes everything else, except in String.raw templates, whose text it keeps.
const checkAscii = (text, file) => {
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) throw new Error(`bundle: a non-ASCII character in ${file} (${JSON.stringify(text.slice(wide.index - 60, wide.index + 1))}): write it as ASCII in the source`);
};
checkAscii(code, 'events.cjs');
fs.writeFileSync(output.path, code);

// The separate bundles: the packages they import are inside them (none is loaded from
// node_modules at run time), and they are read as the main one is, so ASCII too.
for (const [entry, name] of Object.entries(SEPARATE)) {
  const separate = await build({
    entryPoints: [entry],
    outfile: path.join(DIST, name),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [withoutAjv, withoutZod3, sdkSchemasDroppable],
    write: false,
    ...WRAPPER,
  });
  const [file] = separate.outputFiles;
  if (/\bimport\(/.test(file.text)) throw new Error(`bundle: ${name} has an import() call, which bin/events.js cannot run there`);
  checkAscii(file.text, name);
  fs.writeFileSync(file.path, file.text);
}

// The writer thread's entry, which Node loads as any CommonJS file (no wrapper, no code cache: the
// thread starts once per sync, beside the fetching, and its 100 KB compile in a few ms).
const writer = await build({
  entryPoints: [path.join(DIST, 'store', 'sqlite', 'writer-thread.js')],
  outfile: path.join(DIST, 'sqlite-writer.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3/package.json'],
  plugins: [lazyRequires],
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  write: false,
});
for (const file of writer.outputFiles) {
  // Built-ins only (better-sqlite3 names fs, path and util without node:).
  if (/\brequire\("(?!node:|fs"|path"|util")/.test(file.text)) throw new Error('bundle: sqlite-writer.cjs requires a package at run time: bundle it');
  fs.writeFileSync(file.path, file.text);
}

/** Removes code caches (bin/events.js names each for its bundle's build time). */
const removeCaches = () => {
  for (const name of fs.readdirSync(DIST)) if (/^[\w-]+\.cjs\..*cache$/.test(name)) fs.rmSync(path.join(DIST, name), { force: true });
};
removeCaches();

// The root help, as the CLI prints it in a pipe, for bin/events.js to print without loading the
// CLI (test/e2e/help.test.ts holds the two equal). The run that makes it leaves no cache behind.
const help = path.join(DIST, 'help.txt');
fs.rmSync(help, { force: true });
const text = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'events.js'), '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
removeCaches();
fs.writeFileSync(help, text);
