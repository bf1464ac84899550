// The SDK and zod, the one module of src/mcp that imports them as values. The build bundles this
// file alone into dist/mcp-sdk.cjs (scripts/bundle.mjs), loaded only by `events mcp`: the rest of
// src/mcp imports it with import() and uses zod through the `z` it hands over, so every other
// command's bundle carries none of it.
export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { z } from 'zod';
