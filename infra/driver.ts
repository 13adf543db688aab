/** What each infrastructure driver (infra/docker, infra/aws) provides to the shared engine. */
import type { Action } from './plan.js';
import type { Comparison, Observed, Resource } from './resource.js';
import type { InfraName } from './settings.js';

export interface ApplyReporter {
  /** A progress line on stderr (plain in CI, redrawn on a TTY by the presenter). */
  progress(message: string): void;
}

export interface Driver {
  readonly infra: InfraName;
  /** Reads the live state of these resources (missing ones are absent from the map). */
  observe(resources: readonly Resource[]): Promise<Map<string, Observed>>;
  /** Pure: desired vs observed -> the fields that differ and how to apply them. */
  compare(desired: Resource, observed: Observed): Comparison;
  /** Carries out one planned action. Errors say "verb type name: cause". */
  apply(action: Action, reporter: ApplyReporter): Promise<void>;
  /** Releases clients/connections. */
  close?(): Promise<void>;
}

/** What a driver is created with. */
export interface DriverContext {
  readonly settings: import('./settings.js').ResolvedWorkspace;
  readonly env: string;
  readonly vars: import('./load-settings.js').Vars;
}
