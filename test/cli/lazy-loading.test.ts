import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, WS_BIN } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** Runs ws with the import recorder and returns every module URL it resolved. */
async function importsOf(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-imports-'));
  const file = join(dir, 'imports');
  try {
    const r = await execa('node', ['--import', join(REPO_ROOT, 'bench/record-imports.mjs'), WS_BIN, ...args], {
      cwd: REPO_ROOT,
      env: cleanEnv({ ...env, WS_RECORD_IMPORTS: file }),
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loads = (urls: string[], pkg: string) => urls.some((u) => u.includes(`/node_modules/${pkg}/`));

describe('lazy loading', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb?.drop());

  it('ws --help loads commander only: no AWS SDK, no kysely, no pg, no jiti', async () => {
    const urls = await importsOf(['--help']);
    expect(loads(urls, 'commander')).toBe(true);
    for (const pkg of ['@aws-sdk', 'kysely', 'pg', 'jiti']) expect(loads(urls, pkg), pkg).toBe(false);
  });

  it('a docker command (ws up --env dev --dry-run) never loads the AWS SDK', async () => {
    const urls = await importsOf(['up', '--env', 'dev', '--dry-run', '--json']);
    expect(urls.some((u) => u.includes('/dist/infra/docker/driver.js'))).toBe(true);
    expect(loads(urls, '@aws-sdk')).toBe(false);
  });

  it('ws db status for dev never loads the AWS SDK', async () => {
    const urls = await importsOf(['db', 'status'], { DATABASE_URL: tdb.url });
    expect(loads(urls, 'kysely')).toBe(true);
    expect(loads(urls, '@aws-sdk')).toBe(false);
  });
});
