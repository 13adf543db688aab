/**
 * A throw-away copy of the example workspace (workspace/ and db/ copied; infra/, cli/, app/ and
 * node_modules linked) so tests can edit settings, tables and migrations without touching the repo.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

export interface TempWorkspace {
  readonly root: string;
  write(relativePath: string, content: string): void;
  remove(): void;
}

/** `migrations: false` starts with an empty db/migrations. */
export function makeTempWorkspace(options: { migrations?: boolean } = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ws-workspace-'));
  for (const dir of ['workspace', 'db']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true, filter: (src) => !src.includes(`${join('workspace', 'secrets')}`) });
  if (options.migrations === false) {
    rmSync(join(root, 'db', 'migrations'), { recursive: true });
    mkdirSync(join(root, 'db', 'migrations'));
  }
  for (const link of ['infra', 'cli', 'node_modules', 'package.json']) symlinkSync(join(REPO_ROOT, link), join(root, link));
  return {
    root,
    write: (relativePath, content) => writeFileSync(join(root, relativePath), content),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
