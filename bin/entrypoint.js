#!/usr/bin/env node
// Start-up work of the container (bin/entrypoint.sh runs it before exec'ing the command).
import { main } from '../dist/app/entrypoint.js';

process.exitCode = await main(process.env);
