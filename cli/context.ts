/** What a command's implementation receives: the loaded workspace and the output channels. */
import { loadWorkspace, selectEnv, type LoadedWorkspace } from '../infra/load-settings.js';
import { createOutput, type Output } from './output.js';

export interface Context extends LoadedWorkspace {
  readonly out: Output;
  /** The selected env name (validated). */
  readonly env: string;
}

export async function loadContext(opts: { env?: string } = {}): Promise<Context> {
  const loaded = await loadWorkspace();
  return { ...loaded, out: createOutput(), env: selectEnv(loaded.settings, opts.env) };
}
