/** Creating, waiting for and removing containers (the side-effecting half of the container type). */
import { setTimeout as sleep } from 'node:timers/promises';
import { WsError } from '../../cli/errors.js';
import type { ApplyReporter } from '../driver.js';
import * as cmd from './commands.js';
import { inspectMany } from './observe.js';
import { isOwned, type Owner } from './labels.js';
import { assertPortsFree, PortInUseError, portFromDockerError } from './ports.js';
import type { ContainerSpec } from './resources.js';
import { DockerCommandError, type DockerRunner } from './runner.js';

export const PORT_HINT = 'stop what uses it, or publish another port (settings docker.dbPort / docker.apiPort, or WS_DEV_DB_PORT / WS_DEV_API_PORT)';

export interface ContainerOps {
  readonly runner: DockerRunner;
  readonly pull: boolean;
  readonly pollMs: number;
}

export async function createContainer(ops: ContainerOps, owner: Owner, spec: ContainerSpec, reporter: ApplyReporter): Promise<void> {
  const name = owner.resource;
  if (ops.pull && !spec.imageResource) {
    reporter.progress(`pulling ${spec.image}`);
    await ops.runner.run(cmd.imagePull(spec.image));
  }
  await assertPortsFree(spec.ports, () => PORT_HINT);
  try {
    await ops.runner.run(cmd.containerRun(name, spec, { 'ws.workspace': owner.workspace, 'ws.env': owner.env, 'ws.resource': owner.resource }));
  } catch (error) {
    await removeIfOwned(ops.runner, owner); // `docker run` may leave a created-but-not-started container behind
    if (error instanceof DockerCommandError) {
      const port = portFromDockerError(error.stderr);
      if (port !== undefined) throw new PortInUseError(port, spec.ports.find((p) => p.host === port)?.hostIp ?? '127.0.0.1', PORT_HINT);
      if (/Unable to find image|pull access denied|manifest unknown|not found: manifest/i.test(error.stderr)) {
        throw new WsError(`image ${spec.image} is not available locally and cannot be pulled: ${lastLine(error.stderr)} (pull or build it, or point the workspace's image setting at a local image)`);
      }
    }
    throw error;
  }
  reporter.progress(`started container ${name}; waiting until it is ${spec.healthcheck ? 'healthy' : 'running'}`);
  try {
    await waitReady(ops, name, spec);
  } catch (error) {
    // stop a crash-looping container (its restart policy would keep restarting it); keep it for `ws logs`
    await ops.runner.run(cmd.containerStop(name, 1), { allowFailure: true });
    throw error instanceof WsError ? new WsError(`${error.message}\n(the container is stopped and kept: ws logs -n ${name}; the next ws up recreates it)`, { cause: error }) : error;
  }
}

/** Polls the container's state until healthy (or running without a healthcheck); fails early when it exits. */
/** Without a healthcheck, a container counts as started once it has kept running this long. */
export const STABLE_MS = 1000;

export async function waitReady(ops: ContainerOps, name: string, spec: ContainerSpec): Promise<void> {
  const deadline = Date.now() + spec.readyTimeoutS * 1000;
  let runningSince: number | undefined;
  for (;;) {
    const r = await ops.runner.run(cmd.containerState(name));
    const { State: st, RestartCount: restarts } = JSON.parse(r.stdout) as {
      State: { Status?: string; Running?: boolean; Restarting?: boolean; ExitCode?: number; Health?: { Status?: string; Log?: { Output?: string }[] } };
      RestartCount?: number;
    };
    if (st.Status === 'exited' || st.Status === 'dead' || st.Restarting || (restarts ?? 0) > 0) {
      throw new WsError(`the container exited with code ${st.ExitCode ?? '?'}${restarts ? ` (restarted ${restarts} time(s))` : ''}; its last log lines:\n${await lastLogs(ops.runner, name)}`);
    }
    if (!spec.healthcheck && st.Running) {
      runningSince ??= Date.now();
      if (Date.now() - runningSince >= STABLE_MS) return;
    }
    if (st.Health?.Status === 'healthy') return;
    if (st.Health?.Status === 'unhealthy') {
      const probe = st.Health.Log?.at(-1)?.Output?.trim();
      throw new WsError(`the container is unhealthy${probe ? ` (healthcheck said: ${probe})` : ''}; its last log lines:\n${await lastLogs(ops.runner, name)}`);
    }
    if (Date.now() > deadline) {
      throw new WsError(`the container is not ${spec.healthcheck ? 'healthy' : 'running'} after ${spec.readyTimeoutS} s (state ${st.Status}${st.Health?.Status ? `, health ${st.Health.Status}` : ''}); its last log lines:\n${await lastLogs(ops.runner, name)}`);
    }
    await sleep(ops.pollMs);
  }
}

/** The container's last log lines, stdout and stderr interleaved by time, indented. */
export async function lastLogs(runner: DockerRunner, name: string, lines = 20): Promise<string> {
  const r = await runner.run(cmd.containerLogs(name, { tail: lines, timestamps: true }), { allowFailure: true });
  const all = [...r.stdout.split('\n'), ...r.stderr.split('\n')].filter((l) => l.trim());
  const stamped = all.map((l) => ({ t: l.slice(0, l.indexOf(' ')), text: l.slice(l.indexOf(' ') + 1) }));
  stamped.sort((a, b) => a.t.localeCompare(b.t));
  const text = stamped.slice(-lines).map((l) => `  | ${runner.redact(l.text)}`);
  return text.length ? text.join('\n') : '  | (no output)';
}

export async function removeContainer(runner: DockerRunner, name: string, stopTimeoutS = 10): Promise<void> {
  await runner.run(cmd.containerStop(name, stopTimeoutS), { allowFailure: true });
  await runner.run(cmd.containerRemove(name, { force: true }));
}

async function removeIfOwned(runner: DockerRunner, owner: Owner): Promise<void> {
  const [found] = await inspectMany(runner, [owner.resource], 'container').catch(() => []);
  if (found && found.kind === 'container' && isOwned(found.labels, owner)) await runner.run(cmd.containerRemove(owner.resource, { force: true }), { allowFailure: true });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
