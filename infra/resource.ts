/**
 * The resource model shared by every driver: what workspace/<env>.ts declares, what a driver
 * observes, and how the pure planner compares the two.
 */
import type { InfraName, ResolvedWorkspace } from './settings.js';
import type { Vars } from './load-settings.js';

export interface ResourceRef {
  /** Canonical type name from infra/types.ts ('container', 'task-definition', ...). */
  readonly type: string;
  /** Full, stable name: 'ai-db', 'ai-prd-td'. */
  readonly name: string;
  readonly group: string;
  readonly env: string;
  readonly infra: InfraName;
}

export interface Resource<Spec = unknown> extends ResourceRef {
  /** Names of the resources this one needs (created before it, deleted after it). */
  readonly dependsOn: readonly string[];
  /** Driver-specific desired state. Secret values inside it are wrapped with secret(). */
  readonly spec: Spec;
}

/** What a driver saw of one resource that exists. */
export interface Observed<State = unknown> {
  /** Carries this workspace's labels/tags: only owned resources are ever changed or deleted. */
  readonly owned: boolean;
  readonly state: State;
}

/** One field that differs, already rendered for display (secrets redacted). */
export interface FieldChange {
  readonly field: string;
  readonly from?: string;
  readonly to?: string;
}

export interface Comparison {
  readonly changes: readonly FieldChange[];
  /** How a change is applied: in place, or by deleting and creating (containers). */
  readonly mode: 'update' | 'replace';
}

/** Brands secrets across module copies (a workspace loaded from edited sources gets its own copy of this file). */
const SECRET = Symbol.for('ws.secret');

/** What every Secret is, whichever copy of this module made it. */
export interface SecretLike {
  reveal(): string;
}

/** A value that must never appear in argv, logs or plans. */
export class Secret implements SecretLike {
  readonly [SECRET] = true;
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '****';
  }
  toJSON(): string {
    return '****';
  }
}

export function secret(value: string): Secret {
  return new Secret(value);
}

/** True for a Secret made by any copy of this module (instanceof would miss those). */
export function isSecret(value: unknown): value is SecretLike {
  return typeof value === 'object' && value !== null && (value as { [SECRET]?: unknown })[SECRET] === true;
}

/** What a workspace/<env>.ts file receives to build its resources. */
export interface ResourceContext {
  readonly settings: ResolvedWorkspace;
  readonly env: string;
  /** Variables of this env: workspace/secrets/<env>.env < .env < process env. */
  readonly vars: Vars;
}

export type ResourceFactory = (ctx: ResourceContext) => readonly Resource[] | Promise<readonly Resource[]>;

/** Identity function that types a workspace/<env>.ts file. */
export function defineResources(factory: ResourceFactory): ResourceFactory {
  return factory;
}
