/**
 * Shared by the *.docker.test.ts files: is there a Docker engine, must there be one (CI,
 * WS_TEST_REQUIRE_DOCKER: then the tests fail instead of skipping), cleanup by label, and the
 * extra CA file image builds need behind a TLS-intercepting proxy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';

export const dockerRequired = Boolean(process.env.CI || process.env.WS_TEST_REQUIRE_DOCKER);

function probe(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export const dockerAvailable = probe();

/** describe() when an engine is there or required (then a missing engine fails the tests), else describe.skip. */
export const describeDocker = dockerAvailable || dockerRequired ? describe : describe.skip;

export function assertEngine(): void {
  if (!dockerAvailable) throw new Error('these tests need a running Docker engine (CI / WS_TEST_REQUIRE_DOCKER is set, so they fail instead of skipping): start dockerd');
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function dockerQuiet(...args: string[]): void {
  try {
    execFileSync('docker', args, { stdio: 'ignore' });
  } catch {
    // cleanup of something that may not exist
  }
}

/** Removes every container, network, volume and image labelled ws.workspace=<workspace>. */
export function cleanupWorkspace(workspace: string): void {
  const filter = `label=ws.workspace=${workspace}`;
  const ids = (kind: string[]) => {
    try {
      return docker(...kind, '--filter', filter).split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const containers = ids(['ps', '-aq']);
  if (containers.length) dockerQuiet('rm', '-f', ...containers);
  const networks = ids(['network', 'ls', '-q']);
  if (networks.length) dockerQuiet('network', 'rm', ...networks);
  const volumes = ids(['volume', 'ls', '-q']);
  if (volumes.length) dockerQuiet('volume', 'rm', ...volumes);
  const images = ids(['image', 'ls', '-q']);
  if (images.length) dockerQuiet('image', 'rm', '-f', ...new Set(images));
}

/**
 * The CA bundle npm must trust inside `docker build`: WS_BUILD_CA_FILE, else the certificates this
 * machine added to its trust store (/usr/local/share/ca-certificates), else none.
 */
export function buildCaFile(): string | undefined {
  if (process.env.WS_BUILD_CA_FILE) return process.env.WS_BUILD_CA_FILE;
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return undefined;
  const certs = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.crt'));
  if (certs.length === 0) return undefined;
  const file = join(tmpdir(), 'ws-test-build-ca.pem');
  writeFileSync(file, certs.map((f) => readFileSync(join(dir, f), 'utf8').trim()).join('\n') + '\n');
  return file;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
