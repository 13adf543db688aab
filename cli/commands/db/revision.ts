import { displayPath } from '../../output.js';
import { findWorkspaceRoot } from '../../../infra/load-settings.js';
import { writeRevision } from '../../../db/revision.js';

export async function runRevision(opts: { message: string }): Promise<void> {
  const root = findWorkspaceRoot();
  const file = await writeRevision(root, opts.message);
  process.stdout.write(`created ${displayPath(file)}\n`);
}
