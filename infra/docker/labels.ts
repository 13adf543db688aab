/** The labels that mark what a workspace created on the Docker engine (pure). */

export const LABEL = {
  workspace: 'ws.workspace',
  env: 'ws.env',
  resource: 'ws.resource',
  /** Containers: the environment variable names ws set (so that removed ones are detected). */
  envKeys: 'ws.env-keys',
  /** Containers: which of those were secrets (their values are never shown). */
  secretKeys: 'ws.secret-keys',
  /** Images: content hash of the build context, Dockerfile and build args. */
  contextHash: 'ws.context-hash',
  /** Images: the build args, NAME=value (long values as a hash), for the plan's from/to. */
  buildArgs: 'ws.build-args',
} as const;

export interface Owner {
  readonly workspace: string;
  readonly env: string;
  readonly resource: string;
}

export function ownerLabels(owner: Owner): Record<string, string> {
  return { [LABEL.workspace]: owner.workspace, [LABEL.env]: owner.env, [LABEL.resource]: owner.resource };
}

/** True only when all three ownership labels name this workspace, env and resource. */
export function isOwned(labels: Readonly<Record<string, string>> | null | undefined, owner: Owner): boolean {
  return !!labels && labels[LABEL.workspace] === owner.workspace && labels[LABEL.env] === owner.env && labels[LABEL.resource] === owner.resource;
}

export function splitList(value: string | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}
