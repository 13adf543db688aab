/**
 * The Docker driver: observe (one inspect call), compare (pure, compare.ts), apply (one planned
 * action at a time; errors read "create container ai-api: <cause>").
 *
 * Images: the content hash of the build inputs is a label of the built image, so an image is rebuilt
 * exactly when its inputs changed, and then its id changes too: containers that run it are planned
 * for replacement up front ("image: <id> -> ai-api:dev (rebuilt)"). A forced rebuild of unchanged
 * inputs is fully cached and yields the same id, so the containers' comparison stays unchanged.
 */
import { wrapError } from '../../cli/errors.js';
import type { ApplyReporter, Driver, DriverContext } from '../driver.js';
import type { Action } from '../plan.js';
import type { Resource } from '../resource.js';
import { isSecret } from '../resource.js';
import * as cmd from './commands.js';
import { compareDocker, shortId } from './compare.js';
import { createContainer, removeContainer, type ContainerOps } from './container-ops.js';
import { buildImage } from './image-ops.js';
import { observeResources } from './observe.js';
import { ownerLabels, type Owner } from './labels.js';
import type { ContainerSpec, ImageSpec } from './resources.js';
import { createRunner, DockerUnavailableError, type DockerRunner } from './runner.js';

export interface DockerDriverOptions {
  /** --pull: build with --pull and pull the images of containers before creating them. */
  readonly pull?: boolean;
  readonly runner?: DockerRunner;
  /** Interval of the readiness poll after starting a container. */
  readonly pollMs?: number;
}

export function debugRunner(ctx: DriverContext): DockerRunner {
  const debug = ctx.vars.WS_DEBUG === '1' || process.argv.includes('--debug');
  return createRunner(debug ? { log: (line) => process.stderr.write(`${line}\n`) } : {});
}

/** Every Secret value inside a spec (so the runner can redact them wherever they show up). */
export function secretValues(resources: readonly Resource[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (isSecret(v)) out.push(v.reveal());
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  resources.forEach((r) => visit(r.spec));
  return out;
}

export function createDockerDriver(ctx: DriverContext, options: DockerDriverOptions = {}): Driver {
  const runner = options.runner ?? debugRunner(ctx);
  const ops: ContainerOps = { runner, pull: options.pull ?? false, pollMs: options.pollMs ?? 250 };
  const ownerOf = (r: Resource): Owner => ({ workspace: ctx.settings.name, env: ctx.env, resource: r.name });

  async function applyContainer(action: Action, reporter: ApplyReporter): Promise<void> {
    const r = action.resource;
    const spec = r.spec as ContainerSpec;
    switch (action.kind) {
      case 'create':
        return createContainer(ops, ownerOf(r), spec, reporter);
      case 'update':
      case 'replace':
        reporter.progress(`removing container ${r.name}`);
        await removeContainer(runner, r.name, spec.stopTimeoutS);
        return createContainer(ops, ownerOf(r), spec, reporter);
      case 'delete':
        reporter.progress(`stopping and removing container ${r.name}`);
        return removeContainer(runner, r.name, spec.stopTimeoutS);
    }
  }

  async function applyImage(action: Action, reporter: ApplyReporter): Promise<void> {
    const r = action.resource;
    const spec = r.spec as ImageSpec;
    if (action.kind === 'delete') {
      reporter.progress(`removing image ${spec.tag}`);
      await runner.run(cmd.imageRemove(spec.tag));
      return;
    }
    const id = await buildImage(runner, ownerOf(r), spec, { pull: ops.pull, reporter });
    reporter.progress(`built image ${spec.tag} (${shortId(id)})`);
  }

  async function applySimple(action: Action, reporter: ApplyReporter): Promise<void> {
    const r = action.resource;
    const type = r.type as 'network' | 'volume';
    if (action.kind === 'create') {
      reporter.progress(`creating ${type} ${r.name}`);
      await runner.run(type === 'network' ? cmd.networkCreate(r.name, ownerLabels(ownerOf(r))) : cmd.volumeCreate(r.name, ownerLabels(ownerOf(r))));
    } else if (action.kind === 'delete') {
      reporter.progress(`removing ${type} ${r.name}`);
      await runner.run(type === 'network' ? cmd.networkRemove(r.name) : cmd.volumeRemove(r.name));
    } else {
      // networks and volumes have nothing to recreate; a forced replace must never drop a volume's data
      reporter.progress(`${type} ${r.name}: nothing to recreate, kept`);
    }
  }

  return {
    infra: 'docker',
    async observe(resources) {
      runner.addSecrets(secretValues(resources));
      return observeResources(runner, resources, { workspace: ctx.settings.name, env: ctx.env });
    },
    compare: compareDocker,
    async apply(action, reporter) {
      if (action.kind === 'noop') return;
      runner.addSecrets(secretValues([action.resource]));
      try {
        if (action.resource.type === 'container') await applyContainer(action, reporter);
        else if (action.resource.type === 'image') await applyImage(action, reporter);
        else await applySimple(action, reporter);
      } catch (error) {
        if (error instanceof DockerUnavailableError) throw error;
        const verb = action.kind === 'delete' ? 'delete' : action.kind === 'create' ? 'create' : action.resource.type === 'image' ? 'rebuild' : action.kind;
        throw wrapError(`${verb} ${action.resource.type} ${action.resource.name}`, error);
      }
    },
  };
}
