#!/usr/bin/env node
// Docker benchmarks (a script, never a timed test), measured in the same run:
//   1. `ws up --env dev -y` with everything already running, against one `docker ps`
//      (target: <= 4x), with where the time goes (node boot, plan, docker inspect);
//   2. the start-up the container entrypoint adds with MIGRATE_DB=true and nothing pending
//      (target: <= 300 ms): `entrypoint.sh true` against `true`, both via `docker exec` in the app container.
// Uses the dev workspace with the WS_* overrides of the environment (defaults: the offline images
// local/postgres:15 and local/node:20, ports 55432 / 58000). Brings the env up first if needed.
//   npm run build && node bench/up-noop.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const ws = join(root, 'bin/ws.js');

function caFile() {
  if (process.env.WS_BUILD_CA_FILE) return process.env.WS_BUILD_CA_FILE;
  const dir = '/usr/local/share/ca-certificates';
  const certs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.crt')) : [];
  if (!certs.length) return undefined;
  const file = join(tmpdir(), 'ws-bench-build-ca.pem');
  writeFileSync(file, certs.map((f) => readFileSync(join(dir, f), 'utf8').trim()).join('\n') + '\n');
  return file;
}

const env = {
  ...process.env,
  WS_DEV_DB_IMAGE: process.env.WS_DEV_DB_IMAGE ?? 'local/postgres:15',
  WS_NODE_IMAGE: process.env.WS_NODE_IMAGE ?? 'local/node:20',
  WS_DEV_DB_PORT: process.env.WS_DEV_DB_PORT ?? '55432',
  WS_DEV_API_PORT: process.env.WS_DEV_API_PORT ?? '58000',
  ...(caFile() ? { WS_BUILD_CA_FILE: caFile() } : {}),
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function run(file, args, extraEnv = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}
/** Alternates the commands run by run (so drift in machine load hits all alike); medians after 2 warm-ups. */
function compare(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach(([file, args, extra], j) => {
      const { ms } = run(file, args, extra);
      if (i >= 2) samples[j].push(ms);
    });
  }
  return samples.map(median);
}

console.error('bringing the dev env up (builds the image the first time) ...');
// until a run changes nothing (sources edited meanwhile mean a rebuild first)
for (let attempt = 1; ; attempt++) {
  const r = run(process.execPath, [ws, 'up', '--env', 'dev', '-y']);
  if (/No changes/.test(r.stdout)) break;
  if (attempt === 5) throw new Error(`ws up is still not a no-op after ${attempt} runs:\n${r.stdout}`);
}

const api = JSON.parse(run(process.execPath, [ws, 'config', '--env', 'dev', '--json']).stdout).name + '-api';
const [dockerPs, up, nodeBoot, dockerInspect] = compare([
  ['docker', ['ps']],
  [process.execPath, [ws, 'up', '--env', 'dev', '-y']],
  [process.execPath, ['-e', '0']],
  ['docker', ['inspect', api]],
]);

// the entrypoint inside the running app container: its env already has MIGRATE_DB/WAIT_FOR_DB/DB_*
const [bare, entry] = compare([
  ['docker', ['exec', api, 'true']],
  ['docker', ['exec', '-e', 'MIGRATE_DB=true', '-e', 'WAIT_FOR_DB=true', api, '/app/bin/entrypoint.sh', 'true']],
]);
const [bareNode] = compare([['docker', ['exec', api, 'node', '-e', '0']]]);

const row = (name, ms, base) => `| ${name} | ${ms.toFixed(1)} | ${base ? (ms / base).toFixed(2) : '-'} |`;
console.log(`ws up no-op vs docker ps, median of ${runs} runs, node ${process.version}`);
console.log('| command | median ms | × docker ps |');
console.log('|---|---:|---:|');
console.log(row('docker ps (baseline)', dockerPs, dockerPs));
console.log(row('ws up --env dev -y (everything running)', up, dockerPs));
console.log(row('  of which: node -e 0 (process boot)', nodeBoot, dockerPs));
console.log(row('  of which: one docker inspect', dockerInspect, dockerPs));
console.log('');
console.log(`entrypoint start-up with MIGRATE_DB=true and nothing pending (in ${api}), median of ${runs} runs`);
console.log('| command | median ms |');
console.log('|---|---:|');
console.log(`| docker exec ${api} true (baseline) | ${bare.toFixed(1)} |`);
console.log(`| docker exec ${api} entrypoint.sh true | ${entry.toFixed(1)} |`);
console.log(`| added by the entrypoint | ${(entry - bare).toFixed(1)} |`);
console.log(`|   of which a node boot in the container (node -e 0) | ${(bareNode - bare).toFixed(1)} |`);
