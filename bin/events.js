#!/usr/bin/env node
// The built CLI lives in dist/ (npm install builds it through `prepare`).
import module from 'node:module';

// Node 22.1 and later keep the compiled code of dist/ and its packages between runs (in the
// system's temp dir), which cuts start-up; older Nodes have no such cache and go without. It must
// be switched on before anything else is imported, hence the dynamic import below.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
main();
