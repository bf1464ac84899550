// Imports point one way, down the layers of docs/architecture.md: a module may import from its own
// layer or any layer below it, never from one above. Every source file must belong to a layer, so a
// new folder has to be placed in this table before it can be imported from anywhere.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Top first. Each entry is a path under src/: a folder (ending in `/`) or a file without its extension. */
const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'entry', paths: ['cli/main', 'cli/run', 'cli/program', 'cli/commands-table'] },
  { name: 'mcp', paths: ['mcp/'] },
  { name: 'command line', paths: ['cli/'] },
  { name: 'follow, deliver, views', paths: ['tail/', 'deliver/', 'ui/', 'demo/'] },
  { name: 'sync', paths: ['sync/'] },
  { name: 'config', paths: ['config/'] },
  { name: 'output, io', paths: ['output/', 'io'] },
  { name: 'store', paths: ['store/'] },
  { name: 'providers, http', paths: ['providers/', 'http/'] },
  { name: 'base', paths: ['errors', 'memory', 'version', 'parse', 'config/paths'] },
];

/** The layer of a path under src/ (no extension): the longest matching entry wins, so a file can sit below its folder. */
function layerOf(path: string): number | undefined {
  let best: { layer: number; length: number } | undefined;
  LAYERS.forEach(({ paths }, layer) => {
    for (const p of paths) {
      const hit = p.endsWith('/') ? path.startsWith(p) : path === p;
      if (hit && (!best || p.length > best.length)) best = { layer, length: p.length };
    }
  });
  return best?.layer;
}

// Static imports, `export … from`, side-effect imports and dynamic import() of relative paths.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Relative imports of a source text, as paths under src/ without extension. */
function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => {
    const target = relative(SRC, resolve(dirname(join(SRC, file)), m[1]!));
    return target.split(sep).join('/').replace(/\.(js|jsx|ts|tsx)$/, '');
  });
}

/** Every import in `files` (path under src/ → source text) that points up a layer, as "file: import (layer → layer)". */
function upwardImports(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    const from = layerOf(file.replace(/\.tsx?$/, ''))!;
    for (const target of importsOf(file, text)) {
      const to = layerOf(target);
      if (to === undefined) found.push(`${file}: imports ${target}, which is in no layer`);
      else if (to < from) found.push(`${file}: imports ${target} (${LAYERS[from]!.name} → ${LAYERS[to]!.name})`);
    }
  }
  return found;
}

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name)) out.set(relative(SRC, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return out;
}

describe('layers', () => {
  const files = sources(SRC);

  it('places every source file in a layer', () => {
    const unplaced = [...files.keys()].filter((f) => layerOf(f.replace(/\.tsx?$/, '')) === undefined);
    expect(unplaced).toEqual([]);
  });

  it('has no import from a layer above', () => {
    expect(files.size).toBeGreaterThan(50);
    expect(upwardImports(files)).toEqual([]);
  });

  it('names the file and the import that points up, in every form the regex reads, and lets downward ones be', () => {
    const sample = new Map([
      ['output/write.ts', "import { writeDrained } from '../cli/io.js';"],
      ['store/open.ts', "export { x } from '../sync/engine.js';"],
      ['deliver/send.ts', "const { Session } = await import('../cli/session.js');"],
      ['io.ts', "import type { Store } from './store/contract.js';"],
      ['tail/print.ts', "import { sanitize } from '../output/sanitize.js';"],
      ['cli/commands/get.ts', "import '../../nowhere/thing.js';"],
    ]);
    expect(upwardImports(sample)).toEqual([
      'output/write.ts: imports cli/io (output, io → command line)',
      'store/open.ts: imports sync/engine (store → sync)',
      'deliver/send.ts: imports cli/session (follow, deliver, views → command line)',
      'cli/commands/get.ts: imports nowhere/thing, which is in no layer',
    ]);
  });
});
