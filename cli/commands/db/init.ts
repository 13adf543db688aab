import { displayPath } from '../../output.js';
import { findWorkspaceRoot } from '../../../infra/load-settings.js';
import { initMigrations } from '../../../db/revision.js';

export async function runInit(): Promise<void> {
  const root = findWorkspaceRoot();
  const created = await initMigrations(root);
  if (created.length === 0) process.stdout.write('already initialised: db/migrations and db/tables/index.ts exist\n');
  for (const path of created) process.stdout.write(`created ${displayPath(path)}\n`);
}
