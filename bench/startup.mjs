#!/usr/bin/env node
// Start-up benchmark: `ws --help` and `ws db status` (nothing pending) against `node -e 0`,
// measured in the same run; prints medians and ratios, and which heavy modules each command loaded.
//   DATABASE_URL=postgres://... node bench/startup.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const ws = join(root, 'bin/ws.js');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(args, env = {}) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) samples.push(ms); // two warm-up runs
  }
  return median(samples);
}
function loaded(args) {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-'));
  const file = join(dir, 'imports');
  spawnSync(process.execPath, ['--import', join(root, 'bench/record-imports.mjs'), ...args], { cwd: root, env: { ...process.env, WS_RECORD_IMPORTS: file }, stdio: 'ignore' });
  let urls = [];
  try {
    urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {}
  rmSync(dir, { recursive: true, force: true });
  const heavy = ['@aws-sdk', 'kysely', 'pg', 'jiti'].filter((m) => urls.some((u) => u.includes(`/node_modules/${m}/`)));
  return heavy.length ? heavy.join(', ') : '(none)';
}

if (!process.env.DATABASE_URL) {
  console.error('set DATABASE_URL to a Postgres database (the bench migrates it first)');
  process.exit(2);
}
execFileSync(process.execPath, [ws, 'db', 'migrate'], { cwd: root, stdio: 'ignore' });

const baseline = time(['-e', '0']);
const help = time([ws, '--help']);
const status = time([ws, 'db', 'status']);
const rows = [
  ['node -e 0 (baseline)', baseline, 1, '-'],
  ['ws --help', help, help / baseline, loaded([ws, '--help'])],
  ['ws db status (nothing pending)', status, status / baseline, loaded([ws, 'db', 'status'])],
];
console.log(`startup, median of ${runs} runs, node ${process.version}`);
console.log('| command | median ms | × node -e 0 | heavy modules loaded |');
console.log('|---|---:|---:|---|');
for (const [name, ms, ratio, mods] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${ratio.toFixed(2)} | ${mods} |`);
