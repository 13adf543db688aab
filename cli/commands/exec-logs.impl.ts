import { UsageError } from '../errors.js';
import { varsForEnv } from '../../db/connection.js';
import { loadWorkspace } from '../../infra/load-settings.js';
import { validateFilter } from '../../infra/filter.js';
import { selectForCommand } from './resources.impl.js';

async function target(opts: { env?: string; name?: string }) {
  const loaded = await loadWorkspace();
  const filter = validateFilter({ env: opts.env }, loaded.settings);
  const { env, all } = await selectForCommand(loaded, filter);
  const ctx = { settings: loaded.settings, env, vars: varsForEnv(loaded, env) };
  return { ctx, resources: all, infra: loaded.settings.envs[env]!.infra };
}

export async function runExec(command: string[], opts: { env?: string; name?: string; tty?: boolean }): Promise<void> {
  if (command.length === 0) throw new UsageError('ws exec needs a command: ws exec -- CMD...');
  const { ctx, resources, infra } = await target(opts);
  const interactive = opts.tty !== false && Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const request = { ...(opts.name ? { name: opts.name } : {}), command, interactive };
  process.exitCode =
    infra === 'docker'
      ? await (await import('../../infra/docker/exec.js')).dockerExec(ctx, resources, request)
      : await (await import('../../infra/aws/exec.js')).awsExec(ctx, resources, request);
}

export async function runLogs(opts: { env?: string; name?: string; follow?: boolean; tail?: string }): Promise<void> {
  const tail = Number(opts.tail ?? '200');
  if (!Number.isInteger(tail) || tail < 0) throw new UsageError(`--tail ${opts.tail}: expected a whole number`);
  const { ctx, resources, infra } = await target(opts);
  const request = { ...(opts.name ? { name: opts.name } : {}), follow: Boolean(opts.follow), tail };
  process.exitCode =
    infra === 'docker'
      ? await (await import('../../infra/docker/exec.js')).dockerLogs(ctx, resources, request)
      : await (await import('../../infra/aws/exec.js')).awsLogs(ctx, resources, request);
}
