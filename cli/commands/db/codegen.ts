/** `ws db codegen [--verify]`: db/types.ts from the migrated database (kysely-codegen). */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WsError } from '../../errors.js';

export async function runCodegen(opts: { env?: string; verify?: boolean }): Promise<void> {
  const { usingKysely } = await import('./check.js');
  const { generateTypes, TYPES_FILE } = await import('../../../db/autogen/codegen.js');
  const { loadDeclared, pendingMigrations } = await import('../../../db/autogen/workspace.js');
  await usingKysely(opts, async (db, ctx) => {
    const { fromKysely } = await import('../../../db/autogen/kysely-query.js');
    const pending = await pendingMigrations(fromKysely(db), ctx.settings.root);
    if (pending.length > 0) ctx.out.warn(`${pending.length} migration(s) pending: the types describe the database as it is, not as db/migrations will make it`);
    const { tables } = await loadDeclared(ctx.settings.root);
    const source = await generateTypes(db, tables);
    const file = join(ctx.settings.root, TYPES_FILE);
    const current = existsSync(file) ? await readFile(file, 'utf8') : null;
    if (opts.verify) {
      if (current === source) {
        ctx.out.result(`${TYPES_FILE} is current`);
        return;
      }
      ctx.out.result(current === null ? `${TYPES_FILE} is missing` : `${TYPES_FILE} is out of date:\n${firstDifference(current, source)}`);
      ctx.out.info('run: ws db codegen');
      process.exitCode = 1;
      return;
    }
    if (current === source) {
      ctx.out.result(`${TYPES_FILE} is already current`);
      return;
    }
    await writeFile(file, source).catch((error: unknown) => {
      throw new WsError(`write ${TYPES_FILE}: ${(error as Error).message}`, { cause: error });
    });
    ctx.out.result(`wrote ${TYPES_FILE} (${tables.length} table${tables.length === 1 ? '' : 's'})`);
  });
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `  line ${i + 1}:\n  - ${al[i] ?? '(end of file)'}\n  + ${bl[i] ?? '(end of file)'}`;
  }
  return '';
}
