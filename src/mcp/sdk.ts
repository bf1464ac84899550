// The SDK and zod, the one module of src/mcp that imports them as values. The build bundles this
// file alone into dist/mcp-sdk.cjs (scripts/bundle.mjs), loaded only by `events mcp`: the rest of
// src/mcp imports it with import() and uses zod through the `z` it hands over, so every other
// command's bundle carries none of it.
import './zod-setup.js';
import { array, boolean, enum as enumOf, number, object, record, string, unknown } from 'zod';

export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * The parts of zod the tools' shapes are built from (schemas.ts), and no more: zod's namespace as
 * a whole would bring its 40 locales and the parsers it has for JSON Schema, three fifths of the
 * bundle, which `events mcp` would read and compile at every start for nothing.
 */
export const z = { array, boolean, enum: enumOf, number, object, record, string, unknown };
