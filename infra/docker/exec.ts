/** `ws exec` and `ws logs` on Docker: pick one of the env's containers, check it is ours, attach. */
import { UsageError, WsError } from '../../cli/errors.js';
import type { DriverContext } from '../driver.js';
import type { Resource } from '../resource.js';
import * as cmd from './commands.js';
import { debugRunner } from './driver.js';
import type { ContainerState } from './inspect.js';
import { isOwned } from './labels.js';
import { inspectMany } from './observe.js';
import type { DockerRunner } from './runner.js';

/** The container a command targets: -n (substring, an exact name wins), else the app group's container. */
export function pickContainer(resources: readonly Resource[], env: string, name?: string): Resource {
  const containers = resources.filter((r) => r.type === 'container' && r.env === env);
  if (containers.length === 0) throw new UsageError(`env ${env} has no containers`);
  const list = containers.map((r) => r.name).join(', ');
  if (name !== undefined) {
    const exact = containers.find((r) => r.name === name);
    if (exact) return exact;
    const hits = containers.filter((r) => r.name.includes(name));
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) throw new UsageError(`no container of env ${env} matches --name ${name}; it has: ${list}`);
    throw new UsageError(`--name ${name} matches several containers (${hits.map((r) => r.name).join(', ')}): be more specific`);
  }
  const apps = containers.filter((r) => r.group === 'app');
  if (apps.length === 1) return apps[0]!;
  if (containers.length === 1) return containers[0]!;
  throw new UsageError(`env ${env} has several containers (${list}): choose one with --name`);
}

async function ownedContainer(runner: DockerRunner, ctx: DriverContext, r: Resource): Promise<ContainerState> {
  const [found] = await inspectMany(runner, [r.name], 'container');
  const up = `ws up --env ${ctx.env}`;
  if (!found || found.kind !== 'container') throw new WsError(`container ${r.name} does not exist: run ${up}`);
  if (!isOwned(found.labels, { workspace: ctx.settings.name, env: ctx.env, resource: r.name })) {
    throw new WsError(`container ${r.name} exists but does not belong to this workspace (no ws labels for ${ctx.settings.name}/${ctx.env}): ws will not touch it`);
  }
  return found;
}

export interface ExecRequest {
  name?: string;
  command: readonly string[];
  interactive: boolean;
}

export async function dockerExec(ctx: DriverContext, resources: readonly Resource[], opts: ExecRequest, runner: DockerRunner = debugRunner(ctx)): Promise<number> {
  if (opts.command.length === 0) throw new UsageError('ws exec needs a command: ws exec -- CMD...');
  const r = pickContainer(resources, ctx.env, opts.name);
  const c = await ownedContainer(runner, ctx, r);
  if (!c.running) throw new WsError(`container ${r.name} is not running (${c.status}): see ws logs --env ${ctx.env} -n ${r.name}, or run ws up --env ${ctx.env}`);
  // piped input (ws exec -T -- psql < dump.sql) reaches the command; a terminal only when interactive
  const piped = !opts.interactive && !process.stdin.isTTY;
  return runner.attached(cmd.containerExec(r.name, opts.command, { interactive: opts.interactive || piped, tty: opts.interactive }));
}

export interface LogsRequest {
  name?: string;
  follow: boolean;
  tail?: number;
}

export async function dockerLogs(ctx: DriverContext, resources: readonly Resource[], opts: LogsRequest, runner: DockerRunner = debugRunner(ctx)): Promise<number> {
  const r = pickContainer(resources, ctx.env, opts.name);
  await ownedContainer(runner, ctx, r);
  return runner.attached(cmd.containerLogs(r.name, { follow: opts.follow, ...(opts.tail !== undefined ? { tail: opts.tail } : {}) }));
}
