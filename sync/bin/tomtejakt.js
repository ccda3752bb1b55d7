#!/usr/bin/env node
// The compiled CLI (npm install runs the build through the root "prepare" script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
