// Usage: WS_RECORD_IMPORTS=/tmp/file node --import ./bench/record-imports.mjs bin/ws.js ...
// Appends every resolved ESM/CJS module URL to $WS_RECORD_IMPORTS (one per line).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.WS_RECORD_IMPORTS } });
