/**
 * The shared engine behind up/down/restart/patch: load -> filter -> observe -> plan (pure) ->
 * present -> confirm -> apply in order. Drivers do the I/O.
 */
import { describeError, UsageError, WsError } from '../errors.js';
import { createOutput } from '../output.js';
import { confirm } from '../confirm.js';
import { createProgress } from '../progress.js';
import { planToJson, renderPlan } from '../present-plan.js';
import { loadDriver } from '../../infra/drivers.js';
import type { Driver } from '../../infra/driver.js';
import { inferEnv, matches, narrowsResources, parseFilter, validateFilter, type Filter } from '../../infra/filter.js';
import { loadResources } from '../../infra/load-resources.js';
import { loadWorkspace, type LoadedWorkspace } from '../../infra/load-settings.js';
import { varsForEnv } from '../../db/connection.js';
import { observeAndPlan } from '../../infra/engine.js';
import { pendingActions, type Action, type Verb } from '../../infra/plan.js';
import type { Resource } from '../../infra/resource.js';
import type { FilterOpts, PlanOpts } from '../options.js';

export interface ResourceOpts extends FilterOpts, PlanOpts {
  wait?: boolean;
  timeout?: string;
}

/** The env and resources a filter selects (shared by up/down/patch/restart, exec, logs, db migrate). */
export async function selectForCommand(loaded: LoadedWorkspace, filter: Filter): Promise<{ env: string; all: Resource[]; selected: Resource[] }> {
  const { settings } = loaded;
  // only the envs the filter can pick: the named one, the default one, or (to infer it) every env of the infra
  const envs =
    filter.env !== undefined ? [filter.env]
    : !narrowsResources(filter) ? [settings.defaultEnv]
    : Object.keys(settings.envs).filter((e) => filter.infra === undefined || settings.envs[e]!.infra === filter.infra);
  const byEnv = new Map<string, Resource[]>();
  for (const env of envs) byEnv.set(env, await loadResources(loaded, env));
  const env = inferEnv(filter, settings, byEnv);
  const infra = settings.envs[env]!.infra;
  if (filter.infra !== undefined && filter.infra !== infra) throw new UsageError(`env ${env} runs on ${infra}, not ${filter.infra}`);
  const all = byEnv.get(env) ?? (await loadResources(loaded, env));
  const selected = all.filter((r) => matches(r, { ...filter, env }));
  return { env, all, selected };
}

export async function runResourceCommand(verb: Verb, positional: string | undefined, opts: ResourceOpts): Promise<void> {
  const out = createOutput();
  const loaded = await loadWorkspace();
  const filter = validateFilter(parseFilter(positional, opts), loaded.settings);
  const { env, all, selected } = await selectForCommand(loaded, filter);
  if (selected.length === 0) {
    const names = all.map((r) => `${r.name} (${r.type})`).join(', ') || 'none';
    throw new UsageError(`no resource of env ${env} matches the filter; env ${env} has: ${names}`);
  }
  const timeoutMinutes = Number(opts.timeout ?? '15');
  if (!(timeoutMinutes > 0)) throw new UsageError(`--timeout ${opts.timeout}: expected minutes > 0`);
  const infra = loaded.settings.envs[env]!.infra;
  const driver = await loadDriver(infra, { settings: loaded.settings, env, vars: varsForEnv(loaded, env) }, { wait: opts.wait !== false, timeoutMs: timeoutMinutes * 60_000, pull: Boolean(opts.pull) });
  try {
    const thePlan = await observeAndPlan(driver, { verb, selected, all, force: Boolean(opts.force), purge: filter.type !== undefined });
    const pending = pendingActions(thePlan);
    if (!opts.json) out.result(renderPlan(thePlan, env));
    if (thePlan.problems.length > 0) {
      if (opts.json) out.json(planToJson(thePlan, env));
      throw new WsError(`the plan cannot be applied:\n  ${thePlan.problems.join('\n  ')}`);
    }
    if (pending.length === 0 || opts.dryRun) {
      if (opts.json) out.json(planToJson(thePlan, env, opts.dryRun ? undefined : []));
      return;
    }
    if (!(await confirm(`Apply ${pending.length} change(s) to env ${env}?`, { yes: opts.yes }))) {
      out.info('cancelled: nothing was changed');
      process.exitCode = 1;
      return;
    }
    const applied = await applyActions(pending, driver);
    if (opts.json) out.json(planToJson(thePlan, env, applied));
    else out.result(`Applied ${applied.length} change(s) to env ${env}.`);
  } finally {
    await driver.close?.();
  }
}

const PAST: Record<Action['kind'], string> = { create: 'created', update: 'updated', replace: 'replaced', delete: 'deleted', noop: 'unchanged' };
const ING: Record<Action['kind'], string> = { create: 'creating', update: 'updating', replace: 'replacing', delete: 'deleting', noop: 'checking' };

async function applyActions(actions: readonly Action[], driver: Driver): Promise<string[]> {
  const progress = await createProgress();
  const applied: string[] = [];
  try {
    for (const action of actions) {
      const what = `${action.resource.type} ${action.resource.name}`;
      const started = Date.now();
      progress.progress(`${ING[action.kind]} ${what} ...`);
      try {
        await driver.apply(action, progress);
      } catch (error) {
        progress.stop();
        const done = applied.length ? ` (${applied.length} change(s) applied before it: ${applied.join(', ')}; re-run to converge)` : '';
        const message = describeError(error, false);
        const wrapped = message.includes(action.resource.name) ? message : `${action.kind} ${what}: ${message}`;
        throw new WsError(`${wrapped}${done}`, { cause: error, exitCode: error instanceof WsError ? error.exitCode : 1 });
      }
      applied.push(`${action.kind} ${what}`);
      progress.done(`${PAST[action.kind]} ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    progress.stop();
  }
  return applied;
}
