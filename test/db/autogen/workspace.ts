/**
 * A throwaway copy of the workspace for autogenerate tests: db/tables and db/migrations are copied
 * (tests rewrite them), the rest is linked to the repository. Nothing is ever written into the repo.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli.js';

export interface AutogenWorkspace {
  readonly root: string;
  /** Replaces db/tables/index.ts. */
  writeTables(source: string): void;
  remove(): void;
}

export function makeAutogenWorkspace(options: { migrations?: boolean } = {}): AutogenWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ws-autogen-'));
  for (const dir of ['infra', 'cli', 'node_modules']) symlinkSync(join(REPO_ROOT, dir), join(root, dir));
  mkdirSync(join(root, 'workspace'));
  cpSync(join(REPO_ROOT, 'workspace', 'settings.ts'), join(root, 'workspace', 'settings.ts'));
  mkdirSync(join(root, 'db'));
  symlinkSync(join(REPO_ROOT, 'db', 'schema'), join(root, 'db', 'schema'));
  cpSync(join(REPO_ROOT, 'db', 'tables'), join(root, 'db', 'tables'), { recursive: true });
  cpSync(join(REPO_ROOT, 'db', 'types.ts'), join(root, 'db', 'types.ts'));
  if (options.migrations === false) mkdirSync(join(root, 'db', 'migrations'));
  else cpSync(join(REPO_ROOT, 'db', 'migrations'), join(root, 'db', 'migrations'), { recursive: true });
  return {
    root,
    writeTables: (source) => writeFileSync(join(root, 'db', 'tables', 'index.ts'), source),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
