#!/usr/bin/env node
// The `ws` executable: parses nothing itself, hands argv to the compiled CLI.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
