#!/usr/bin/env node
// The built CLI lives in dist/ (npm install builds it through `prepare`).
import { main } from '../dist/cli/main.js';

main();
