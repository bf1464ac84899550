// zod's settings for `events mcp`, imported by sdk.ts before the SDK so that they hold when the
// SDK builds its protocol schemas. jitless: zod would otherwise write and compile a parser for
// each object schema on its first parse (new Function), which pays off over thousands of parses;
// a server reads a few messages of each kind, and the first one, `initialize`, came 10 ms later.
import { config } from 'zod';

config({ jitless: true });
