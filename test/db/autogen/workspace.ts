/** A throwaway copy of the workspace for autogenerate tests (test/helpers/workspace.ts), whose db/tables/index.ts they rewrite. */
import { makeTempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

export interface AutogenWorkspace extends TempWorkspace {
  /** Replaces db/tables/index.ts. */
  writeTables(source: string): void;
}

export function makeAutogenWorkspace(options: { migrations?: boolean } = {}): AutogenWorkspace {
  const tmp = makeTempWorkspace(options);
  return { ...tmp, writeTables: (source) => tmp.write('db/tables/index.ts', source) };
}
