/** Reads the state a plan needs, then plans (pure). Shared by the CLI commands and the driver tests. */
import type { Driver } from './driver.js';
import { plan, type Plan, type Verb } from './plan.js';
import type { Resource } from './resource.js';

export interface ObserveAndPlanInput {
  readonly verb: Verb;
  readonly selected: readonly Resource[];
  /** Every resource of the env. */
  readonly all: readonly Resource[];
  readonly force?: boolean;
  readonly purge?: boolean;
}

/**
 * Observes the selected resources, then the unselected dependencies of those that are absent
 * (dependencies only matter for creates), and plans. A no-op patch of one resource costs one read.
 */
export async function observeAndPlan(driver: Driver, input: ObserveAndPlanInput): Promise<Plan> {
  const { verb, selected, all } = input;
  const observed = await driver.observe(selected);
  const selectedNames = new Set(selected.map((r) => r.name));
  const absent = selected.filter((r) => !observed.has(r.name));
  const deps = all.filter((r) => !selectedNames.has(r.name) && absent.some((s) => s.dependsOn.includes(r.name)));
  if (deps.length > 0 && verb !== 'down') for (const [name, seen] of await driver.observe(deps)) observed.set(name, seen);
  return plan({ verb, desired: selected, all, observed, compare: (d, o) => driver.compare(d, o), ...(input.force ? { force: true } : {}), ...(input.purge ? { purge: true } : {}) });
}
